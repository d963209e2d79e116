"""How the phone looks: Roboto, distinct icons, the launcher's dock, drawer and long-press
menu, recents as snapshot cards, the camera preview."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFont, ImageStat

from virtual_phone.contract import NodeInfo
from virtual_phone.phone import Phone
from virtual_phone.ui import fonts
from virtual_phone.ui.hierarchy import find_node, iter_nodes
from virtual_phone.ui.theme import LIGHT

LAUNCHER = "com.android.launcher3"
SETTINGS = "com.android.settings"
NOTES = "com.example.notes"
ROBOTO = fonts._first_existing(fonts._ROBOTO)


def _centre(node: NodeInfo) -> tuple[float, float]:
    left, top, right, bottom = node.bounds
    return (left + right) / 2, (top + bottom) / 2


def _tap(phone: Phone, **attrs: object) -> None:
    node = find_node(phone.nodes(), **attrs)
    assert node is not None, attrs
    phone.tap(*_centre(node))


def _nodes(phone: Phone, **attrs: object) -> list[NodeInfo]:
    return [
        n for n in iter_nodes(phone.nodes()) if all(getattr(n, k) == v for k, v in attrs.items())
    ]


def _mask(image: Image.Image, ink: int) -> Image.Image:
    """1 where the glyph is drawn: light pixels (ink=1) or dark ones (ink=0)."""
    grey = image.convert("L")
    return grey.point(lambda v: 255 if (v > 225) == bool(ink) else 0)


def _distinct(masks: dict[str, Image.Image], share: float) -> list[tuple[str, str]]:
    """Pairs of glyph masks that differ in less than `share` of their pixels."""
    same = []
    for (a, ma), (b, mb) in combinations(masks.items(), 2):
        diff = ImageStat.Stat(ImageChops.difference(ma, mb)).mean[0] / 255
        if diff < share:
            same.append((a, b))
    return same


def _font_file(text: str, bold: bool = False) -> str:
    font = fonts.font_for(text, 40, bold)
    assert isinstance(font, ImageFont.FreeTypeFont)
    return Path(str(font.path)).name


@pytest.fixture
def fresh_fonts() -> Iterator[None]:
    """Font lookups recomputed before and after the test."""
    caches = (fonts.main_font_path, fonts._fallback_path, fonts.font, fonts.fallback_font)

    def clear() -> None:
        for cache in (*caches, fonts.main_font_has):
            cache.cache_clear()

    clear()
    yield
    clear()


@pytest.mark.skipif(ROBOTO is None, reason="Roboto is not installed")
def test_text_is_drawn_in_roboto_with_dejavu_for_missing_symbols(fresh_fonts: None) -> None:
    assert Path(str(fonts.main_font_path())).name == "Roboto-Regular.ttf"
    assert _font_file("Network & internet") == "Roboto-Regular.ttf"
    assert _font_file("Settings", bold=True) == "Roboto-Medium.ttf"
    assert "DejaVu" in _font_file("4.5 ★")  # Roboto has no star


def test_without_roboto_dejavu_is_used_with_a_warning(
    fresh_fonts: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fonts, "_ROBOTO", ("/nonexistent/Roboto-Regular.ttf",))
    monkeypatch.setattr(fonts, "_ROBOTO_BOLD", ("/nonexistent/Roboto-Medium.ttf",))
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        path = fonts.main_font_path()
    assert path is None or "Roboto" not in path
    assert any("Roboto not installed" in r.getMessage() for r in caplog.records)


def test_drawer_opens_on_swipe_up_and_lists_every_app_by_name() -> None:
    phone = Phone()
    assert find_node(phone.nodes(), resource_id=f"{LAUNCHER}:id/hotseat") is not None
    assert find_node(phone.nodes(), resource_id=f"{LAUNCHER}:id/apps_view") is None
    phone.swipe(540, 1900, 540, 700, 250)
    drawer = find_node(phone.nodes(), resource_id=f"{LAUNCHER}:id/apps_list_view")
    assert drawer is not None
    listed = [n.text for n in iter_nodes([drawer]) if n.text]
    expected = sorted((a.label for a in phone.launcher_apps()), key=str.casefold)
    assert listed == expected
    _tap(phone, text="Notes", package=LAUNCHER)
    assert phone.current()[0] == NOTES
    phone.press_key("home")
    phone.swipe(540, 1900, 540, 700, 250)
    phone.press_key("back")  # BACK closes the drawer, as a swipe down does
    assert find_node(phone.nodes(), resource_id=f"{LAUNCHER}:id/apps_view") is None
    phone.swipe(540, 1900, 540, 700, 250)
    phone.swipe(540, 700, 540, 1900, 250)
    assert find_node(phone.nodes(), resource_id=f"{LAUNCHER}:id/workspace") is not None


def test_each_app_icon_has_its_own_glyph() -> None:
    phone = Phone()
    phone.swipe(540, 1900, 540, 700, 250)
    shot = phone.screenshot()
    drawer = find_node(phone.nodes(), resource_id=f"{LAUNCHER}:id/apps_list_view")
    assert drawer is not None
    masks = {}
    for node in iter_nodes([drawer]):
        if node.text:
            left, top, right, _ = node.bounds
            cx, side = (left + right) // 2, (right - left) * 2 // 5
            masks[node.text] = _mask(
                shot.crop((cx - side // 2, top, cx + side // 2, top + side)), 1
            )
    assert len(masks) == len(phone.launcher_apps())
    assert _distinct(masks, 0.04) == []


def test_each_settings_row_has_its_own_glyph() -> None:
    phone = Phone()
    phone.start_app(SETTINGS)
    shot = phone.screenshot()
    icons = _nodes(phone, package=SETTINGS, class_name="android.widget.ImageView")
    masks = {}
    for icon in icons:
        row = icon.parent
        assert row is not None
        title = find_node([row], resource_id="android:id/title")
        if title is not None and icon.bounds[3] - icon.bounds[1] > 40:
            masks[title.text] = _mask(shot.crop(icon.bounds), 0)
    assert len(masks) >= 8
    assert _distinct(masks, 0.04) == []


def test_long_press_menu_opens_app_info_and_removes_from_home() -> None:
    phone = Phone()
    notes = find_node(phone.nodes(), text="Notes", package=LAUNCHER)
    assert notes is not None and notes.long_clickable
    phone.long_press(*_centre(notes), 800)
    assert find_node(phone.nodes(), resource_id=f"{LAUNCHER}:id/popup_container") is not None
    _tap(phone, text="App info")
    assert phone.current()[0] == SETTINGS
    assert find_node(phone.nodes(), text="App info") is not None
    assert find_node(phone.nodes(), resource_id=f"{SETTINGS}:id/entity_header_title", text="Notes")
    _tap(phone, text="Open")
    assert phone.current()[0] == NOTES

    phone.press_key("home")
    notes = find_node(phone.nodes(), text="Notes", package=LAUNCHER)
    assert notes is not None
    phone.long_press(*_centre(notes), 800)
    _tap(phone, text="Remove")
    assert find_node(phone.nodes(), text="Notes", package=LAUNCHER) is None
    phone.swipe(540, 1900, 540, 700, 250)  # still in the drawer
    assert find_node(phone.nodes(), text="Notes", package=LAUNCHER) is not None


def _similarity(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference of two images at the size of the first (0 = same)."""
    small = b.resize(a.size, Image.Resampling.BILINEAR)
    return ImageStat.Stat(ImageChops.difference(a.convert("L"), small.convert("L"))).mean[0]


def test_recents_shows_a_card_per_task_with_its_last_frame() -> None:
    phone = Phone()
    phone.start_app(NOTES)
    notes_frame = phone.screenshot()
    phone.start_app(SETTINGS)
    settings_frame = phone.screenshot()
    phone.press_key("app_switch")
    shot = phone.screenshot()
    cards = _nodes(phone, resource_id=f"{LAUNCHER}:id/task")
    assert [c.content_desc for c in cards] == ["Settings", "Notes"]
    middle = shot.crop(cards[0].bounds)
    window = (0, 0, 1080, 2400 - 126)
    # the middle card shows Settings' frame, not Notes'
    assert _similarity(middle, settings_frame.crop(window)) * 2 < _similarity(
        middle, notes_frame.crop(window)
    )
    # a sideways swipe brings the older task to the middle; swiping a card up dismisses it
    phone.swipe(200, 900, 900, 900, 200)
    cards = _nodes(phone, resource_id=f"{LAUNCHER}:id/task")
    notes_card = next(c for c in cards if c.content_desc == "Notes")
    assert abs(_centre(notes_card)[0] - 540) < 10
    x, y = _centre(notes_card)
    phone.swipe(x, y, x, y - 700, 200)
    assert [c.content_desc for c in _nodes(phone, resource_id=f"{LAUNCHER}:id/task")] == [
        "Settings"
    ]
    assert NOTES not in phone.running_packages()


def test_camera_preview_is_a_scene_fixed_by_the_seed() -> None:
    previews = []
    for seed in (1, 1, 2):
        phone = Phone(seed=seed)
        phone.start_app("com.android.camera2")
        node = find_node(phone.nodes(), resource_id="com.android.camera2:id/preview")
        assert node is not None
        previews.append(phone.screenshot().crop(node.bounds))
    assert max(ImageStat.Stat(previews[0]).stddev) > 20  # not a flat placeholder
    assert ImageChops.difference(previews[0], previews[1]).getbbox() is None
    assert ImageChops.difference(previews[0], previews[2]).getbbox() is not None
    for desc in ("Shutter", "Switch to front camera", "Open gallery"):
        assert find_node(phone.nodes(), content_desc=desc, clickable=True) is not None


def test_bars_are_see_through_over_the_wallpaper_only_on_home() -> None:
    phone = Phone()
    home = phone.screenshot()
    # the wallpaper runs on under the status bar: its row matches the row below it
    assert _similarity(home.crop((0, 50, 300, 60)), home.crop((0, 70, 300, 80))) < 6
    assert home.getpixel((700, 30)) != LIGHT["statusbar"]
    assert home.getpixel((20, 2390)) != LIGHT["navbar"]
    phone.start_app(NOTES)
    app = phone.screenshot()
    assert app.getpixel((700, 30)) == LIGHT["statusbar"]
    assert app.getpixel((20, 2390)) == LIGHT["navbar"]
