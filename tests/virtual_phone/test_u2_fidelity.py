"""uiautomator2 RPCs that answer as the platform's server does, through the real client, adb
server and adb transport: named UiObjects (childByText, childByDescription, childByInstance,
getChild, getFromParent), drags held past the long-press timeout, two-finger gestures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import uiautomator2 as u2
from conftest import served_phone
from uiautomator2._selector import UiObject
from uiautomator2.exceptions import UiObjectNotFoundError

pytestmark = pytest.mark.e2e

CONTACTS = "com.example.contacts"
CONTACT_LIST = f"{CONTACTS}:id/contact_list"
CONTACT_ITEM = f"{CONTACTS}:id/contact_item"
CONTACT_NAME = f"{CONTACTS}:id/contact_name"
NOTES = "com.example.notes"
NOTE_TITLE = f"{NOTES}:id/note_title"
NOTES_LIST = f"{NOTES}:id/notes_list"
LAUNCHER = "com.android.launcher3"


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with served_phone() as phone_server:
        yield phone_server


@pytest.fixture(scope="module")
def d(server: Any) -> Any:
    return u2.connect(server.serial)


def contact_names(server: Any) -> list[str]:
    return sorted(str(c["name"]) for c in server.phone.app_state(CONTACTS)["contacts"])


def open_contacts(d: Any) -> None:
    d.app_start(CONTACTS, stop=True)
    assert d(resourceId=CONTACT_LIST).wait(timeout=5)


def test_child_by_text_scrolls_the_list_and_names_the_row(d: Any, server: Any) -> None:
    open_contacts(d)
    last = contact_names(server)[-1]
    assert not d(text=last).exists  # below the fold
    row = d(resourceId=CONTACT_LIST).child_by_text(last, resourceId=CONTACT_ITEM)
    assert isinstance(row.selector, str) and len(row.selector) == 36  # a UUID kept server-side
    assert row.exists
    info = row.info
    assert info["resourceName"] == CONTACT_ITEM
    name = d(text=last).info["bounds"]
    assert info["bounds"]["top"] <= name["top"] and name["bottom"] <= info["bounds"]["bottom"]
    row.click()
    assert d(description="Call").wait(timeout=5)  # the details screen of that contact
    assert d(text=last).exists


def test_child_by_text_without_scroll_search_and_missing_text(d: Any, server: Any) -> None:
    open_contacts(d)
    last = contact_names(server)[-1]
    with pytest.raises(UiObjectNotFoundError, match="UiObjectNotFoundException"):
        d(resourceId=CONTACT_LIST).child_by_text(
            last, allow_scroll_search=False, resourceId=CONTACT_ITEM
        )
    with pytest.raises(UiObjectNotFoundError):
        d(resourceId=CONTACT_LIST).child_by_text("Nobody At All", resourceId=CONTACT_ITEM)


def test_child_by_instance_and_relatives(d: Any) -> None:
    open_contacts(d)
    shown = [d(resourceId=CONTACT_NAME, instance=i).get_text() for i in range(3)]
    row = d(resourceId=CONTACT_LIST).child_by_instance(2, resourceId=CONTACT_ITEM)
    name = UiObject(d, d.jsonrpc.getChild(row.selector, u2.Selector(resourceId=CONTACT_NAME)))
    assert name.get_text() == shown[2]
    first = d.jsonrpc.getUiObject(u2.Selector(text=shown[0]))
    letter = d.jsonrpc.getFromParent(first, u2.Selector(text=shown[0][0]))
    assert UiObject(d, letter).get_text() == shown[0][0]  # the section letter beside it
    assert {row.selector, first, letter} <= set(d.jsonrpc.getUiObjects())
    d.jsonrpc.removeUiObject(letter)
    assert d.jsonrpc.exist(letter) is False
    assert d.jsonrpc.getChild("no-such-object", u2.Selector(text="x")) is None
    with pytest.raises(UiObjectNotFoundError, match="UiObjectNotFoundException"):
        d.jsonrpc.objInfo("no-such-object")


def test_child_by_description_on_the_home_screen(d: Any) -> None:
    d.press("home")
    grid = d(packageName=LAUNCHER, className="android.widget.FrameLayout", instance=0)
    icon = grid.child_by_description("Notes", className="android.widget.TextView")
    assert icon.info["contentDescription"] == "Notes"
    icon.click()
    assert d(resourceId=NOTE_TITLE).wait(timeout=5)


def _note_row(d: Any) -> tuple[int, int]:
    d.app_start(NOTES, stop=True)
    assert d(resourceId=NOTE_TITLE).wait(timeout=5)
    x, y = d(resourceId=NOTE_TITLE, instance=0).center()
    return int(x), int(y)


def _dialog_shown(d: Any) -> bool:
    return bool(d(text="Delete note?").exists)


def test_drag_holds_past_the_long_press_timeout_where_swipe_does_not(d: Any) -> None:
    x, y = _note_row(d)
    d.swipe(x, y, x, y + 400, 0.1)
    assert not _dialog_shown(d)
    d.drag(x, y, x, y + 400, 0.1)
    assert d(text="Delete note?").wait(timeout=3)  # the row's long click
    d.press("back")
    x, y = _note_row(d)
    d(resourceId=NOTE_TITLE, instance=0).drag_to(x, y + 400)
    assert d(text="Delete note?").wait(timeout=3)
    d.press("back")


def test_raw_touches_rest_then_move_as_a_drag(d: Any) -> None:
    x, y = _note_row(d)
    d.touch.down(x, y).move(x, y + 200).up(x, y + 400)  # moves at once: a swipe
    assert not _dialog_shown(d)
    d.touch.down(x, y).sleep(0.6).move(x, y + 200).up(x, y + 400)  # rests first: a drag
    assert d(text="Delete note?").wait(timeout=3)
    d.press("back")


def test_pinches_are_delivered_without_clicks_or_crashes(d: Any, server: Any) -> None:
    open_contacts(d)
    first = contact_names(server)[0]
    top = d(text=first).info["bounds"]["top"]
    assert d(resourceId=CONTACT_LIST).pinch_in(percent=80, steps=20) is True
    assert d(resourceId=CONTACT_LIST).pinch_out(percent=80, steps=20) is True
    assert d.app_current()["package"] == CONTACTS
    assert d(text=first).info["bounds"]["top"] == top  # fingers side by side: no scroll
    assert not d(description="Call").exists  # and no click
    # two fingers, the second one moving up: the list follows it, as RecyclerView does
    d(resourceId=CONTACT_LIST).gesture((300, 1500), (700, 1500), (300, 1500), (700, 900), 20)
    assert not d(text=first).exists or d(text=first).info["bounds"]["top"] < top


def test_pinch_on_a_web_page_and_on_a_missing_object(d: Any) -> None:
    d.app_start("com.example.browser", stop=True)
    page = d(scrollable=True)
    assert page.wait(timeout=5)
    before = d.dump_hierarchy()
    assert page.pinch_out(percent=50) is True
    assert page.pinch_in(percent=50) is True
    assert d.app_current()["package"] == "com.example.browser"
    assert d.dump_hierarchy() == before
    with pytest.raises(UiObjectNotFoundError):
        d(text="Nothing like this").pinch_in()
