"""Unlabelled controls get the text beside or above them as `nearby_label`."""

from __future__ import annotations

from mobile_agent.perception import parse_hierarchy, render_elements
from mobile_agent.perception.elements import BoundingBox, UIElement
from mobile_agent.perception.labels import attach_nearby_labels

from ._corpus import read_xml


def el(x1: int, y1: int, x2: int, y2: int, **kw: object) -> UIElement:
    return UIElement(id=0, bounds=BoundingBox(x1, y1, x2, y2), package="p", **kw)  # type: ignore[arg-type]


def test_switch_takes_the_label_on_its_row_not_a_farther_one() -> None:
    label = el(40, 200, 600, 260, text="Wi-Fi")
    farther = el(40, 200, 300, 260, text="Network")  # same row but further from the switch
    switch = el(900, 190, 1040, 270, checkable=True, clickable=True)
    labelled = attach_nearby_labels([farther, label, switch])
    assert labelled[2].extras["nearby_label"] == "Wi-Fi"
    assert "nearby_label" not in labelled[0].extras  # labels themselves are untouched


def test_field_takes_the_caption_right_above_it() -> None:
    caption = el(40, 100, 500, 150, text="Phone number")
    field = el(40, 160, 1040, 260, editable=True, clickable=True)
    assert attach_nearby_labels([caption, field])[1].extras["nearby_label"] == "Phone number"


def test_no_label_from_far_away_another_window_or_for_labelled_controls() -> None:
    far = el(40, 1000, 300, 1060, text="Far away")
    lonely = el(900, 200, 1000, 260, clickable=True)
    other_window = UIElement(
        id=0, bounds=BoundingBox(500, 200, 880, 260), text="Keyboard key", package="ime"
    )
    named = el(900, 990, 1000, 1070, clickable=True, description="Send")
    out = attach_nearby_labels([far, lonely, other_window, named])
    assert "nearby_label" not in out[1].extras
    assert "nearby_label" not in out[3].extras
    assert out[3].description == "Send"


def test_real_compose_toggle_is_named_by_its_sibling_text() -> None:
    elements = parse_hierarchy(read_xml("car_ivi_vehicle_settings_sound_korean_compose.xml"))
    toggle = next(e for e in elements if e.extras.get("nearby_label") == "조용한 모드")
    assert toggle.checkable
    assert not toggle.text
    assert not toggle.description
    line = render_elements([toggle])
    assert 'near="조용한 모드"' in line
