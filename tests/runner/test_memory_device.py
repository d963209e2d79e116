"""The in-memory device keeps the `Device` contract: it shows the phone's screen, its
gestures, keys and text reach the phone, and it fails the way a real phone fails. And the
tests of this folder reach no server."""

from __future__ import annotations

import os
import socket
import xml.etree.ElementTree as ET

import pytest
from memory_device import Call, MemoryDevice

from mobile_agent.device.base import Device, Direction, Key
from mobile_agent.errors import AppNotFound, DeviceDisconnected, DeviceError, DeviceTimeout

NOTES = "com.example.notes"
LAUNCHER = "com.android.launcher3"
TITLE = "com.example.notes:id/title"


def _node(device: MemoryDevice, **attrs: str) -> ET.Element:
    """The first hierarchy node of the current screen with these attributes."""
    root = ET.fromstring(device.screen().hierarchy_xml)
    for node in root.iter("node"):
        if all(node.get(key.replace("_", "-")) == value for key, value in attrs.items()):
            return node
    raise AssertionError(f"no node with {attrs} on screen")


def _tap(device: MemoryDevice, **attrs: str) -> None:
    left, top, right, bottom = _bounds(_node(device, **attrs))
    device.tap((left + right) // 2, (top + bottom) // 2)


def _bounds(node: ET.Element) -> tuple[int, int, int, int]:
    numbers = node.get("bounds", "").replace("][", ",").strip("[]").split(",")
    left, top, right, bottom = (int(n) for n in numbers)
    return left, top, right, bottom


def _device() -> MemoryDevice:
    """A fresh phone whose captures skip rendering pixels (these tests read the hierarchy)."""
    return MemoryDevice(screenshots=False)


def _open_new_note(device: MemoryDevice) -> None:
    device.open_app("Notes")
    _tap(device, content_desc="New note")
    _tap(device, resource_id=TITLE)


def test_it_is_a_device() -> None:
    assert isinstance(MemoryDevice(), Device)


def test_screen_shows_the_home_screen() -> None:
    device = MemoryDevice()
    screen = device.screen()
    assert screen.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (screen.width, screen.height) == device.size == (1080, 2400)
    assert screen.package == LAUNCHER
    assert device.current_app() == (screen.package, screen.activity)
    assert not screen.keyboard_shown
    assert _node(device, text="Notes").get("clickable") == "true"


def test_screenshot_follows_the_screen() -> None:
    device = MemoryDevice()
    home = device.screen().png
    assert device.screen().png == home  # nothing changed: the same picture
    device.open_app("Settings")
    assert device.screen().png != home


def test_blank_screenshots_keep_the_size() -> None:
    device = MemoryDevice(screenshots=False)
    screen = device.screen()
    assert screen.png.startswith(b"\x89PNG")
    assert int.from_bytes(screen.png[16:20], "big") == 1080
    assert int.from_bytes(screen.png[20:24], "big") == 2400


def test_tap_on_the_notes_icon_opens_notes() -> None:
    device = _device()
    _tap(device, text="Notes")
    assert device.current_app()[0] == NOTES
    assert device.phone.current()[0] == NOTES
    assert device.actions == [Call("tap", device.actions[0].args)]


def test_typing_lands_in_the_focused_field() -> None:
    device = _device()
    _open_new_note(device)
    assert device.screen().keyboard_shown
    device.type_text("Grüße 你好")
    assert _node(device, resource_id=TITLE).get("text") == "Grüße 你好"
    device.type_text(" 😀")
    assert _node(device, resource_id=TITLE).get("text") == "Grüße 你好 😀"
    device.type_text("Groceries", clear=True)
    assert _node(device, resource_id=TITLE).get("text") == "Groceries"


def test_non_ascii_text_without_a_focused_field_is_refused() -> None:
    device = _device()
    device.open_app("Notes")
    with pytest.raises(DeviceError, match="No text field has focus"):
        device.type_text("Grüße")


def test_back_hides_the_keyboard_then_leaves_the_editor() -> None:
    device = _device()
    _open_new_note(device)
    device.press(Key.BACK)
    assert not device.screen().keyboard_shown
    assert device.current_app() == (NOTES, "com.example.notes.EditorActivity")
    device.press(Key.BACK)
    assert device.current_app() == (NOTES, "com.example.notes.MainActivity")
    device.press(Key.HOME)
    assert device.current_app()[0] == LAUNCHER


def test_open_app_by_label_in_any_case_or_by_package() -> None:
    device = _device()
    assert device.open_app("notes").package == NOTES
    device.press(Key.HOME)
    assert device.open_app("com.android.settings").label == "Settings"
    assert device.current_app()[0] == "com.android.settings"


def test_open_app_without_a_match_names_close_matches() -> None:
    device = _device()
    with pytest.raises(AppNotFound, match="Notes"):
        device.open_app("Notez")
    with pytest.raises(AppNotFound):
        device.open_app("com.android.systemui")  # installed, but not a launcher app
    assert device.current_app()[0] == LAUNCHER


def test_installed_apps_are_the_launcher_apps() -> None:
    apps = {app.package: app for app in _device().installed_apps()}
    assert apps[NOTES].label == "Notes"
    assert apps[NOTES].activity == "com.example.notes.MainActivity"
    assert LAUNCHER not in apps
    assert "com.android.systemui" not in apps


def test_scroll_down_reveals_more_and_up_comes_back() -> None:
    device = _device()
    device.open_app("Settings")
    top = device.screen().hierarchy_xml
    device.scroll(Direction.DOWN)
    assert device.screen().hierarchy_xml != top
    device.scroll(Direction.UP)
    device.scroll(Direction.UP)
    assert device.screen().hierarchy_xml == top
    swipes = [c for c in device.actions if c.name == "scroll"]
    assert [c.args[0] for c in swipes] == [Direction.DOWN, Direction.UP, Direction.UP]


def test_the_log_keeps_actions_apart_from_looking() -> None:
    device = _device()
    device.screen()
    device.press(Key.HOME)
    device.swipe(500, 1500, 500, 900, 0.2)
    device.long_press(100, 100)
    assert [c.name for c in device.calls] == ["screen", "press", "swipe", "long_press"]
    assert device.action_names() == ["press", "swipe", "long_press"]
    assert device.actions[1] == Call("swipe", (500, 1500, 500, 900, 0.2))


def test_a_vanished_phone_fails_every_later_call() -> None:
    device = _device()
    device.screen()
    device.disconnect()
    with pytest.raises(DeviceDisconnected):
        device.open_app("Notes")
    with pytest.raises(DeviceDisconnected):
        device.screen()
    assert device.gone
    assert device.phone.current()[0] == LAUNCHER  # the launch never reached the phone
    assert device.action_names() == []


def test_the_phone_can_vanish_at_a_chosen_call() -> None:
    device = _device()
    device.disconnect(on="press", skip=1)
    device.screen()
    device.press(Key.HOME)  # the first press still works
    device.tap(10, 10)
    with pytest.raises(DeviceDisconnected):
        device.press(Key.BACK)
    with pytest.raises(DeviceDisconnected):
        device.tap(10, 10)
    assert device.action_names() == ["press", "tap"]
    assert [c.ok for c in device.actions] == [True, True, False, False]


def test_a_hung_call_times_out_without_acting() -> None:
    device = _device()
    device.hang(on="open_app")
    with pytest.raises(DeviceTimeout):
        device.open_app("Notes")
    assert device.current_app()[0] == LAUNCHER
    device.open_app("Notes")  # only the one call hung
    assert device.current_app()[0] == NOTES
    assert not device.gone


def test_calls_after_close_are_errors() -> None:
    device = _device()
    device.close()
    with pytest.raises(DeviceError):
        device.screen()


def test_these_tests_reach_no_server(no_sockets: list[str]) -> None:
    port = int(os.environ["ANDROID_ADB_SERVER_PORT"])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
    assert no_sockets == [repr(("127.0.0.1", port))]
    no_sockets.clear()  # seen: this one attempt was the point of the test
