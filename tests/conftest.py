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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


@contextmanager
def served_phone(**options: Any) -> Iterator[Any]:
    """A virtual phone served on a free loopback port and `adb connect`ed to this session's
    adb server, for a module-scoped fixture (`options` go to `VirtualPhoneServer`)."""
    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(port=free_port(), **{"seed": 0, **options}).start()
    try:
        out = run_adb("connect", server.serial)
        assert b"connected" in out.stdout, out
        yield server
    finally:
        run_adb("disconnect", server.serial)
        server.stop()


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


# -- the corpus of real dumps: where it is, an error under CI without it, a count of skips --

CORPUS_ENV = "MOBILE_AGENT_CORPUS"
CORPUS = Path(
    os.environ.get(CORPUS_ENV)
    or Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "hierarchies"
)
CORPUS_MISSING = (
    f"the corpus of real dumps is not available at {CORPUS} (set {CORPUS_ENV} to its directory)"
)


def pytest_configure(config: pytest.Config) -> None:
    """Under CI, a missing corpus fails the session instead of skipping its tests."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false") and not CORPUS.is_dir():
        raise pytest.UsageError(f"CI is set and {CORPUS_MISSING}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Iterator[None]:
    """One line at the end (after the short summary): how many corpus tests were skipped,
    and why."""
    yield
    reasons = [
        reason
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
        and "corpus" in (reason := str(report.longrepr[2]).removeprefix("Skipped: "))
    ]
    if reasons:
        why = CORPUS_MISSING if not CORPUS.is_dir() else max(set(reasons), key=reasons.count)
        terminalreporter.write_line(f"{len(reasons)} corpus tests skipped: {why}", yellow=True)
