"""parse_hierarchy on every real dump in the corpus, with what each one must yield."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mobile_agent.errors import ParseError
from mobile_agent.perception import Source, parse_hierarchy
from mobile_agent.perception.elements import UIElement
from mobile_agent.perception.hierarchy import _document, infer_screen_size
from tests.perception.conftest import corpus_files, corpus_xml

FILES = corpus_files()


def by_text(elements: list[UIElement], text: str) -> UIElement:
    for el in elements:
        if text in (el.text, el.description) or text in el.text.split(" · "):
            return el
    raise AssertionError(f"no element {text!r} in {[e.text or e.description for e in elements]}")


@pytest.mark.skipif(not FILES, reason="corpus not available")
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_dump_gives_sane_numbered_elements(path: Path) -> None:
    xml = path.read_text(encoding="utf-8")
    width, height = infer_screen_size(_document(xml))
    elements = parse_hierarchy(xml)
    assert elements, "every dump has something to act on"
    assert [e.id for e in elements] == list(range(1, len(elements) + 1))
    for el in elements:
        b = el.bounds
        assert b.width >= 2 and b.height >= 2, el
        assert 0 <= b.x1 < b.x2 <= width and 0 <= b.y1 < b.y2 <= height, el
        assert el.source is Source.HIERARCHY
        assert (
            el.text
            or el.description
            or el.resource_id
            or el.clickable
            or el.scrollable
            or el.checkable
        )
    assert parse_hierarchy(xml) == elements, "numbering is stable for identical input"


def test_thai_pin_pad_digits_are_clickable_buttons() -> None:
    elements = parse_hierarchy(corpus_xml("bank_pin_entry_thai_empty_class.xml"))
    digits = [by_text(elements, str(d)) for d in range(10)]
    assert all(d.clickable for d in digits)
    assert by_text(elements, "กรุณาใส่รหัสผ่าน").text == "กรุณาใส่รหัสผ่าน"  # Thai preserved
    # reading order: 1 2 3 on one row, left to right, before 4
    ids = [d.id for d in digits]
    assert ids[1] < ids[2] < ids[3] < ids[4]


def test_hebrew_rtl_launcher_labels_preserved() -> None:
    elements = parse_hierarchy(corpus_xml("launcher_samsung_oneui_home_hebrew_rtl.xml"))
    icon = by_text(elements, "ניהול נכסים להשכרה")
    assert icon.clickable
    assert by_text(elements, "Voice search").class_name.endswith(
        "ImageButton"
    )  # icon-only, by desc


def test_huge_webview_dump_with_zero_bounds_parses_fast() -> None:
    xml = corpus_xml("webview_news_article_chinese_huge_zero_bounds.xml")
    start = time.perf_counter()
    elements = parse_hierarchy(xml)
    elapsed = time.perf_counter() - start
    assert all(el.bounds.area > 0 for el in elements)
    assert by_text(elements, "返回").clickable  # text folded into its clickable parent
    assert any(el.class_name.endswith("WebView") and el.scrollable for el in elements)
    assert elapsed < 5  # a generous sanity bound, not a benchmark


def test_keyboard_open_dump_shows_focused_editable_field_and_windows() -> None:
    elements = parse_hierarchy(corpus_xml("shop_avito_search_keyboard_open_cyrillic.xml"))
    field = by_text(elements, "littlest pet shop")
    assert field.editable and field.focused
    packages = {el.package for el in elements}
    assert {"com.android.systemui", "com.avito.android"} <= packages
    assert by_text(elements, "Отменить").clickable  # Cyrillic


def test_compose_text_in_children_folds_into_clickable_parent() -> None:
    elements = parse_hierarchy(corpus_xml("pair_watch_round_466_profile_menu_compose.xml"))
    row = by_text(elements, "欢太账号登录")
    assert row.clickable and row.class_name == "android.view.View"
    assert sum(1 for e in elements if e.text == "欢太账号登录") == 1, "folded text is not repeated"


def test_tiny_and_watch_screens_infer_their_size() -> None:
    tiny = _document(corpus_xml("pair_tinyscreen_launcher_widget_picker_240x320.xml"))
    watch = _document(corpus_xml("pair_watch_round_466_profile_menu_compose.xml"))
    assert infer_screen_size(tiny) == (240, 320)
    assert infer_screen_size(watch) == (466, 466)


def test_naf_icon_buttons_kept_with_resource_id() -> None:
    elements = parse_hierarchy(corpus_xml("settings_hidden_settings_app_tablet_rotation3.xml"))
    naf = [e for e in elements if e.extras.get("naf")]
    assert naf, "NAF nodes are kept"
    assert all(e.resource_id or e.text or e.description for e in naf)


def test_quick_settings_switch_state_and_labels() -> None:
    elements = parse_hierarchy(corpus_xml("systemui_quick_settings_expanded.xml"))
    rotate = by_text(elements, "Auto-rotate screen")
    assert rotate.checkable and rotate.checked
    flashlight = by_text(elements, "Flashlight")
    assert flashlight.checkable and not flashlight.checked


def test_explicit_screen_size_clips_offscreen_bounds() -> None:
    xml = corpus_xml("launcher_samsung_oneui_home_hebrew_rtl.xml")
    half = parse_hierarchy(xml, screen_size=(1080, 1000))
    assert half and all(e.bounds.y2 <= 1000 for e in half)
    assert len(half) < len(parse_hierarchy(xml))


def test_invisible_nodes_are_dropped() -> None:
    xml = (
        '<hierarchy rotation="0"><node text="shown" class="android.widget.TextView"'
        ' bounds="[0,0][100,50]" visible-to-user="true"/>'
        '<node text="hidden" class="android.widget.TextView"'
        ' bounds="[0,60][100,90]" visible-to-user="false"/></hierarchy>'
    )
    assert [e.text for e in parse_hierarchy(xml, screen_size=(100, 100))] == ["shown"]


def test_empty_edit_text_reports_hint_and_password_flag() -> None:
    xml = (
        '<hierarchy rotation="0"><node text="" hint="Password" class="android.widget.EditText"'
        ' clickable="true" password="true" bounds="[0,0][300,100]"/></hierarchy>'
    )
    (field,) = parse_hierarchy(xml, screen_size=(300, 300))
    assert field.editable and field.password and field.text == "Password"


@pytest.mark.parametrize(
    "junk", ["", "not xml at all", "<hierarchy><node", "<?xml version='1.0'?><x/>"]
)
def test_malformed_xml_is_a_parse_error(junk: str) -> None:
    with pytest.raises(ParseError):
        parse_hierarchy(junk)


def test_trailing_junk_after_hierarchy_is_ignored() -> None:
    xml = '<hierarchy rotation="0"><node text="ok" bounds="[0,0][10,10]"/></hierarchy>\nUI dumped'
    assert [e.text for e in parse_hierarchy(xml, screen_size=(10, 10))] == ["ok"]
