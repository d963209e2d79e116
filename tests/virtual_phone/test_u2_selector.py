"""UiSelector matching of the uiautomator2 server over real phones' hierarchy dumps.

Expected results come from XPath queries over the same XML (lxml), not from the matcher.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS
from lxml import etree
from perception._corpus import corpus_params

from virtual_phone.contract import NodeInfo
from virtual_phone.u2.selector import Selector, SelectorError, obj_info

QS = "systemui_quick_settings_expanded.xml"
MIUI = "launcher_miui_home_chinese_statusbar.xml"
_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")
_FIELDS = {
    "text": 0x1,
    "textContains": 0x2,
    "textMatches": 0x4,
    "textStartsWith": 0x8,
    "className": 0x10,
    "classNameMatches": 0x20,
    "description": 0x40,
    "descriptionContains": 0x80,
    "descriptionMatches": 0x100,
    "descriptionStartsWith": 0x200,
    "checkable": 0x400,
    "checked": 0x800,
    "clickable": 0x1000,
    "longClickable": 0x2000,
    "scrollable": 0x4000,
    "enabled": 0x8000,
    "focusable": 0x10000,
    "focused": 0x20000,
    "selected": 0x40000,
    "packageName": 0x80000,
    "packageNameMatches": 0x100000,
    "resourceId": 0x200000,
    "resourceIdMatches": 0x400000,
    "index": 0x800000,
    "instance": 0x1000000,
}


def sel(**kwargs: Any) -> dict[str, Any]:
    """Selector JSON exactly as uiautomator2's `Selector(**kwargs)` builds it."""
    mask = 0
    for key in kwargs:
        mask |= _FIELDS[key]
    return {"mask": mask, "childOrSibling": [], "childOrSiblingSelector": [], **kwargs}


def chain(base: dict[str, Any], *steps: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """`d(...).child(...).sibling(...)` as the client serialises it."""
    out = dict(base, childOrSibling=[], childOrSiblingSelector=[])
    for relation, sub in steps:
        out["childOrSibling"].append(relation)
        out["childOrSiblingSelector"].append(sub)
    return out


def _load(name: str) -> etree._Element:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"hierarchy corpus not available at {CORPUS}")
    raw = path.read_bytes()
    end = raw.rfind(b"</hierarchy>")
    try:  # the expected results come from lxml: a dump it cannot read has none
        return etree.fromstring(raw[: end + len(b"</hierarchy>")] if end >= 0 else raw)
    except (etree.XMLSyntaxError, ValueError) as exc:
        pytest.skip(f"{name}: lxml cannot read it ({exc})")


def _to_node(el: etree._Element, key: list[int], parent: NodeInfo | None) -> NodeInfo:
    a = el.attrib
    m = _BOUNDS.fullmatch(a.get("bounds", "[0,0][0,0]"))
    bounds = tuple(int(v) for v in m.groups()) if m else (0, 0, 0, 0)
    key[0] += 1
    node = NodeInfo(
        key=key[0],
        index=int(a.get("index", "0")),
        text=a.get("text", ""),
        resource_id=a.get("resource-id", ""),
        class_name=a.get("class", ""),
        package=a.get("package", ""),
        content_desc=a.get("content-desc", ""),
        bounds=bounds,  # type: ignore[arg-type]
        **{
            f: a.get(x) == "true"
            for f, x in [
                ("checkable", "checkable"),
                ("checked", "checked"),
                ("clickable", "clickable"),
                ("focusable", "focusable"),
                ("focused", "focused"),
                ("scrollable", "scrollable"),
                ("long_clickable", "long-clickable"),
                ("password", "password"),
                ("selected", "selected"),
            ]
        },
        enabled=a.get("enabled") != "false",
        hint=a.get("hint", ""),
        parent=parent,
    )
    node.children = [_to_node(c, key, node) for c in el if c.tag == "node"]
    return node


def roots_of(tree: etree._Element) -> list[NodeInfo]:
    """NodeInfo trees (one per window) built from a dump, like `phone.nodes()` returns."""
    counter = [0]
    return [_to_node(el, counter, None) for el in tree if el.tag == "node"]


def find(tree: etree._Element, selector: dict[str, Any]) -> list[NodeInfo]:
    return Selector.parse(selector).find_all(roots_of(tree))


def xpath_bounds(tree: etree._Element, query: str) -> list[str]:
    return [el.get("bounds") for el in tree.xpath(query)]


def bounds_str(nodes: list[NodeInfo]) -> list[str]:
    return ["[{},{}][{},{}]".format(*n.bounds) for n in nodes]


@pytest.fixture(scope="module")
def qs() -> etree._Element:
    return _load(QS)


def test_exact_text_is_case_sensitive(qs: etree._Element) -> None:
    assert [n.text for n in find(qs, sel(text="Bluetooth"))] == ["Bluetooth"]
    assert find(qs, sel(text="bluetooth")) == []


def test_contains_and_starts_with_ignore_case(qs: etree._Element) -> None:
    got = find(qs, sel(textContains="bluetooth"))
    want = xpath_bounds(qs, "//node[contains(@text, 'Bluetooth')]")
    assert len(want) == 2
    assert bounds_str(got) == want
    starts = find(qs, sel(textStartsWith="AIRPLANE"))
    assert bounds_str(starts) == xpath_bounds(qs, "//node[starts-with(@text, 'Airplane')]")
    desc = find(qs, sel(descriptionContains="SIGNAL FULL"))
    assert bounds_str(desc) == xpath_bounds(qs, "//node[contains(@content-desc, 'signal full')]")
    assert len(desc) == 2


def test_matches_is_a_full_match(qs: etree._Element) -> None:
    assert find(qs, sel(textMatches="Of")) == []  # would match a prefix of "Off" only
    offs = find(qs, sel(textMatches=".*, Off"))
    assert bounds_str(offs) == xpath_bounds(
        qs, "//node[substring(@text, string-length(@text) - 4) = ', Off']"
    )
    assert len(offs) == 3
    ids = find(qs, sel(resourceIdMatches=r".*:id/(tile|app)_label"))
    want = xpath_bounds(
        qs,
        "//node[contains(@resource-id, ':id/tile_label')"
        " or contains(@resource-id, ':id/app_label')]",
    )
    assert bounds_str(ids) == want


def test_description_with_narrow_no_break_space(qs: etree._Element) -> None:
    clock = find(qs, sel(description="3:17\u202fPM"))
    assert [n.resource_id for n in clock] == ["com.android.systemui:id/clock"]
    assert find(qs, sel(description="3:17 PM")) == []


def test_boolean_criteria_combine_with_and(qs: etree._Element) -> None:
    on = find(qs, sel(className="android.widget.Switch", checked=True))
    assert [n.content_desc for n in on] == [
        "Internet,AndroidWifi",
        "Bluetooth.",
        "Auto-rotate screen",
    ]
    got = find(qs, sel(className="android.widget.LinearLayout", clickable=True, checkable=False))
    want = xpath_bounds(
        qs,
        "//node[@class='android.widget.LinearLayout' and @clickable='true' and @checkable='false']",
    )
    assert bounds_str(got) == want
    assert len(want) == 2


def test_index_is_the_position_among_siblings(qs: etree._Element) -> None:
    got = find(qs, sel(className="android.widget.ImageView", index=2))
    want = xpath_bounds(qs, "//node[@class='android.widget.ImageView' and @index='2']")
    assert want
    assert bounds_str(got) == want


def test_instance_is_nth_match_in_document_order(qs: etree._Element) -> None:
    labels = qs.xpath("//node[@resource-id='com.android.systemui:id/tile_label']")
    for i, el in enumerate(labels):
        got = find(qs, sel(resourceId="com.android.systemui:id/tile_label", instance=i))
        assert [n.text for n in got] == [el.get("text")]
    assert (
        find(qs, sel(resourceId="com.android.systemui:id/tile_label", instance=len(labels))) == []
    )


def test_child_searches_descendants_of_matches(qs: etree._Element) -> None:
    off_labels = find(
        qs,
        chain(
            sel(className="android.widget.Switch", checked=False),
            ("child", sel(resourceId="com.android.systemui:id/tile_label")),
        ),
    )
    assert [n.text for n in off_labels] == ["Flashlight", "Do Not Disturb", "Airplane mode"]
    state = find(
        qs,
        chain(
            sel(text="Bluetooth, On"),
            ("child", sel(resourceId="com.android.systemui:id/app_label")),
        ),
    )
    assert [n.text for n in state] == ["On"]


def test_sibling_searches_from_the_parent(qs: etree._Element) -> None:
    got = find(
        qs,
        chain(sel(text="Alarm"), ("sibling", sel(resourceId="com.android.systemui:id/app_label"))),
    )
    assert [n.text for n in got] == ["No alarm set"]


def test_instance_inside_a_chain_applies_to_that_level(qs: etree._Element) -> None:
    second = find(
        qs,
        chain(
            sel(resourceId="com.android.systemui:id/tile_page"),
            ("child", sel(className="android.widget.Switch", instance=1)),
        ),
    )
    assert [n.text for n in second] == ["Bluetooth, On"]


def test_windows_are_searched_in_order() -> None:
    tree = _load(MIUI)
    packages = [el.get("package") for el in tree if el.tag == "node"]
    assert len(packages) > 1
    roots = find(tree, sel(packageNameMatches=r"com\.(miui|android)\..*", index=0))
    assert roots
    for pkg in packages:
        got = find(tree, sel(packageName=pkg))
        assert bounds_str(got) == xpath_bounds(tree, f"//node[@package='{pkg}']")


@pytest.mark.parametrize("path", corpus_params("*.xml"))
def test_every_resource_id_and_instance_agree_with_xpath(path: Path) -> None:
    tree = _load(path.name)
    roots = roots_of(tree)
    ids = {el.get("resource-id") for el in tree.iter("node")} - {"", None}
    for rid in sorted(ids)[:40]:
        want = xpath_bounds(tree, f'//node[@resource-id="{rid}"]')
        got = Selector.parse(sel(resourceId=rid)).find_all(roots)
        assert bounds_str(got) == want, rid
        last = Selector.parse(sel(resourceId=rid, instance=len(want) - 1)).find_all(roots)
        assert bounds_str(last) == want[-1:], rid


def test_obj_info_reports_the_node(qs: etree._Element) -> None:
    node = find(qs, sel(text="Bluetooth, On"))[0]
    info = obj_info(node)
    assert info["bounds"] == {"left": 550, "top": 525, "right": 1037, "bottom": 735}
    assert info["visibleBounds"] == info["bounds"]
    assert info["className"] == "android.widget.Switch"
    assert info["contentDescription"] == "Bluetooth."
    assert info["childCount"] == 2
    assert info["checkable"] is True
    assert info["checked"] is True
    assert info["resourceName"] is None
    assert info["text"] == "Bluetooth, On"


def test_empty_field_reports_its_hint_as_text() -> None:
    field = NodeInfo(
        key=1,
        index=0,
        text="",
        resource_id="app:id/q",
        class_name="android.widget.EditText",
        package="app",
        content_desc="",
        bounds=(0, 0, 10, 10),
        hint="Search",
    )
    assert Selector.parse(sel(text="Search")).find_all([field]) == [field]
    assert obj_info(field)["text"] == "Search"


@pytest.mark.parametrize(
    "bad",
    [
        sel(textMatches="(unclosed"),
        {"mask": 1},  # text bit set but no text
        ["not", "an", "object"],
        chain(sel(text="x"), ("cousin", sel(text="y"))),
    ],
)
def test_malformed_selectors_are_rejected(bad: Any) -> None:
    with pytest.raises(SelectorError):
        Selector.parse(bad)
