"""Finding devices through the real adb server: errors, selection, `mobile-agent devices`."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from conftest import free_port, run_adb

from mobile_agent.cli import main
from mobile_agent.device import AndroidDevice, Device, connect, list_devices, resolve_serial
from mobile_agent.errors import AdbServerError, AmbiguousDevice, DeviceNotFound, DeviceOffline

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


@pytest.fixture
def second_phone(connected_phone: object) -> Iterator[object]:
    """Another virtual phone, attached to the same adb server as `connected_phone`."""
    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(port=free_port(), seed=1).start()
    try:
        assert b"connected" in run_adb("connect", server.serial).stdout
        yield server
    finally:
        run_adb("disconnect", server.serial)
        server.stop()


@pytest.fixture
def not_an_adb_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A port that accepts connections and closes them without speaking adb."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            conn, _ = listener.accept()
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    port = listener.getsockname()[1]
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(port))
    try:
        yield port
    finally:
        stop.set()
        socket.create_connection(("127.0.0.1", port)).close()  # wake the accept loop
        listener.close()


def test_a_broken_adb_server_is_reported_with_what_to_check(not_an_adb_server: int) -> None:
    with pytest.raises(AdbServerError, match=f"127.0.0.1:{not_an_adb_server}.*adb start-server"):
        connect(timeout_s=5)
    with pytest.raises(AdbServerError):
        list_devices()


@pytest.fixture
def silent_adb_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(port))
    try:
        yield port
    finally:
        listener.close()  # connections wait in its backlog, unanswered, until then


def test_a_silent_adb_server_is_reported_without_hanging(silent_adb_server: int) -> None:
    with pytest.raises(AdbServerError, match="accepts connections but does not answer"):
        connect(timeout_s=5)
    with pytest.raises(AdbServerError, match=f"127.0.0.1:{silent_adb_server} accepts"):
        list_devices(timeout_s=5)


def test_resolve_serial_names_the_device_without_connecting(connected_phone: object) -> None:
    serial = connected_phone.serial  # type: ignore[attr-defined]
    assert resolve_serial(None, timeout_s=15) == serial
    assert resolve_serial(serial, timeout_s=15) == serial
    with pytest.raises(DeviceNotFound, match=f"attached: {serial}"):
        resolve_serial("emulator-5554", timeout_s=15)


def test_no_device_attached_raises_not_found_with_a_hint(empty_adb_server: int) -> None:
    with pytest.raises(DeviceNotFound, match="mobile-agent sim start"):
        connect(timeout_s=15)
    assert list_devices() == []


def test_unknown_serial_lists_what_is_attached(connected_phone: object) -> None:
    serial = connected_phone.serial  # type: ignore[attr-defined]
    with pytest.raises(DeviceNotFound, match=f"attached: {serial}"):
        connect("emulator-5554", timeout_s=15)


def test_unreachable_network_serial_is_not_found(empty_adb_server: int) -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(DeviceNotFound, match=f"adb connect 127.0.0.1:{port}"):
        connect(f"127.0.0.1:{port}", timeout_s=15)


def test_two_devices_and_none_chosen_is_ambiguous(
    connected_phone: object, second_phone: object
) -> None:
    with pytest.raises(AmbiguousDevice) as info:
        connect(timeout_s=15)
    message = str(info.value)
    assert connected_phone.serial in message  # type: ignore[attr-defined]
    assert second_phone.serial in message  # type: ignore[attr-defined]
    assert "--device" in message


def test_network_serial_is_adb_connected_on_demand(virtual_phone: object) -> None:
    serial = virtual_phone.serial  # type: ignore[attr-defined]
    assert serial not in {d.serial for d in list_devices()}
    device = connect(serial, timeout_s=30)
    try:
        assert isinstance(device, AndroidDevice)
        assert device.serial == serial
        assert {d.serial: d.state for d in list_devices()}[serial] == "device"
    finally:
        device.close()
        run_adb("disconnect", serial)


def test_the_only_device_is_chosen(connected_phone: object) -> None:
    with connect(timeout_s=30) as device:
        assert isinstance(device, Device)
        assert device.serial == connected_phone.serial  # type: ignore[attr-defined]


def test_list_devices_describes_the_virtual_phone(connected_phone: object) -> None:
    summaries = {d.serial: d for d in list_devices()}
    phone = summaries[connected_phone.serial]  # type: ignore[attr-defined]
    assert phone.state == "device"
    assert phone.model == "Pixel 7"
    expected_version = connected_phone.phone.getprop("ro.build.version.release")  # type: ignore[attr-defined]
    assert phone.android_version == expected_version != ""
    assert (phone.width, phone.height) == (1080, 2400)


def test_devices_command_table_and_json(
    connected_phone: object, capsys: pytest.CaptureFixture[str]
) -> None:
    serial = connected_phone.serial  # type: ignore[attr-defined]
    assert main(["devices"]) == 0
    table = capsys.readouterr().out
    header, *rows = table.splitlines()
    assert header.split() == ["serial", "model", "android", "screen", "state"]
    row = next(r for r in rows if r.startswith(serial))
    version = connected_phone.phone.getprop("ro.build.version.release")  # type: ignore[attr-defined]
    assert row.split()[1:] == ["Pixel", "7", version, "1080x2400", "device"]

    assert main(["devices", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    entry = next(d for d in listed if d["serial"] == serial)
    assert entry["model"] == "Pixel 7"
    assert entry["screen_size"] == "1080x2400"


def test_devices_command_without_devices_gives_a_hint(
    empty_adb_server: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["devices"]) == 0
    assert "mobile-agent sim start" in capsys.readouterr().out


def test_a_stopped_phone_is_reported_offline(connected_phone: object) -> None:
    serial = connected_phone.serial  # type: ignore[attr-defined]
    connected_phone.stop()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 10
    while (state := {d.serial: d.state for d in list_devices()}.get(serial)) == "device":
        assert time.monotonic() < deadline, "adb never noticed the phone was gone"
        time.sleep(0.05)
    assert state == "offline"  # adb keeps a network device listed, offline
    with pytest.raises(DeviceOffline, match="adb reconnect"):
        connect(serial, timeout_s=2)
