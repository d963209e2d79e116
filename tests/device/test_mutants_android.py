"""A phone that stops answering in the middle of a call: the call ends with `DeviceTimeout`
at its time limit, and the device works again once the phone answers; a screenshot cut
short is an error, not a broken capture.

The virtual phone misbehaves from its side (its screenshot or one uiautomator2 method waits
on a gate, its screencap trickles or stops short); everything between it and
`AndroidDevice` is the real stack. A hang here would last until the gate opens (60 s) and
so fail the test: no call may wait that long.
"""

from __future__ import annotations

import asyncio
import io
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import free_port, run_adb
from PIL import Image

from mobile_agent.device import AndroidDevice, connect
from mobile_agent.errors import DeviceError, DeviceTimeout
from virtual_phone.server import VirtualPhoneServer
from virtual_phone.shell.commands import media
from virtual_phone.shell.context import Ctx
from virtual_phone.u2 import rpc

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

LIMIT_S = 3.0
HANG_S = 60.0


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Opened at the end of the test, whatever happened: nothing stays hung."""
    opened = threading.Event()
    try:
        yield opened
    finally:
        opened.set()


@pytest.fixture
def device(connected_phone: Any) -> Iterator[AndroidDevice]:
    dev = connect(connected_phone.serial, timeout_s=LIMIT_S)
    try:
        yield dev
    finally:
        dev.close()


def test_a_hung_screenshot_ends_the_capture_with_a_timeout(
    device: AndroidDevice,
    connected_phone: Any,
    gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    phone = connected_phone.phone
    answer = phone.screenshot_png

    def hung_screenshot() -> bytes:
        gate.wait(HANG_S)
        return answer()

    monkeypatch.setattr(phone, "screenshot_png", hung_screenshot)
    with pytest.raises(DeviceTimeout, match=connected_phone.serial):
        device.screen()
    gate.set()
    assert device.screen().png == phone.screenshot_png()


def test_a_screenshot_cut_short_is_a_device_error_not_a_broken_screen(
    device: AndroidDevice, connected_phone: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = connected_phone.phone
    whole = phone.screenshot_png()
    monkeypatch.setattr(phone, "screenshot_png", lambda: whole[: len(whole) // 2])
    with pytest.raises(DeviceError, match=rf"ended after {len(whole) // 2} bytes"):
        device.screen()
    monkeypatch.undo()
    with Image.open(io.BytesIO(device.screen().png)) as image:
        image.load()  # whole again


@pytest.fixture
def trickling_phone(gate: threading.Event, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A connected virtual phone whose `screencap` starts a PNG and then sends one byte at a
    time, each well within the socket time limit, until the gate opens."""

    async def trickle(ctx: Ctx) -> int:
        ctx.out(b"\x89PNG\r\n\x1a\n")
        until = time.monotonic() + HANG_S
        while not gate.is_set() and not ctx.hangup.is_set() and time.monotonic() < until:
            await ctx.flush()
            await asyncio.sleep(0.2)
            ctx.out(b"\0")
        return 0

    monkeypatch.setitem(media.COMMANDS, "screencap", trickle)
    server = VirtualPhoneServer(port=free_port(), seed=0).start()
    try:
        assert b"connected" in run_adb("connect", server.serial).stdout
        yield server
    finally:
        gate.set()
        run_adb("disconnect", server.serial)
        server.stop()


def test_a_screenshot_that_never_ends_ends_the_capture_with_a_timeout(
    trickling_phone: Any,
) -> None:
    """No single read waits long, so only the limit of the whole capture ends it."""
    dev = connect(trickling_phone.serial, timeout_s=LIMIT_S)
    try:
        with pytest.raises(DeviceTimeout, match="screenshot"):
            dev.screen()
        assert "<hierarchy" in dev.hierarchy_xml()  # the rest of the phone still answers
    finally:
        dev.close()


def test_a_stalled_uiautomator2_call_ends_at_its_time_limit(
    device: AndroidDevice,
    gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answer = rpc.METHODS["dumpWindowHierarchy"]

    def stalled(phone: Any, args: list[Any]) -> Any:
        gate.wait(HANG_S)
        return answer(phone, args)

    monkeypatch.setitem(rpc.METHODS, "dumpWindowHierarchy", stalled)
    with pytest.raises(
        DeviceTimeout, match=rf"dumpWindowHierarchy\(\) .* no answer in {LIMIT_S:g} s"
    ):
        device.hierarchy_xml()
    gate.set()
    monkeypatch.setitem(rpc.METHODS, "dumpWindowHierarchy", answer)
    assert "<hierarchy" in device.hierarchy_xml()


def test_a_stalled_gesture_ends_at_its_own_longer_limit(
    device: AndroidDevice,
    gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long press may take its duration on top of the usual limit, and no longer."""
    answer = rpc.METHODS["click"]

    def stalled(phone: Any, args: list[Any]) -> Any:
        gate.wait(HANG_S)
        return answer(phone, args)

    monkeypatch.setitem(rpc.METHODS, "click", stalled)
    with pytest.raises(DeviceTimeout, match=rf"click\(\) .* no answer in {LIMIT_S + 0.5:g} s"):
        device.long_press(10, 10, duration_s=0.5)
