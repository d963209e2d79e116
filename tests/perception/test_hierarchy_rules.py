"""The individual rules of parse_hierarchy, each on a small hand-written dump."""

from __future__ import annotations

import pytest

from mobile_agent.errors import ParseError
from mobile_agent.perception import analyse_hierarchy, parse_hierarchy


def node(bounds: str, children: str = "", **attrs: str) -> str:
    """One `<node>` with uiautomator's attribute names (dashes spelled as underscores)."""
    attrs.setdefault("class", "android.view.View")
    text = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<node {text} bounds="{bounds}">{children}</node>'


def dump(*windows: str, rotation: int = 0) -> str:
    head = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
    return f'{head}<hierarchy rotation="{rotation}">{"".join(windows)}</hierarchy>'


def test_layout_containers_invisible_and_offscreen_nodes_are_dropped() -> None:
    xml = dump(
        node(
            "[0,0][1000,2000]",
            node("[0,0][1000,100]", text="shown", visible_to_user="true")
            + node("[0,100][1000,200]", text="hidden", visible_to_user="false")
            + node("[0,3000][1000,3100]", text="below the screen")
            + node("[0,300][0,300]", text="zero size")
            + node("[0,400][1000,500]"),  # a bare container
            **{"class": "android.widget.FrameLayout"},
        )
    )
    assert [e.text for e in parse_hierarchy(xml, screen_size=(1000, 2000))] == ["shown"]


def test_bounds_are_clipped_to_the_screen() -> None:
    half_out = node("[-50,1900][600,2300]", text="half out", clickable="true")
    xml = dump(node("[0,0][1000,2000]", half_out))
    (el,) = parse_hierarchy(xml, screen_size=(1000, 2000))
    assert el.bounds.as_list() == [0, 1900, 600, 2000]


def test_child_text_folds_into_clickable_parent_keeping_parent_bounds() -> None:
    row = node(
        "[0,100][1000,300]",
        node("[20,120][400,180]", text="Wi-Fi", **{"class": "android.widget.TextView"})
        + node("[20,190][400,260]", text="Connected", **{"class": "android.widget.TextView"})
        + node("[800,150][950,250]", checkable="true", checked="true", clickable="true"),
        clickable="true",
    )
    elements = parse_hierarchy(dump(row), screen_size=(1000, 2000))
    assert [(e.text, e.bounds.as_list()) for e in elements] == [
        ("Wi-Fi | Connected", [0, 100, 1000, 300]),
        ("", [800, 150, 950, 250]),
    ]
    assert elements[1].checked and elements[1].checkable


def test_parent_text_wins_and_child_description_fills_in() -> None:
    button = node(
        "[0,0][300,100]",
        node("[10,10][90,90]", content_desc="Send icon"),
        text="Send",
        clickable="true",
    )
    (el,) = parse_hierarchy(dump(button), screen_size=(1000, 1000))
    assert (el.text, el.description) == ("Send", "Send icon")


def test_screen_sized_clickables_do_not_swallow_the_screen_text() -> None:
    scrim = node(
        "[0,0][1000,1000]",
        node("[0,0][500,100]", text="Title") + node("[0,200][500,300]", text="Body"),
        clickable="true",
    )
    texts = [e.text for e in parse_hierarchy(dump(scrim), screen_size=(1000, 1000))]
    assert texts == ["", "Title", "Body"]


def test_same_sized_nested_controls_become_one_element() -> None:
    inner = node(
        "[0,0][500,100]",
        text="Search",
        clickable="true",
        focused="true",
        **{"class": "android.widget.EditText"},
    )
    outer = node("[0,0][500,100]", inner, clickable="true", resource_id="app:id/box")
    (el,) = parse_hierarchy(dump(outer), screen_size=(1000, 1000))
    assert el.editable and el.focused and el.clickable
    assert el.class_name == "android.widget.EditText" and el.resource_id == "app:id/box"


@pytest.mark.parametrize(
    ("cls", "attrs"),
    [
        ("android.widget.EditText", {}),
        ("com.google.android.material.textfield.TextInputEditText", {}),
        ("android.widget.AutoCompleteTextView", {}),
        ("android.view.View", {"password": "true"}),
        ("android.view.View", {"editable": "true"}),
    ],
)
def test_editable_fields_are_recognised(cls: str, attrs: dict[str, str]) -> None:
    xml = dump(node("[0,0][500,100]", **{"class": cls, **attrs}))
    (el,) = parse_hierarchy(xml, screen_size=(500, 500))
    assert el.editable


def test_flags_and_naf_icons() -> None:
    xml = dump(
        node("[0,0][100,100]", NAF="true", clickable="true", resource_id="app:id/menu")
        + node("[100,0][200,100]", text="Off", enabled="false", clickable="true")
        + node("[0,200][1000,900]", scrollable="true", **{"class": "android.widget.ListView"})
        + node("[0,100][200,150]", text="Tab", selected="true", long_clickable="true")
    )
    menu, off, tab, listing = parse_hierarchy(xml, screen_size=(1000, 1000))
    assert menu.extras["naf"] and menu.resource_id == "app:id/menu" and menu.label == "menu"
    assert off.text == "Off" and not off.enabled
    assert tab.selected and tab.long_clickable
    assert listing.scrollable and listing.class_name == "android.widget.ListView"


def test_reading_order_rows_then_columns_and_stable_ids() -> None:
    # the right icon sits 4 px higher than the left label: still one row, read left first
    xml = dump(
        node("[600,96][700,196]", content_desc="right icon", clickable="true")
        + node("[0,100][300,200]", text="left label")
        + node("[0,400][300,500]", text="second row")
    )
    elements = parse_hierarchy(xml, screen_size=(1000, 2000))
    assert [(e.id, e.label) for e in elements] == [
        (1, "left label"),
        (2, "right icon"),
        (3, "second row"),
    ]


def test_keyboard_window_hides_the_app_below_it() -> None:
    app = node(
        "[0,0][1000,2000]",
        node("[0,100][1000,200]", text="above", clickable="true")
        + node("[0,1500][1000,1600]", text="under keys", clickable="true"),
        package="com.example",
    )
    ime = node(
        "[0,1200][1000,2000]",
        node("[0,1300][100,1400]", content_desc="q", clickable="true", package="com.ime.keyboard"),
        package="com.ime.keyboard",
    )
    labels = [e.label for e in parse_hierarchy(dump(app, ime), screen_size=(1000, 2000))]
    assert labels == ["above", "q"]


def test_webview_without_text_children_is_a_text_gap() -> None:
    web = node("[0,200][1000,1800]", **{"class": "android.webkit.WebView"})
    filled = node(
        "[0,200][1000,1800]",
        node("[0,300][900,400]", text="para one") + node("[0,500][900,600]", text="para two"),
        **{"class": "android.webkit.WebView"},
    )
    assert analyse_hierarchy(dump(web), screen_size=(1000, 2000)).text_gaps
    assert not analyse_hierarchy(dump(filled), screen_size=(1000, 2000)).text_gaps


def test_screen_size_inferred_from_the_largest_window() -> None:
    xml = dump(node("[0,0][720,1280]", text="app"), node("[0,0][720,60]", text="status bar"))
    assert analyse_hierarchy(xml).screen_size == (720, 1280)


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "not xml at all", "<hierarchy><node", "<hierarchy><node></hierarchy>"],
)
def test_malformed_xml_is_a_clear_parse_error(junk: str) -> None:
    with pytest.raises(ParseError, match="hierarchy"):
        parse_hierarchy(junk)


def test_repairable_dumps() -> None:
    text = node("[0,0][100,50]", text="ok\x01 &#1;done", clickable="true")
    xml = "\ufeff" + dump(text) + "\nUI hierchary dumped to: /dev/tty\n"
    (el,) = parse_hierarchy(xml, screen_size=(100, 100))
    assert el.text == "ok done"


def test_empty_hierarchy_has_no_elements() -> None:
    assert parse_hierarchy(dump()) == []


def test_appium_style_page_source_tags_are_class_names() -> None:
    xml = (
        '<hierarchy rotation="0"><android.widget.FrameLayout bounds="[0,0][500,500]">'
        '<android.widget.Button text="Go" clickable="true" bounds="[10,10][200,100]"/>'
        "</android.widget.FrameLayout></hierarchy>"
    )
    (button,) = parse_hierarchy(xml)
    assert button.class_name == "android.widget.Button" and button.text == "Go"


def test_non_latin_text_is_preserved_exactly() -> None:
    labels = ["שלום עולם", "مرحبا ١٢٣", "กรุณาใส่", "Привет", "确定", "😀 ok"]
    xml = dump(*(node(f"[0,{i * 100}][500,{i * 100 + 80}]", text=t) for i, t in enumerate(labels)))
    assert [e.text for e in parse_hierarchy(xml, screen_size=(500, 1000))] == labels
