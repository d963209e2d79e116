"""What lies under another window or a popup is not listed; a popup's options are
actionable (hand-written dumps, the corpus, the Layout lab's popup and dialog screens)."""

from __future__ import annotations

from mobile_agent.perception import UIElement, load_hierarchy, parse_hierarchy

from ._corpus import read_xml
from ._lab import OpenScreen, lab  # noqa: F401  (a fixture)
from .test_hierarchy_rules import dump, node

SIZE = (1080, 2400)
APP = "com.example.app"
POPUP = ("Sort by price", "Sort by rating", "Sort by distance")


def texts(elements: list[UIElement]) -> list[str]:
    return [e.text for e in elements if e.text]


def page(*rows: str) -> str:
    """A full-screen app window with one text row per 100 px from y=100."""
    nodes = "".join(
        node(f"[0,{100 + 100 * i}][1080,{180 + 100 * i}]", text=t, clickable="true", package=APP)
        for i, t in enumerate(rows)
    )
    return node("[0,0][1080,2400]", nodes, package=APP)


ROWS = [f"Row {n}" for n in range(1, 11)]  # y = 100 … 1080


def test_a_popup_window_hides_the_page_under_it_and_its_options_are_actionable() -> None:
    options = "".join(
        node(f"[300,{420 + 100 * i}][900,{500 + 100 * i}]", text=o, package=APP)
        for i, o in enumerate(["Newest", "Oldest"])
    )
    popup = node("[300,400][900,620]", options, package=APP, **{"class": "android.widget.ListView"})
    elements = parse_hierarchy(dump(popup, page(*ROWS)), screen_size=SIZE)  # top first
    assert texts(elements) == ["Row 1", "Row 2", "Row 3", "Newest", "Oldest", *ROWS[5:]]
    assert all(e.clickable for e in elements if e.text in ("Newest", "Oldest"))


def test_window_kinds_decide_the_z_order_not_only_the_dump_order() -> None:
    keypad = node(
        "[0,1500][1080,2400]",
        node("[0,1500][540,1700]", text="1", clickable="true", package=APP),
        package=APP,
    )
    tabs = node(
        "[0,0][1080,2400]",
        node("[0,1600][540,1700]", text="Tab", clickable="true", package=APP)
        + node("[0,100][540,200]", text="Title", package=APP),
        package=APP,
    )
    elements = parse_hierarchy(dump(tabs, keypad), screen_size=SIZE)  # the page listed first
    assert texts(elements) == ["Title", "1"], "a partial app window lies above a full one"
    shade = node(
        "[0,0][1080,2400]",
        node("[0,300][1080,400]", text="Wi-Fi", clickable="true"),
        package="com.android.systemui",
    )
    assert texts(parse_hierarchy(dump(page(*ROWS), shade), screen_size=SIZE)) == ["Wi-Fi"]


def test_a_popup_node_of_the_same_window_hides_what_was_drawn_before_it() -> None:
    menu = node(
        "[200,300][1000,700]",
        node("[200,300][1000,500]", text="Share") + node("[200,500][1000,700]", text="Copy"),
        resource_id="com.example.app:id/popup_menu",
    )
    half_under = node("[0,650][1080,1000]", text="Half under", clickable="true")
    window = node("[0,0][1080,2400]", page(*ROWS) + half_under + menu)  # the menu drawn last
    elements = parse_hierarchy(dump(window), screen_size=SIZE)
    shown = texts(elements)
    assert "Row 3" not in shown and "Row 5" not in shown, "rows under the menu are hidden"
    assert {"Row 1", "Row 7", "Half under", "Share", "Copy"} <= set(shown)
    assert all(e.clickable for e in elements if e.text in ("Share", "Copy"))


def test_element_mostly_visible_beside_a_window_stays() -> None:
    dialog = node("[100,800][980,1400]", node("[140,1300][940,1380]", text="OK", clickable="true"))
    big = node("[0,0][1080,2400]", node("[0,500][1080,1500]", text="Card", clickable="true"))
    assert texts(parse_hierarchy(dump(dialog, big), screen_size=SIZE)) == ["Card", "OK"]


def test_corpus_keyboard_and_dialog_only_dumps() -> None:
    avito = parse_hierarchy(read_xml("shop_avito_search_keyboard_open_cyrillic.xml"))
    app = [e for e in avito if e.package == "com.avito.android"]
    assert app and all(e.bounds.center[1] < 1167 for e in app), "nothing under the keyboard"
    kakao = parse_hierarchy(read_xml("chat_kakaotalk_delete_message_dialog_korean.xml"))
    assert len(kakao) >= 4, "a dialog-only dump hides nothing of itself"


def test_layout_lab_popup_over_the_page(lab: OpenScreen) -> None:  # noqa: F811
    screen = lab("PopupActivity")
    elements = parse_hierarchy(screen.hierarchy_xml, screen_size=(screen.width, screen.height))
    options = [e for e in elements if e.text.startswith("Sort by")]
    assert [e.text for e in options] == list(POPUP)
    assert all(e.clickable for e in options), "options the dump leaves unmarked are actionable"
    raw = [n for n in load_hierarchy(screen.hierarchy_xml).nodes() if n.get("text") in POPUP]
    assert len(raw) == 3 and not any(n.flag("clickable") for n in raw), "unmarked in the dump"
    top, bottom = min(e.bounds.y1 for e in options), max(e.bounds.y2 for e in options)
    paragraphs = [e for e in elements if e.text.startswith("Paragraph")]
    assert paragraphs and not [e for e in paragraphs if top <= e.bounds.y1 < e.bounds.y2 <= bottom]
    shown = texts(elements)
    assert {"Paragraph 1 of the page", "Paragraph 20 of the page", "Deals"} <= set(shown)


def test_layout_lab_dialog_over_a_list(lab: OpenScreen) -> None:  # noqa: F811
    screen = lab("DialogActivity")
    elements = parse_hierarchy(screen.hierarchy_xml, screen_size=(screen.width, screen.height))
    dialog = [e for e in elements if e.text in ("Delete all rows?", "Cancel", "Delete")]
    assert len(dialog) == 3
    top, bottom = min(e.bounds.y1 for e in dialog), max(e.bounds.y2 for e in dialog)
    rows = [e for e in elements if e.text.startswith("Row ")]
    assert "Row 1" in texts(elements) and "Row 12" in texts(elements)
    assert not [e for e in rows if top <= e.bounds.center[1] <= bottom]
