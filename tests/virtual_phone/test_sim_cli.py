"""`mobile-agent sim start` as a user runs it: a foreground process that any adb attaches to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import free_port, run_adb

pytestmark = pytest.mark.e2e


@contextmanager
def sim_process(port: int, *extra: str) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mobile_agent", "sim", "start", "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # wait until it serves, not a fixed time
            if "Press Ctrl-C" in line:
                break
        else:
            pytest.fail(f"sim start ended early with {proc.wait()}")
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_two_phones_side_by_side_and_ctrl_c_stops_cleanly() -> None:
    first, second = free_port(), free_port()
    with sim_process(first) as one, sim_process(second, "--seed", "3") as two:
        for port in (first, second):
            assert b"connected" in run_adb("connect", f"127.0.0.1:{port}").stdout
        devices = run_adb("devices", "-l").stdout.decode()
        assert f"127.0.0.1:{first}" in devices
        assert f"127.0.0.1:{second}" in devices
        model = run_adb("-s", f"127.0.0.1:{second}", "shell", "getprop", "ro.product.model")
        assert model.stdout.decode().strip() == "Pixel 7"
        for proc in (one, two):
            proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
            out, _ = proc.communicate(timeout=20)
            assert proc.returncode == 0
            assert "Virtual phone stopped." in out
            assert "Traceback" not in out
    for port in (first, second):
        run_adb("disconnect", f"127.0.0.1:{port}")


def test_connect_flag_attaches_and_detaches_the_phone() -> None:
    port = free_port()
    with sim_process(port, "--connect") as proc:
        assert f"127.0.0.1:{port}\tdevice" in run_adb("devices").stdout.decode()
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    assert f"127.0.0.1:{port}" not in run_adb("devices").stdout.decode()


def test_a_busy_port_is_a_clear_error() -> None:
    port = free_port()
    with sim_process(port):
        busy = subprocess.run(
            [sys.executable, "-m", "mobile_agent", "sim", "start", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert busy.returncode == 1
    assert busy.stderr.startswith("error:")
    assert "Traceback" not in busy.stderr
