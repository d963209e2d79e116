"""Shared fixtures.

Every test session gets its own private adb server port (chosen before adbutils is
imported, because adbutils reads ANDROID_ADB_SERVER_PORT at import time) and its own
MOBILE_AGENT_HOME, so tests never touch a user's phone, adb server or data.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Chosen once per session: importing this module again (as `tests.conftest`) must not move
# the session to another adb server.
_SESSION = "MOBILE_AGENT_TEST_SESSION"
if os.environ.get(_SESSION) != str(os.getpid()):
    os.environ[_SESSION] = str(os.getpid())
    os.environ["ANDROID_ADB_SERVER_PORT"] = str(_free_port())
    os.environ["MOBILE_AGENT_HOME"] = tempfile.mkdtemp(prefix="mobile-agent-test-home-")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def free_port() -> int:
    """A TCP port on loopback that was free a moment ago."""
    return _free_port()


def adb_bin() -> str:
    """The real adb binary shipped inside the adbutils wheel."""
    from adbutils._utils import adb_path

    return adb_path()


def run_adb(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[bytes]:
    """Run the real adb binary against this session's private server."""
    return subprocess.run([adb_bin(), *args], capture_output=True, timeout=timeout, check=False)


@pytest.fixture(scope="session", autouse=True)
def _adb_server() -> Iterator[None]:
    yield
    try:
        run_adb("kill-server", timeout=10)
    except (OSError, subprocess.SubprocessError):
        pass


@pytest.fixture
def empty_adb_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A fresh private adb server that has nothing connected (started on first use)."""
    port = free_port()
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(port))
    try:
        yield port
    finally:
        run_adb("kill-server", timeout=20)  # the patched port: only this server


@pytest.fixture
def home() -> Path:
    """This session's MOBILE_AGENT_HOME."""
    return Path(os.environ["MOBILE_AGENT_HOME"])


@pytest.fixture
def virtual_phone() -> Iterator[object]:
    """A fresh virtual phone served on a free loopback port (not yet `adb connect`ed)."""
    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(port=free_port(), seed=0).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def connected_phone(virtual_phone: object) -> Iterator[object]:
    """A virtual phone that the private adb server is connected to."""
    serial = virtual_phone.serial  # type: ignore[attr-defined]
    out = run_adb("connect", serial)
    assert b"connected" in out.stdout, out
    try:
        yield virtual_phone
    finally:
        run_adb("disconnect", serial)


@pytest.fixture
def u2_device(connected_phone: object) -> object:
    """A uiautomator2 Device driving the virtual phone through the real stack."""
    import uiautomator2 as u2

    return u2.connect(connected_phone.serial)  # type: ignore[attr-defined]
