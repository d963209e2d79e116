"""The Layout lab screens of the virtual phone, captured through the real adb stack.

`lab` is a module-scoped fixture (import it into a test module): one virtual phone for
the module's tests, connected to this session's adb server, and a function that opens a
Layout lab screen and returns what `device.screen()` captured there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from conftest import free_port, run_adb

from mobile_agent.perception.artifacts import Screen

PACKAGE = "com.example.layoutlab"

OpenScreen = Callable[[str], Screen]


@pytest.fixture(scope="module")
def lab() -> Iterator[OpenScreen]:
    """`lab("RtlActivity")`: that screen of the Layout lab, captured over adb."""
    from mobile_agent.device import connect
    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(port=free_port(), seed=0).start()
    out = run_adb("connect", server.serial)
    assert b"connected" in out.stdout, out
    device = connect(server.serial, timeout_s=30)

    def open_screen(activity: str) -> Screen:
        device.shell(f"am start -n {PACKAGE}/.{activity}")
        return device.screen()

    try:
        yield open_screen
    finally:
        device.close()
        run_adb("disconnect", server.serial)
        server.stop()
