"""Fixtures of the fast runner tests: no adb, no sockets.

Every test here runs with `ANDROID_ADB_SERVER_PORT` pointing at a closed port and with
socket connections refused and recorded: a test that reached for adb (or any server)
fails, even if the runner swallowed the error.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import free_port


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuses and records every socket connection the test attempts."""
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(free_port()))  # nobody listens there
    attempts: list[str] = []

    def refuse(sock: socket.socket, address: Any) -> Any:
        attempts.append(repr(address))
        raise ConnectionRefusedError(f"fast runner tests open no connections ({address!r})")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts
    assert attempts == [], f"the test tried to connect to {attempts}"
