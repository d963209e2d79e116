"""parse_hierarchy on every real dump of the corpus, and what each particular dump must yield."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from mobile_agent.perception import Source, UIElement, analyse_hierarchy, parse_hierarchy

from ._corpus import corpus_params, read_xml

log = logging.getLogger(__name__)


def find(elements: list[UIElement], label: str) -> UIElement:
    """The element whose text or description is `label` (or holds it as a folded part)."""
    for el in elements:
        if label in (el.text, el.description) or label in el.text.split(" | "):
            return el
    raise AssertionError(f"no element {label!r} among {[e.label for e in elements]}")


@pytest.mark.parametrize("path", corpus_params("*.xml"))
def test_every_dump_gives_sane_numbered_elements(path: Path) -> None:
    xml = path.read_text(encoding="utf-8")
    analysis = analyse_hierarchy(xml)
    width, height = analysis.screen_size
    elements = analysis.elements
    assert elements, "every real screen has something to act on or read"
    assert len(elements) < analysis.node_count, "layout containers are dropped"
    assert [e.id for e in elements] == list(range(1, len(elements) + 1))
    for el in elements:
        b = el.bounds
        assert b.width >= 2 and b.height >= 2, el
        assert 0 <= b.x1 < b.x2 <= width and 0 <= b.y1 < b.y2 <= height, el
        assert el.source is Source.HIERARCHY
        informative = el.text or el.description or el.resource_id
        actionable = el.clickable or el.long_clickable or el.scrollable or el.checkable
        assert informative or actionable or el.editable or el.extras.get("naf"), el
        assert "\ufeff" not in el.text and el.text == el.text.strip()
    for i, earlier in enumerate(elements):  # reading order: no later element starts higher
        for later in elements[i:]:  # … than an icon beside a label, or a row beside a
            a, b = earlier.bounds, later.bounds  # label centred on it, may
            slack = max(2, a.height // 4)
            centred = abs((a.y1 + a.y2) - (b.y1 + b.y2)) <= max(4, min(a.height, b.height) // 2)
            assert b.y1 >= a.y1 - slack or centred, (earlier, later)
    assert parse_hierarchy(xml) == elements, "identical input numbers identically"


def test_thai_bank_pin_pad_digits_are_clickable_keys_in_reading_order() -> None:
    elements = parse_hierarchy(read_xml("bank_pin_entry_thai_empty_class.xml"))
    digits = {d: find(elements, str(d)) for d in range(10)}
    assert all(key.clickable for key in digits.values())
    assert [digits[d].id for d in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)] == sorted(
        digits[d].id for d in range(10)
    )
    assert digits[1].bounds.y1 == digits[3].bounds.y1 and digits[1].id + 2 == digits[3].id
    assert find(elements, "กรุณาใส่รหัสผ่าน").text == "กรุณาใส่รหัสผ่าน"
    close, delete = find(elements, "ปิด"), find(elements, "ลบ")  # class="" icon buttons
    assert close.clickable and delete.clickable and close.class_name == ""


def test_hebrew_rtl_launcher_labels_and_descriptions_preserved() -> None:
    elements = parse_hierarchy(read_xml("launcher_samsung_oneui_home_hebrew_rtl.xml"))
    app = find(elements, "ניהול נכסים להשכרה")
    assert app.clickable and app.long_clickable
    whatsapp = find(elements, "WhatsApp")  # visible label in a child TextView, folded
    assert whatsapp.text == "WhatsApp" and whatsapp.description == "WhatsApp, 15 notifications"
    voice = find(elements, "Voice search")
    assert voice.class_name.endswith("ImageButton") and voice.clickable
    assert voice.package == "com.google.android.googlequicksearchbox"  # widget keeps its package


def test_huge_webview_dump_with_zero_bounds() -> None:
    xml = read_xml("webview_news_article_chinese_huge_zero_bounds.xml")
    started = time.perf_counter()
    analysis = analyse_hierarchy(xml)
    log.info("504-node WebView dump parsed in %.1f ms", (time.perf_counter() - started) * 1000)
    elements = analysis.elements
    assert analysis.node_count == 504
    assert all(el.bounds.area > 0 for el in elements)
    assert len(elements) < 50, "468 zero-size web nodes are gone"
    assert find(elements, "返回").clickable  # text folded into its clickable parent
    assert any(el.class_name.endswith("WebView") and el.scrollable for el in elements)
    assert any("刘德华" in el.description and el.clickable for el in elements)


def test_keyboard_open_dump_focused_field_windows_and_occlusion() -> None:
    elements = parse_hierarchy(read_xml("shop_avito_search_keyboard_open_cyrillic.xml"))
    field = find(elements, "littlest pet shop")
    assert field.editable and field.focused and field.class_name == "android.widget.EditText"
    assert {e.package for e in elements} == {
        "com.avito.android",
        "com.android.systemui",
        "com.google.android.inputmethod.latin",
    }
    assert find(elements, "Отменить").clickable
    assert find(elements, "Space").package == "com.google.android.inputmethod.latin"
    keyboard_top = 1167  # the IME window's top edge
    app = [e for e in elements if e.package == "com.avito.android"]
    hidden = [e for e in app if e.bounds.center[1] >= keyboard_top]
    assert not hidden, "app elements behind the keyboard cannot be tapped"


@pytest.mark.parametrize(
    ("name", "size", "rotation"),
    [
        ("pair_tinyscreen_launcher_widget_picker_240x320.xml", (240, 320), 0),
        ("pair_watch_round_466_profile_menu_compose.xml", (466, 466), 0),
        ("social_tiktok_search_480x640_navbar.xml", (480, 640), 0),
        ("news_feed_publisher_rotation1_portrait_bounds.xml", (1080, 1920), 1),
        ("settings_hidden_settings_app_tablet_rotation3.xml", (1200, 1920), 3),
        ("settings_wireless_debugging_tablet_landscape.xml", (1280, 734), 1),
        ("car_ivi_vehicle_settings_sound_korean_compose.xml", (1898, 965), 0),
    ],
)
def test_screen_size_and_rotation_inferred(name: str, size: tuple[int, int], rotation: int) -> None:
    analysis = analyse_hierarchy(read_xml(name))
    assert analysis.screen_size == size
    assert analysis.rotation == rotation


def test_given_size_in_the_other_orientation_is_swapped_to_fit_the_bounds() -> None:
    xml = read_xml("launcher_nova_widgets_chrome_weather_landscape_korean.xml")
    assert analyse_hierarchy(xml, screen_size=(1128, 2000)).screen_size == (2000, 1128)
    assert parse_hierarchy(xml, screen_size=(1128, 2000)) == parse_hierarchy(xml)


def test_compose_text_in_children_folds_into_clickable_parent() -> None:
    elements = parse_hierarchy(read_xml("pair_watch_round_466_profile_menu_compose.xml"))
    row = find(elements, "欢太账号登录")
    assert row.clickable and row.class_name == "android.view.View"
    assert sum(1 for e in elements if "欢太账号登录" in (e.text, e.description)) == 1
    music = parse_hierarchy(read_xml("pair_music_player_overlay_occluded_home_compose.xml"))
    close = find(music, "Close")  # desc of a non-clickable child View
    assert close.clickable and close.bounds.as_list() == [52, 125, 154, 227]
    assert not [e for e in music if "FEATURED" in e.text], "1-px squeezed labels are dropped"


def test_naf_icon_buttons_kept_with_resource_id() -> None:
    elements = parse_hierarchy(read_xml("settings_hidden_settings_app_tablet_rotation3.xml"))
    naf = [e for e in elements if e.extras.get("naf")]
    assert len(naf) == 15  # SOURCES.md: 15 NAF="true" unlabeled clickables
    assert all(e.clickable and e.resource_id and not e.text for e in naf)
    assert sum(1 for e in naf if e.resource_id.endswith(":id/options")) == 12
    maps = parse_hierarchy(read_xml("maps_google_maps_search_results_900x1600.xml"))
    (the_map,) = [e for e in maps if e.extras.get("naf")]
    assert the_map.clickable and the_map.bounds.as_list() == [0, 0, 900, 1600]


def test_several_windows_each_with_their_package() -> None:
    ecovacs = parse_hierarchy(read_xml("webview_hybrid_robot_vacuum_app_german_statusbar.xml"))
    assert {e.package for e in ecovacs} == {"com.android.systemui", "com.eco.global.app"}
    assert find(ecovacs, "Zurück").package == "com.android.systemui"  # the navigation bar
    assert find(ecovacs, "\ue68c Bathroom").clickable  # icon-font glyph kept in the text
    windows = {e.extras["window"] for e in ecovacs}
    assert len(windows) >= 3
    tiktok = parse_hierarchy(read_xml("social_tiktok_search_480x640_navbar.xml"))
    assert find(tiktok, "Home").package == "com.android.systemui"
    assert find(tiktok, "Top").package == "com.zhiliaoapp.musically"


def test_quick_settings_switch_states() -> None:
    elements = parse_hierarchy(read_xml("systemui_quick_settings_expanded.xml"))
    internet = find(elements, "Internet, AndroidWifi")
    assert internet.checkable and internet.checked and internet.class_name.endswith("Switch")
    flashlight = find(elements, "Flashlight, Off")
    assert flashlight.checkable and not flashlight.checked


def test_dialog_only_dumps_and_nested_same_size_clickables() -> None:
    permission = parse_hierarchy(read_xml("dialog_permission_location_permissioncontroller.xml"))
    assert find(permission, "Precise").checked and not find(permission, "Approximate").checked
    same_size = [e for e in permission if e.bounds.as_list() == [27, 339, 1053, 1875]]
    assert len(same_size) == 1, "a clickable inside a same-sized clickable is one element"
    anr = parse_hierarchy(read_xml("dialog_anr_system_ui_not_responding.xml"))
    assert [e.text for e in anr] == ["System UI isn't responding", "Close app", "Wait"]
    assert all(e.package == "android" for e in anr)


def test_password_field_and_pin_pad_on_the_lock_screen() -> None:
    elements = parse_hierarchy(read_xml("lockscreen_vivo_pin_pad.xml"))
    (field,) = [e for e in elements if e.editable]
    assert field.password and field.focused and field.class_name == "android.widget.EditText"
    assert all(find(elements, str(d)).clickable for d in range(10))


def test_react_native_empty_field_reports_its_hint() -> None:
    elements = parse_hierarchy(read_xml("pair_react_native_otp_login_form.xml"))
    (field,) = [e for e in elements if e.editable]
    assert field.text == field.extras["hint"] == "Enter Your Number"
    assert field.resource_id == "phone-input"
    otp = find(elements, "Get OTP")
    assert otp.clickable and otp.description == "Send OTP"


def test_arabic_rtl_chips_read_right_to_left_with_indic_digits() -> None:
    elements = parse_hierarchy(read_xml("llm_model_picker_arabic_rtl_compose.xml"))
    chips = [find(elements, t) for t in ("#عربي", "#سريع", "#خفيف")]  # x=1016, 866, 705
    assert [c.bounds.x1 for c in chips] == sorted((c.bounds.x1 for c in chips), reverse=True)
    assert [c.id for c in chips] == sorted(c.id for c in chips), "the rightmost chip first"
    assert find(elements, "٠٫٨GB").text == "٠٫٨GB"


def test_trailing_text_after_hierarchy_and_bom_characters() -> None:
    xml = read_xml("social_x_twitter_search_results_chinese.xml")
    assert xml.rstrip().endswith("/dev/tty") and "\ufeff" in xml
    elements = parse_hierarchy(xml)
    assert any(e.text.startswith("使用 @NowledgeMem") for e in elements)
    assert find(elements, "deepseek").clickable


def test_zero_size_and_obfuscated_nodes() -> None:
    play = parse_hierarchy(read_xml("store_google_play_app_details_compose.xml"))
    assert not [e for e in play if e.text in ("Games", "Apps")], "[0,0][0,0] labels dropped"
    assert find(play, "Open").clickable
    nova = parse_hierarchy(read_xml("launcher_nova_widgets_chrome_weather_landscape_korean.xml"))
    assert [e.class_name for e in nova].count("d9.k") == 3
    assert len({e.package for e in nova}) == 4


def test_tv_focus_and_car_pane_offsets() -> None:
    tv = parse_hierarchy(read_xml("tv_philo_live_guide_1920x1080.xml"))
    assert [e.text for e in tv if e.focused] == ["Guide"]
    car = parse_hierarchy(read_xml("car_ivi_vehicle_settings_sound_korean_compose.xml"))
    assert all(e.bounds.x1 >= 640 for e in car), "the dump holds only the right-hand pane"
    assert find(car, "조용한 모드").text == "조용한 모드"
    toggles = [e for e in car if e.checkable]
    assert len(toggles) == 5 and all(e.clickable and not e.checked for e in toggles)
