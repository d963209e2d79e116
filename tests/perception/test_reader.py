"""The one hierarchy reader (`load_hierarchy`) and what is read through it: the rotation, the
focused text field. Real dumps, including one a strict XML parser rejects."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from mobile_agent.errors import ParseError
from mobile_agent.perception import focused_field, hierarchy_rotation, load_hierarchy

from ._corpus import manifest, read_xml

TWITTER = "social_x_twitter_search_results_chinese.xml"


def test_a_dump_strict_parsers_reject_is_read() -> None:
    xml = read_xml(TWITTER)
    with pytest.raises(ET.ParseError, match="junk after document element"):
        ET.fromstring(xml.encode("utf-8"))  # what the device and the benchmark used to do
    raw = load_hierarchy(xml)
    texts = [node.get("text") for node in raw.nodes()]
    assert "deepseek" in texts
    assert len(texts) == raw.count == xml.count("<node ")
    assert hierarchy_rotation(xml) == 0
    assert focused_field(xml) is None  # readable, and nothing in it has focus


def test_nodes_come_depth_first_in_document_order() -> None:
    xml = (
        "\ufeff<hierarchy rotation='1'>"
        "<node text='a' bounds='[0,0][10,10]'><node text='b'><node text='c'/></node>"
        "<node text='d'/></node><node text='e' bounds='[0,0][5,5]'/></hierarchy>\n"
        "UI hierchary dumped to: /dev/tty"
    )
    raw = load_hierarchy(xml)
    assert [n.get("text") for n in raw.nodes()] == ["a", "b", "c", "d", "e"]
    assert [n.order for n in raw.nodes()] == [0, 1, 2, 3, 4]
    assert [w.get("text") for w in raw.windows] == ["a", "e"]
    assert [n.get("text") for n in raw.windows[0].walk()] == ["a", "b", "c", "d"]
    assert raw.windows[1].rect == (0, 0, 5, 5) and raw.windows[0].children[0].rect is None
    assert raw.rotation == hierarchy_rotation(xml) == 1


def test_unreadable_dumps() -> None:
    for broken in ("", "   ", "no xml here", "<hierarchy><node></hierarchy>"):
        with pytest.raises(ParseError):
            load_hierarchy(broken)
        assert hierarchy_rotation(broken) == 0
        assert focused_field(broken) is None


def test_rotation_of_real_dumps() -> None:
    assert hierarchy_rotation(read_xml("news_feed_publisher_rotation1_portrait_bounds.xml")) == 1
    assert hierarchy_rotation(read_xml("settings_hidden_settings_app_tablet_rotation3.xml")) == 3
    assert hierarchy_rotation(read_xml("shop_avito_search_keyboard_open_cyrillic.xml")) == 0


def test_focused_field_ignores_focused_status_bar_and_keyboard_nodes() -> None:
    # This real dump has three focused nodes: the search EditText, a status-bar group and
    # a keyboard key.
    xml = read_xml("shop_avito_search_keyboard_open_cyrillic.xml")
    assert xml.count('focused="true"') == 3
    field = focused_field(xml)
    assert field is not None
    assert field.class_name == "android.widget.EditText"
    assert field.current_text == "littlest pet shop"


def test_focused_password_field() -> None:
    field = focused_field(read_xml("lockscreen_vivo_pin_pad.xml"))
    assert field is not None and field.password and field.current_text == ""


def test_empty_field_reports_its_hint_as_text() -> None:
    xml = (
        "<hierarchy rotation='0'><node class='android.widget.FrameLayout' focused='false'>"
        "<node class='android.widget.EditText' text='Search contacts' hint='Search contacts' "
        "focused='true' password='false'/></node></hierarchy>"
    )
    field = focused_field(xml)
    assert field is not None
    assert field.text == "Search contacts"
    assert field.current_text == ""
    assert focused_field(xml.replace("focused='true'", "focused='false'")) is None
    assert focused_field("<not xml") is None


def test_corpus_manifest_names_dump_files_once() -> None:
    # The manifest only counts the cases of an absent corpus; a present corpus (any phones'
    # dumps) is read from its directory, so the two need not match.
    names = manifest()
    assert names
    assert len(names) == len(set(names))
    assert all(name.endswith((".xml", ".png")) for name in names)
