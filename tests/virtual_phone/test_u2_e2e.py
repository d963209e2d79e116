"""The real uiautomator2 client, through the real adb server, driving the virtual phone."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

NOTES = "com.example.notes"


def test_connect_info_and_screen(u2_device: Any) -> None:
    d = u2_device
    info = d.info
    assert info["displayWidth"] == 1080
    assert info["displayHeight"] == 2400
    assert info["screenOn"] is True
    assert d.window_size() == (1080, 2400)
    image = d.screenshot()
    assert image.size == (1080, 2400)
    xml = d.dump_hierarchy()
    assert "<hierarchy" in xml
    assert 'package="com.android.systemui"' in xml
    assert d.orientation == "natural"


def test_apps_click_swipe_and_keys(u2_device: Any) -> None:
    d = u2_device
    d.app_start(NOTES)
    assert d.app_current()["package"] == NOTES
    assert d(description="New note").wait(timeout=5)
    x, y = d(description="New note").center()
    d.click(x, y)
    assert d(text="New note").wait(timeout=5)  # the editor's toolbar title
    d.press("back")
    assert d(description="New note").wait(timeout=5)
    d.press("home")
    assert d.app_current()["package"] != NOTES
    d.swipe(540, 10, 540, 1200, steps=20)
    assert d(resourceId="com.android.systemui:id/notification_panel").wait(timeout=5)


def test_selectors_text_entry_and_xpath(u2_device: Any) -> None:
    import uiautomator2 as u2

    d = u2_device
    d.app_start(NOTES)
    search = d(resourceId=f"{NOTES}:id/search")
    assert search.wait(timeout=5)
    titles = d(resourceId=f"{NOTES}:id/note_title")
    first = titles.get_text()
    count = titles.count
    assert count >= 2
    search.set_text(first)
    assert search.get_text() == first
    assert d(resourceId=f"{NOTES}:id/note_title").count < count
    search.clear_text()
    assert d(resourceId=f"{NOTES}:id/note_title").count == count

    with pytest.raises(u2.UiObjectNotFoundError):
        d(text="Nowhere to be seen").info  # noqa: B018 - the RPC raises
    with pytest.raises(u2.UiObjectNotFoundError):
        d(text="Nowhere to be seen").click(timeout=0.2)

    d(text=first).click()
    assert d(resourceId=f"{NOTES}:id/save").wait(timeout=5)
    d.press("back")
    assert d.xpath('//*[@content-desc="New note"]').wait(timeout=5)
    d.xpath('//*[@content-desc="New note"]').click()
    assert d(resourceId=f"{NOTES}:id/save").wait(timeout=5)


def test_send_keys_clipboard_and_toast(u2_device: Any) -> None:
    d = u2_device
    d.app_start(NOTES)
    d(resourceId=f"{NOTES}:id/search").click()
    assert d(focused=True, resourceId=f"{NOTES}:id/search").wait(timeout=5)
    d.send_keys("Grüße 你好")
    assert d(resourceId=f"{NOTES}:id/search").get_text() == "Grüße 你好"
    d.clipboard = "clip ✓ 📋"
    assert d.clipboard == "clip ✓ 📋"
    d.toast.show("Saved ✓", 1.0)
    assert d.last_toast == "Saved ✓"
    d.clear_toast()
    assert d.last_toast is None


def test_gestures_scrolling_and_system_calls(u2_device: Any) -> None:
    d = u2_device
    d.app_start("com.android.settings")
    listing = d(scrollable=True, packageName="com.android.settings")
    assert listing.wait(timeout=5)
    titles = d(resourceId="android:id/title")
    first = titles.get_text()
    assert titles.info_list()[0]["text"] == first
    assert listing.scroll.vert.forward() is True
    assert titles.get_text() != first
    listing.scroll.toBeginning()
    assert titles.get_text() == first
    assert listing.scroll.to(text="About phone") is True
    assert d(text="About phone").exists
    listing.fling.toBeginning()
    assert d(text=first).exists
    row = d(resourceId="com.android.settings:id/recycler_view").child(text=first)
    assert row.get_text() == first
    summary = d(text=first).sibling(resourceId="android:id/summary")
    assert summary.exists
    assert summary.info["bounds"]["top"] >= d(text=first).info["bounds"]["bottom"]
    assert d(text="Nowhere").wait_gone(timeout=0.5)

    d.app_start("com.example.notes")
    new_note = d(description="New note")
    assert new_note.wait(timeout=5)
    x, y = new_note.center()
    d.touch.down(x, y)
    d.touch.up(x, y)
    assert d(resourceId="com.example.notes:id/save").wait(timeout=5)
    d.press(4)
    d(resourceId="com.example.notes:id/note_title").long_click()
    assert d(text="Delete note?").wait(timeout=5)
    d(text="Cancel").click()
    assert d(text="Delete note?").wait_gone(timeout=5)

    d.screen_off()
    assert d.info["screenOn"] is False
    d.screen_on()
    assert d.info["screenOn"] is True
    d.orientation = "left"
    assert d.orientation == "left"
    d.orientation = "natural"
    d.freeze_rotation(True)
    d.open_quick_settings()
    assert d(resourceId="com.android.systemui:id/notification_panel").wait(timeout=5)


def test_concurrent_calls_from_threads(u2_device: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    d = u2_device
    d.app_start(NOTES)
    assert d(description="New note").wait(timeout=5)

    def work(i: int) -> tuple[str, bool]:
        kind = i % 3
        if kind == 0:
            return ("info", d.info["currentPackageName"] == NOTES)
        if kind == 1:
            return ("exists", bool(d(description="New note").exists))
        return ("dump", 'content-desc="New note"' in d.dump_hierarchy())

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(work, range(36)))
    assert len(results) == 36
    assert all(ok for _, ok in results), results
