"""`screen_signature`: equal for captures that look the same, on real dumps and screenshots."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageDraw

from mobile_agent.perception import screen_signature
from mobile_agent.perception.artifacts import Screen

from ._corpus import read_png, read_xml

AVITO = "shop_avito_search_keyboard_open_cyrillic.xml"  # status bar window with clock, battery
FORM = "pair_react_native_otp_login_form"


def sig(xml: str, png: bytes = b"", *, activity: str = ".Main", package: str = "app") -> str:
    screen = Screen(
        png=png, hierarchy_xml=xml, width=1080, height=2400, package=package, activity=activity
    )
    return screen_signature(screen)


def edited(png: bytes, box: tuple[int, int, int, int]) -> bytes:
    with Image.open(io.BytesIO(png)) as img:
        image = img.convert("RGB")
    ImageDraw.Draw(image).rectangle(box, fill=(255, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_equal_when_only_the_status_bar_clock_and_battery_changed() -> None:
    xml = read_xml(AVITO)
    later = xml.replace('text="17:52"', 'text="17:53"')
    later = later.replace("заряд в процентах: 100", "заряд в процентах: 99")
    assert later.count("17:53") == 1 and "процентах: 99" in later
    assert sig(later) == sig(xml)
    weaker = later.replace("Надежный сигнал Wi-Fi.", "Слабый сигнал Wi-Fi.")  # no digits
    assert weaker != later and sig(weaker) == sig(xml), "the status bar is ignored"


def test_equal_when_only_an_app_drawn_clock_and_battery_changed() -> None:
    xml = read_xml("pair_amap_navigation_chinese.xml")  # the SDK draws its own status bar
    assert "上午10:10" in xml and 'text="100%"' in xml
    later = xml.replace("上午10:10", "上午10:11").replace('text="100%"', 'text="99%"')
    assert sig(later) == sig(xml)


def test_a_toggled_checkbox_differs() -> None:
    xml = read_xml("settings_app_alarms_reminders_special_access_1344x2992.xml")
    assert xml.count('checked="true"') == 1
    assert sig(xml.replace('checked="true"', 'checked="false"')) != sig(xml)


def test_a_toggled_quick_settings_tile_differs() -> None:
    # The expanded shade is system UI too, but no bar: what it shows counts.
    xml = read_xml("systemui_quick_settings_expanded.xml")
    off = xml.replace('text="Bluetooth, On"', 'text="Bluetooth, Off"', 1)
    assert off != xml and sig(off) != sig(xml)


def test_a_changed_text_differs() -> None:
    xml = read_xml(AVITO)
    typed = xml.replace('text="littlest pet shop"', 'text="littlest pet shops"')
    assert typed != xml and sig(typed) != sig(xml)


def test_another_activity_or_package_differs() -> None:
    xml = read_xml(AVITO)
    assert sig(xml, activity=".Search") != sig(xml, activity=".Main")
    assert sig(xml, package="other") != sig(xml)


def test_a_dump_the_strict_parsers_rejected_is_judged_by_its_nodes() -> None:
    xml = read_xml("social_x_twitter_search_results_chinese.xml")
    with pytest.raises(ET.ParseError):
        ET.fromstring(xml.encode("utf-8"))
    png = read_png(f"{FORM}.png")
    assert sig(xml, png) == sig(xml, edited(png, (100, 900, 980, 1500)))  # nodes, not pixels
    assert sig(xml.replace('text="deepseek"', 'text="deepseek r2"')) != sig(xml)


@pytest.mark.parametrize("hierarchy", ["", "<not xml", "<hierarchy rotation='0'/>"])
def test_without_a_usable_hierarchy_the_screenshot_decides(hierarchy: str) -> None:
    png = read_png(f"{FORM}.png")
    assert sig(hierarchy, png) == sig(hierarchy, png)
    assert sig(hierarchy, edited(png, (30, 5, 130, 55))) == sig(hierarchy, png)  # status bar
    assert sig(hierarchy, edited(png, (100, 900, 980, 1500))) != sig(hierarchy, png)
    assert sig(hierarchy, png) != sig(read_xml(f"{FORM}.xml"), png)
    assert sig(hierarchy, b"not a png") != sig(hierarchy, b"not a png either")


def test_a_dump_of_nothing_but_system_bars_falls_back_to_the_screenshot() -> None:
    xml = read_xml(AVITO)
    bars_only = ET.tostring(ET.fromstring(xml)[1], encoding="unicode")  # the status bar window
    assert 'package="com.android.systemui"' in bars_only
    bars_only = f'<hierarchy rotation="0">{bars_only}</hierarchy>'
    png = read_png(f"{FORM}.png")
    assert sig(bars_only, png) != sig(bars_only, edited(png, (100, 900, 980, 1500)))
