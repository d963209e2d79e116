"""`--adb HOST:PORT`: devices on another adb server are listed, inspected and driven.

A second adb server on another loopback port (the real adb binary, `adb -P PORT
start-server`) stands in for a remote host or a device farm; a virtual phone is attached to
it with `adb -P PORT connect`, as a farm hands out phones. The session's own adb server never
sees that phone.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli_env, one_line_error, run_cli
from conftest import adb_bin, free_port

from mobile_agent.demo import load_demo
from virtual_phone.server import VirtualPhoneServer


def _adb(port: int, *args: str) -> str:
    import subprocess

    done = subprocess.run(
        [adb_bin(), "-P", str(port), *args], capture_output=True, text=True, timeout=30
    )
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def remote() -> Iterator[tuple[str, VirtualPhoneServer]]:
    """The address of the second adb server, and the virtual phone attached to it."""
    port = free_port()
    _adb(port, "start-server")
    phone = VirtualPhoneServer(port=free_port(), seed=0).start()
    try:
        assert "connected to" in _adb(port, "connect", phone.serial)
        yield f"127.0.0.1:{port}", phone
    finally:
        _adb(port, "kill-server")
        phone.stop()


def test_devices_lists_the_phones_of_that_server_only(
    remote: tuple[str, VirtualPhoneServer],
) -> None:
    address, phone = remote
    listed = run_cli("devices", "--adb", address, "--json")
    assert listed.returncode == 0, listed.stderr
    [row] = [d for d in json.loads(listed.stdout) if d["serial"] == phone.serial]
    assert row["state"] == "device" and row["width"] > 0 and row["model"]
    local = run_cli("devices", "--json")
    assert phone.serial not in {d["serial"] for d in json.loads(local.stdout or "[]")}


def test_the_setting_chooses_the_server_too(remote: tuple[str, VirtualPhoneServer]) -> None:
    address, phone = remote
    listed = run_cli("devices", env=cli_env(MOBILE_AGENT_ADB_SERVER=address))
    assert listed.returncode == 0, listed.stderr
    assert phone.serial in listed.stdout
    bad = run_cli("devices", env=cli_env(MOBILE_AGENT_ADB_SERVER="no-port"))
    assert bad.returncode == 2
    assert "'no-port' is not HOST:PORT" in one_line_error(bad.stderr)


def test_inspect_through_that_server(remote: tuple[str, VirtualPhoneServer]) -> None:
    address, phone = remote
    done = run_cli("inspect", "--adb", address, "--device", phone.serial, "--json", "--ocr", "none")
    assert done.returncode == 0, done.stderr
    labels = " ".join(str(e) for e in json.loads(done.stdout))
    assert "Notes" in labels  # the launcher of the phone behind the other server


def test_a_farm_serial_is_connected_through_that_server(
    remote: tuple[str, VirtualPhoneServer],
) -> None:
    address, _ = remote
    port = int(address.rsplit(":", 1)[1])
    farm_phone = VirtualPhoneServer(port=free_port(), seed=1).start()
    try:
        done = run_cli("inspect", "--adb", address, "--device", farm_phone.serial, "--ocr", "none")
        assert done.returncode == 0, done.stderr
        assert farm_phone.serial in _adb(port, "devices")  # that server did `adb connect`
    finally:
        _adb(port, "disconnect", farm_phone.serial)
        farm_phone.stop()


def test_run_drives_the_phone_through_that_server(
    remote: tuple[str, VirtualPhoneServer], tmp_path: Path
) -> None:
    address, phone = remote
    demo = load_demo()
    script = tmp_path / "demo.json"
    script.write_text(json.dumps(demo.replies), encoding="utf-8")
    done = run_cli(
        "run", demo.task, "--adb", address, "--device", phone.serial,
        "--model", f"scripted:{script}", "--no-memory", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["state"] == "succeeded"
    assert demo.verify(phone.phone.app_state)  # the note is on the phone


def test_nobody_listening_is_named_and_nothing_is_started() -> None:
    port = free_port()
    done = run_cli("devices", "--adb", f"127.0.0.1:{port}")
    assert done.returncode == 1
    line = one_line_error(done.stderr)
    assert f"no adb server at 127.0.0.1:{port}: connection refused" in line
    with pytest.raises(ConnectionRefusedError):  # no adb server was started there for us
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


@pytest.fixture
def not_adb() -> Iterator[int]:
    """A loopback port whose service answers, but not in adb's protocol."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(256)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_a_server_that_refuses_is_named(not_adb: int) -> None:
    for command in (["devices"], ["run", "open Notes", "--model", "openai:gpt-4o"]):
        done = run_cli(*command, "--adb", f"127.0.0.1:{not_adb}", env=cli_env(OPENAI_API_KEY="k"))
        assert done.returncode == 1, done.stderr
        line = one_line_error(done.stderr)
        assert f"adb server at 127.0.0.1:{not_adb} refused: bad protocol reply" in line
