"""A broken, silent or misconfigured adb server ends in a clear message, never a hang."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import (
    cli_env,
    finishing_script,
    one_line_error,
    read_until,
    run_cli,
    scripted_model,
    silent_port,
    start_cli,
)
from conftest import free_port, run_adb

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


@pytest.fixture
def silent_adb() -> Iterator[dict[str, str]]:
    """An environment whose adb port accepts connections and never answers."""
    with silent_port() as port:
        yield cli_env(ANDROID_ADB_SERVER_PORT=str(port))


def test_doctor_reports_a_silent_adb_server_instead_of_hanging(silent_adb: dict[str, str]) -> None:
    done = run_cli("doctor", env=silent_adb, timeout=60)
    assert done.returncode == 1
    line = next(x for x in done.stdout.splitlines() if "adb server" in x)
    assert line.startswith("[!!]")
    assert "accepts connections but does not answer" in line
    assert "Traceback" not in done.stderr


def test_devices_on_a_silent_adb_server_is_a_clear_error(silent_adb: dict[str, str]) -> None:
    done = run_cli("devices", env=silent_adb, timeout=60)
    assert done.returncode == 1
    assert "does not answer" in one_line_error(done.stderr)


def test_run_on_a_broken_adb_server_says_so_not_no_phone(
    silent_adb: dict[str, str], tmp_path: Path
) -> None:
    model = scripted_model(tmp_path / "s.json", finishing_script())
    done = run_cli("run", "Open Settings", "--model", model, env=silent_adb, timeout=60)
    assert done.returncode == 1
    error = one_line_error(done.stderr)
    assert "adb server" in error
    assert "No phone attached" not in done.stdout + done.stderr
    assert "virtual phone" not in done.stdout


def test_sim_connect_on_a_silent_adb_server_still_serves_and_stops(
    silent_adb: dict[str, str],
) -> None:
    proc = start_cli("sim", "start", "--port", str(free_port()), "--connect", env=silent_adb)
    shown = read_until(proc.stdout, "Press Ctrl-C")
    assert "adb connect failed" in shown
    assert "does not answer" in shown
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)  # it used to hang about a minute here
    assert proc.returncode == 0
    assert out.rstrip().endswith("Virtual phone stopped.")
    assert "Traceback" not in err


@pytest.mark.parametrize("value", ["abc", "70000", "-1"])
def test_a_bad_adb_port_variable_is_a_clear_error(value: str) -> None:
    for command in (["devices"], ["doctor"], ["run", "Open Settings"]):
        done = run_cli(*command, env=cli_env(ANDROID_ADB_SERVER_PORT=value))
        assert done.returncode == 2
        error = one_line_error(done.stderr)
        assert error.startswith(f"error: ANDROID_ADB_SERVER_PORT='{value}' is not a port number")


def test_adb_startup_chatter_stays_out_of_our_output(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()  # no adb server runs there yet: ours starts one
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(port))
    try:
        done = run_cli("devices", env=cli_env())
    finally:
        run_adb("kill-server", timeout=20)
    assert done.returncode == 0, done.stderr
    assert "No devices attached" in done.stdout
    assert "daemon" not in done.stdout + done.stderr
