"""`AndroidDevice` against the virtual phone, through real adb and uiautomator2.

Expected values come from the phone's own model (`server.phone`), read beside the wire.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from PIL import Image

from mobile_agent.device import AndroidDevice, AppInfo, Direction, Key, connect
from mobile_agent.errors import AppNotFound, DeviceDisconnected, DeviceError, DeviceTimeout

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

NOTES = "com.example.notes"
CONTACTS = "com.example.contacts"
SETTINGS = "com.android.settings"


@pytest.fixture
def device(connected_phone: Any) -> Iterator[AndroidDevice]:
    dev = connect(connected_phone.serial, timeout_s=30)
    try:
        yield dev
    finally:
        dev.close()


def nodes(xml: str) -> list[ElementTree.Element]:
    return list(ElementTree.fromstring(xml.encode("utf-8")).iter("node"))


def node(xml: str, **attrs: str) -> ElementTree.Element:
    """The first hierarchy node whose attributes equal `attrs` (keys with _ for -)."""
    wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
    for n in nodes(xml):
        if all(n.get(k) == v for k, v in wanted.items()):
            return n
    raise AssertionError(f"no node with {wanted}")


def centre(n: ElementTree.Element) -> tuple[int, int]:
    left, top, right, bottom = (
        int(v) for v in n.get("bounds", "").replace("][", ",").strip("[]").split(",")
    )
    return (left + right) // 2, (top + bottom) // 2


def tap_node(dev: AndroidDevice, **attrs: str) -> None:
    dev.tap(*centre(node(dev.hierarchy_xml(), **attrs)))


def field_text(dev: AndroidDevice, resource_id: str) -> str:
    return node(dev.hierarchy_xml(), resource_id=resource_id).get("text", "")


def test_screen_is_a_faithful_capture(device: AndroidDevice, connected_phone: Any) -> None:
    screen = device.screen()
    image = Image.open(io.BytesIO(screen.png))
    assert image.format == "PNG"
    assert image.size == (1080, 2400) == (screen.width, screen.height)
    # Pixel-exact: the PNG is the phone's own frame, not a lossy round trip.
    expected = connected_phone.phone.screenshot().convert("RGB")
    assert image.convert("RGB").tobytes() == expected.tobytes()
    assert len(nodes(screen.hierarchy_xml)) > 5
    package, activity = connected_phone.phone.current()
    assert (screen.package, screen.activity) == (package, activity)
    assert screen.keyboard_shown is False
    assert screen.rotation == 0
    assert {"screenshot", "hierarchy", "state", "total"} <= set(screen.timings_ms)
    assert device.size == (1080, 2400)


def test_keyboard_flag_follows_focus(device: AndroidDevice, connected_phone: Any) -> None:
    device.open_app(NOTES)
    assert device.screen().keyboard_shown is False
    tap_node(device, resource_id=f"{NOTES}:id/search")
    assert device.screen().keyboard_shown is True
    assert connected_phone.phone.keyboard_shown is True
    device.press(Key.BACK)  # BACK first hides the keyboard
    assert device.screen().keyboard_shown is False


def test_unicode_typing_lands_in_the_field(device: AndroidDevice, connected_phone: Any) -> None:
    device.open_app(NOTES)
    search = f"{NOTES}:id/search"
    tap_node(device, resource_id=search)
    # The empty field reports its hint as its text; typing must not append to the hint.
    device.type_text("Grüße 你好")
    assert field_text(device, search) == "Grüße 你好"
    device.type_text("!")
    assert field_text(device, search) == "Grüße 你好!"
    device.type_text("Żółw", clear=True)
    assert field_text(device, search) == "Żółw"
    device.press(Key.DELETE)
    assert field_text(device, search) == "Żół"


def test_typing_without_a_focused_field_is_refused_for_unicode(device: AndroidDevice) -> None:
    device.open_app(SETTINGS)
    with pytest.raises(DeviceError, match="tap the field first"):
        device.type_text("你好")


def test_installed_apps_lists_launcher_apps(device: AndroidDevice) -> None:
    packages = {app.package for app in device.installed_apps()}
    assert {NOTES, CONTACTS, SETTINGS} <= packages


@pytest.mark.parametrize(
    ("name", "package"),
    [
        ("notes", NOTES),
        ("Contacts", CONTACTS),
        (SETTINGS, SETTINGS),
    ],
)
def test_open_app_by_label_or_package(
    device: AndroidDevice, connected_phone: Any, name: str, package: str
) -> None:
    device.press(Key.HOME)
    app = device.open_app(name)
    assert isinstance(app, AppInfo)
    assert app.package == package
    assert connected_phone.phone.current()[0] == package
    assert device.current_app()[0] == package


def test_open_unknown_app_names_close_matches(device: AndroidDevice) -> None:
    with pytest.raises(AppNotFound, match="Contacts"):
        device.open_app("Contcts")


def test_scroll_reveals_more_of_the_list(device: AndroidDevice) -> None:
    device.open_app(CONTACTS)

    def visible_names() -> list[str]:
        return [
            n.get("text", "")
            for n in nodes(device.hierarchy_xml())
            if n.get("resource-id") == f"{CONTACTS}:id/contact_name"
        ]

    first = visible_names()
    device.scroll(Direction.DOWN)
    after_down = visible_names()
    assert after_down != first
    assert after_down[-1] not in first  # new names came in from below
    device.scroll(Direction.UP, distance=0.6)
    device.scroll(Direction.UP, distance=0.6)
    assert visible_names() == first


def test_keys_home_back_app_switch_enter(device: AndroidDevice, connected_phone: Any) -> None:
    phone = connected_phone.phone
    device.open_app(NOTES)
    device.press(Key.HOME)
    assert phone.current()[0] == "com.android.launcher3"
    device.open_app(NOTES)
    tap_node(device, resource_id=f"{NOTES}:id/search")
    assert phone.keyboard_shown
    device.type_text("milk")
    device.press(Key.ENTER)  # submits the search: the keyboard goes away, the text stays
    assert not phone.keyboard_shown
    assert field_text(device, f"{NOTES}:id/search") == "milk"
    device.press(Key.APP_SWITCH)
    overview = device.hierarchy_xml()
    node(overview, resource_id="com.android.launcher3:id/overview")
    node(overview, resource_id="com.android.launcher3:id/task", content_desc="Notes")
    device.press(Key.BACK)  # leaves the overview, back to the app
    assert device.current_app()[0] == NOTES
    device.press(Key.HOME)
    assert device.current_app()[0] == "com.android.launcher3"


def test_long_press_opens_the_delete_dialog(device: AndroidDevice) -> None:
    device.open_app(NOTES)
    row = node(device.hierarchy_xml(), resource_id=f"{NOTES}:id/note_item")
    device.long_press(*centre(row))
    xml = device.hierarchy_xml()
    assert node(xml, resource_id="android:id/alertTitle").get("text") == "Delete note?"


def test_vanished_phone_raises_disconnected(connected_phone: Any) -> None:
    dev = connect(connected_phone.serial, timeout_s=10)
    dev.screen()
    connected_phone.stop()
    with pytest.raises(DeviceDisconnected, match=connected_phone.serial):
        dev.screen()
    with pytest.raises(DeviceDisconnected):
        dev.tap(10, 10)
    dev.close()


def test_a_call_over_its_time_limit_raises_timeout(device: AndroidDevice) -> None:
    with pytest.raises(DeviceTimeout, match=r"no answer in 0\.5 s"):
        device.shell("sleep 5", timeout_s=0.5)
    assert device.shell("echo still here").strip() == "still here"
