"""Screenshots: size, mode, caching by ui_version, changes after actions, keyboard drawn."""

from __future__ import annotations

from PIL import ImageChops, ImageStat

from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node


def _tap(phone: Phone, **attrs: object) -> None:
    node = find_node(phone.nodes(), **attrs)
    assert node is not None, attrs
    left, top, right, bottom = node.bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)


def test_screenshot_is_full_size_rgb_and_changes_after_action() -> None:
    phone = Phone()
    first = phone.screenshot()
    assert first.size == (1080, 2400)
    assert first.mode == "RGB"
    version = phone.ui_version
    _tap(phone, text="Settings", clickable=True)
    assert phone.ui_version > version
    second = phone.screenshot()
    assert ImageChops.difference(first, second).getbbox() is not None


def test_screenshot_is_stable_without_changes() -> None:
    phone = Phone()
    version = phone.ui_version
    a, b = phone.screenshot(), phone.screenshot()
    assert phone.ui_version == version
    assert ImageChops.difference(a, b).getbbox() is None
    a.paste((255, 0, 0), (0, 0, 100, 100))  # callers get their own copy
    assert phone.screenshot().getpixel((10, 10)) != (255, 0, 0)


def test_keyboard_is_drawn_in_lower_screen() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    before = phone.screenshot()
    _tap(phone, resource_id="com.example.notes:id/search")
    after = phone.screenshot()
    box = ImageChops.difference(before, after).getbbox()
    assert box is not None
    assert box[3] > 1700
    drawn = {t.text for t in phone.screen_texts()}
    assert {"q", "w", "e"} <= drawn


def test_drawn_texts_cover_hierarchy_texts_of_visible_app() -> None:
    phone = Phone()
    phone.start_app("com.android.settings")
    drawn = {t.text for t in phone.screen_texts()}
    for label in ("Network & internet", "Connected devices", "Settings"):
        assert label in drawn


def test_dark_theme_darkens_the_screen() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    light = ImageStat.Stat(phone.screenshot().convert("L")).mean[0]
    phone.settings_put("secure", "ui_night_mode", "2")
    dark = ImageStat.Stat(phone.screenshot().convert("L")).mean[0]
    assert dark < light * 0.6
