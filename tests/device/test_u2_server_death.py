"""`AndroidDevice` when the uiautomator2 server dies under it, through real adb and
uiautomator2: the server is restarted once and the call retried where that cannot repeat a
gesture; a server that cannot come back, or not in time, is a lost device.

`phone.register_tcp(9008, None)` is the server's process dying; a handler that closes the
stream is one that dies holding its port (or in the middle of a request).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import free_port, run_adb

from mobile_agent.device import AndroidDevice, Key, connect
from mobile_agent.errors import DeviceDisconnected, DeviceError
from virtual_phone.server import VirtualPhoneServer
from virtual_phone.shell.commands import u2server
from virtual_phone.shell.context import Ctx

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

U2_PORT = 9008
LIMIT_S = 5.0
NOTES = "com.example.notes"
LAUNCHER = "com.android.launcher3"
RESTARTED = "uiautomator2 server restarted"


@pytest.fixture
def device(connected_phone: Any) -> Iterator[AndroidDevice]:
    dev = connect(connected_phone.serial, timeout_s=LIMIT_S)
    try:
        yield dev
    finally:
        dev.close()


@pytest.fixture
def restarts(caplog: pytest.LogCaptureFixture) -> Callable[[], int]:
    """How many times the device layer has restarted the server so far."""
    caplog.set_level(logging.INFO, logger="mobile_agent.device")
    return lambda: sum(RESTARTED in r.getMessage() for r in caplog.records)


def kill_server(phone: Any) -> None:
    assert phone.tcp_handler(U2_PORT) is not None, "no uiautomator2 server was running"
    phone.register_tcp(U2_PORT, None)


def die_mid_request(phone: Any) -> None:
    """The next request reaches the server, which dies before it answers."""

    async def dying(stream: Any) -> None:
        await stream.read()
        phone.register_tcp(U2_PORT, None)

    phone.register_tcp(U2_PORT, dying)


def hold_port_dead(phone: Any) -> None:
    """The server hangs dead on its port: it takes each stream and drops it unanswered, and
    a new server cannot bind the port."""

    async def dead(stream: Any) -> None:
        return

    phone.register_tcp(U2_PORT, dead)


def test_a_killed_server_is_restarted_and_the_call_goes_through(
    device: AndroidDevice, connected_phone: Any, restarts: Callable[[], int]
) -> None:
    phone = connected_phone.phone
    assert phone.start_app(NOTES)
    kill_server(phone)

    device.press(Key.HOME)  # refused at first: restarted, then sent once

    assert phone.current()[0] == LAUNCHER
    assert restarts() == 1
    kill_server(phone)
    assert "<hierarchy" in device.screen().hierarchy_xml
    assert restarts() == 2


def test_a_gesture_the_dying_server_received_is_not_sent_again(
    device: AndroidDevice, connected_phone: Any, restarts: Callable[[], int]
) -> None:
    phone = connected_phone.phone
    assert phone.start_app(NOTES)
    die_mid_request(phone)

    with pytest.raises(DeviceError, match="not sent again") as caught:
        device.press(Key.HOME)

    assert not isinstance(caught.value, DeviceDisconnected)  # a failed action, not a lost phone
    assert "pressKeyCode()" in str(caught.value)
    assert phone.current()[0] == NOTES  # the press never reached the phone, and was not repeated
    assert restarts() == 1
    device.press(Key.HOME)  # the restarted server works
    assert phone.current()[0] == LAUNCHER


def test_a_read_the_dying_server_received_is_asked_again(
    device: AndroidDevice, connected_phone: Any, restarts: Callable[[], int]
) -> None:
    die_mid_request(connected_phone.phone)
    assert "<hierarchy" in device.hierarchy_xml()
    assert restarts() == 1


def test_calls_that_meet_the_same_death_restart_the_server_once(
    device: AndroidDevice, connected_phone: Any, restarts: Callable[[], int]
) -> None:
    kill_server(connected_phone.phone)
    results: list[str] = []
    readers = [
        threading.Thread(target=lambda: results.append(device.hierarchy_xml())) for _ in range(3)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(60)
    assert len(results) == 3 and all("<hierarchy" in xml for xml in results)
    assert restarts() == 1


def test_a_server_dead_on_its_port_is_a_lost_device(
    device: AndroidDevice, connected_phone: Any
) -> None:
    hold_port_dead(connected_phone.phone)
    with pytest.raises(DeviceDisconnected) as caught:
        device.tap(10, 10)
    message = str(caught.value)
    assert message.startswith(f"{connected_phone.serial}: the uiautomator2 server stopped")
    assert "during click() and it could not be restarted" in message
    assert "Address already in use" in message
    assert "Traceback" not in message


@pytest.fixture
def stuck_phone(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, threading.Event]]:
    """A connected virtual phone whose uiautomator2 server, once the event is set, starts
    and then never serves: a restart would wait for it for uiautomator2's 30 s."""
    stuck = threading.Event()
    start_server = u2server.COMMANDS["app_process"]

    async def app_process(ctx: Ctx) -> int:
        if not stuck.is_set():
            return await start_server(ctx)
        await ctx.hangup.wait()
        return 0

    monkeypatch.setitem(u2server.COMMANDS, "app_process", app_process)
    server = VirtualPhoneServer(port=free_port(), seed=0).start()
    try:
        assert b"connected" in run_adb("connect", server.serial).stdout
        yield server, stuck
    finally:
        run_adb("disconnect", server.serial)
        server.stop()


def test_a_restart_that_does_not_finish_ends_at_its_time_limit(
    stuck_phone: tuple[Any, threading.Event],
) -> None:
    server, stuck = stuck_phone
    dev = connect(server.serial, timeout_s=LIMIT_S)
    try:
        dev.recover_timeout_s = 1.5
        stuck.set()
        kill_server(server.phone)
        started = time.monotonic()
        with pytest.raises(DeviceDisconnected, match=r"did not come back within 1\.5 s"):
            dev.screen()
        assert time.monotonic() - started < 1.5 + LIMIT_S
    finally:
        dev.close()


def test_calls_waiting_on_a_restart_that_fails_fail_with_it_without_another_wait(
    stuck_phone: tuple[Any, threading.Event],
) -> None:
    server, stuck = stuck_phone
    dev = connect(server.serial, timeout_s=LIMIT_S)
    try:
        dev.recover_timeout_s = 3.0
        stuck.set()
        kill_server(server.phone)
        errors: list[BaseException] = []

        def read() -> None:
            try:
                dev.hierarchy_xml()
            except DeviceError as exc:
                errors.append(exc)

        readers = [threading.Thread(target=read) for _ in range(3)]
        started = time.monotonic()
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(60)
        assert time.monotonic() - started < 2 * 3.0  # one restart waited out, not three
        assert len(errors) == 3
        assert all(isinstance(e, DeviceDisconnected) for e in errors)
        assert all("did not come back within 3 s" in str(e) for e in errors)
    finally:
        dev.close()
