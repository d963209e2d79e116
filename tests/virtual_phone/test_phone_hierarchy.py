"""The phone's hierarchy: XML format of VIRTUAL_PHONE.md §5, windows, compression, depth."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS
from lxml import etree

from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import escape, find_node, iter_nodes

ATTRIBUTE_ORDER = [
    "index",
    "text",
    "resource-id",
    "class",
    "package",
    "content-desc",
    "checkable",
    "checked",
    "clickable",
    "enabled",
    "focusable",
    "focused",
    "scrollable",
    "long-clickable",
    "password",
    "selected",
    "visible-to-user",
    "bounds",
    "drawing-order",
    "hint",
    "display-id",
]


def _tap(phone: Phone, **attrs: object) -> None:
    node = find_node(phone.nodes(), **attrs)
    assert node is not None, attrs
    left, top, right, bottom = node.bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)


def test_xml_is_well_formed_with_header_and_rotation() -> None:
    phone = Phone()
    xml = phone.hierarchy_xml()
    assert xml.startswith("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>")
    root = etree.fromstring(xml.encode("utf-8"))
    assert root.tag == "hierarchy"
    assert root.get("rotation") == "0"
    assert all(child.tag == "node" for child in root)


def test_every_node_has_attributes_in_platform_order() -> None:
    xml = Phone().hierarchy_xml()
    tags = re.findall(r"<node ([^>]*?)/?>", xml)
    assert len(tags) > 20
    for tag in tags:
        assert re.findall(r'([a-z-]+)="', tag) == ATTRIBUTE_ORDER


def test_attribute_order_matches_a_real_dump() -> None:
    sample = CORPUS / "webview_hybrid_robot_vacuum_app_german_statusbar.xml"
    if not sample.is_file():
        pytest.skip(f"corpus dump not found at {sample}")
    real = re.search(r"<node ([^>]*?)/?>", sample.read_text(encoding="utf-8"))
    assert real is not None
    assert re.findall(r'([a-z-]+)="', real.group(1)) == ATTRIBUTE_ORDER


def test_windows_include_system_ui_and_app() -> None:
    phone = Phone()
    packages = [root.package for root in phone.nodes()]
    assert "com.android.systemui" in packages
    assert packages[-1] == "com.android.launcher3"
    nav = find_node(phone.nodes(), content_desc="Back")
    assert nav is not None
    assert nav.package == "com.android.systemui"
    assert nav.class_name == "android.widget.ImageButton"
    assert nav.text == ""
    assert nav.bounds[1] >= 2274
    for desc in ("Home", "Overview"):
        assert find_node(phone.nodes(), content_desc=desc) is not None


def test_childless_nodes_self_close_and_bounds_format() -> None:
    xml = Phone().hierarchy_xml()
    assert re.search(r'<node [^>]*bounds="\[\d+,\d+\]\[\d+,\d+\]"[^>]* />', xml)
    assert "></node>" not in xml


def test_escaping_of_special_characters() -> None:
    assert (
        escape('a & b < c > d "e"\nf\tg\rh')
        == "a &amp; b &lt; c &gt; d &quot;e&quot;&#10;f&#9;g&#13;h"
    )
    phone = Phone()
    phone.start_app("com.example.notes")
    _tap(phone, resource_id="com.example.notes:id/search")
    phone.input_text('<b> & "q"')
    xml = phone.hierarchy_xml()
    etree.fromstring(xml.encode("utf-8"))
    assert 'text="&lt;b&gt; &amp; &quot;q&quot;"' in xml


def test_empty_edit_text_reports_hint_as_text() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    node = find_node(phone.nodes(), resource_id="com.example.notes:id/search")
    assert node is not None
    assert node.class_name == "android.widget.EditText"
    assert node.text == "Search notes"
    assert node.hint == "Search notes"
    assert node.focusable
    assert node.clickable
    assert not node.focused


def test_compressed_drops_plain_containers_but_keeps_content() -> None:
    phone = Phone()
    full, compressed = phone.hierarchy_xml(), phone.hierarchy_xml(compressed=True)
    assert compressed.count("<node") < full.count("<node")
    for label in ("Notes", "Contacts", "Settings"):
        assert f'text="{label}"' in compressed
    etree.fromstring(compressed.encode("utf-8"))


def test_max_depth_limits_nesting() -> None:
    phone = Phone()
    shallow = etree.fromstring(phone.hierarchy_xml(max_depth=2).encode("utf-8"))
    depths = [len(list(node.iterancestors())) for node in shallow.iter("node")]
    assert max(depths) == 2  # hierarchy → window root → one level of children
    deep = etree.fromstring(phone.hierarchy_xml().encode("utf-8"))
    assert max(len(list(n.iterancestors())) for n in deep.iter("node")) > 2


def test_node_keys_are_unique_and_parents_linked() -> None:
    phone = Phone()
    nodes = list(iter_nodes(phone.nodes()))
    assert len({n.key for n in nodes}) == len(nodes)
    for node in nodes:
        for position, child in enumerate(node.children):
            assert child.parent is node
            assert child.index == position


def test_launcher_icons_have_label_text_and_description() -> None:
    phone = Phone()
    for label in ("Settings", "Notes", "Contacts", "Browser", "Clock", "Camera"):
        node = find_node(phone.nodes(), text=label, clickable=True)
        assert node is not None, label
        assert node.content_desc == label
        assert node.package == "com.android.launcher3"


def test_icon_only_buttons_have_description_without_text() -> None:
    phone = Phone()
    phone.start_app("com.example.notes")
    fab = find_node(phone.nodes(), content_desc="New note")
    assert fab is not None
    assert fab.class_name == "android.widget.ImageButton"
    assert fab.text == ""
    assert fab.clickable
