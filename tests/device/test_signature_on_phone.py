"""`screen_signature` over real captures of the virtual phone, through adb and uiautomator2."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest

from mobile_agent.device import AndroidDevice, Key, Screen, connect
from mobile_agent.perception import screen_signature, wait_for_settle

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

_CLOCK = re.compile(r'text="(\d{2}):(\d{2})"')


@pytest.fixture
def device(connected_phone: Any) -> Iterator[AndroidDevice]:
    dev = connect(connected_phone.serial, timeout_s=30)
    try:
        yield dev
    finally:
        dev.close()


def settled(device: AndroidDevice) -> Screen:
    result = wait_for_settle(device.screen, max_wait_s=5)
    assert result.settled
    return result.screen


def another_minute(screen: Screen) -> Screen:
    """The capture with the clock one minute on (only its text: the hour stays)."""

    def later(match: re.Match[str]) -> str:
        return f'text="{match.group(1)}:{(int(match.group(2)) + 1) % 60:02d}"'

    xml, count = _CLOCK.subn(later, screen.hierarchy_xml)
    assert count >= 1, "the status bar shows a clock"
    return dataclasses.replace(screen, hierarchy_xml=xml)


def test_unchanged_screens_agree_and_changed_ones_do_not(device: AndroidDevice) -> None:
    device.press(Key.HOME)
    home = settled(device)
    assert screen_signature(device.screen()) == screen_signature(home)
    assert screen_signature(another_minute(home)) == screen_signature(home)

    device.open_app("com.example.notes")
    notes = settled(device)
    assert notes.package == "com.example.notes"
    assert screen_signature(notes) != screen_signature(home)

    width, _ = device.size
    device.swipe(width // 2, 5, width // 2, 1400)  # the notification shade, over the app
    shade = settled(device)
    assert (shade.package, shade.activity) == (notes.package, notes.activity)
    assert screen_signature(shade) != screen_signature(notes), "the shade is no bar"
    assert screen_signature(another_minute(shade)) == screen_signature(shade)

    device.swipe(width // 2, 400, width // 2, 1600)  # expanded to quick settings
    assert screen_signature(settled(device)) != screen_signature(shade)
    device.press(Key.BACK)
    assert screen_signature(settled(device)) == screen_signature(notes)
