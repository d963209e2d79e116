"""Reading order follows the layout direction, labels come before their controls, repeated
controls are named by their row, and nearby labels never name containers."""

from __future__ import annotations

from mobile_agent.perception import BoundingBox, UIElement, parse_hierarchy, renumber
from mobile_agent.perception.direction import is_rtl
from mobile_agent.perception.labels import attach_nearby_labels

from ._corpus import read_xml
from ._lab import OpenScreen, lab  # noqa: F401  (a fixture)
from .test_hierarchy_rules import dump, node

SIZE = (1080, 2400)


def el(x1: int, y1: int, x2: int, y2: int, **kw: object) -> UIElement:
    return UIElement(id=0, bounds=BoundingBox(x1, y1, x2, y2), extras={"window": 0}, **kw)  # type: ignore[arg-type]


def test_a_hebrew_screen_is_read_right_to_left_and_a_latin_one_left_to_right() -> None:
    rows = node("[700,200][1040,280]", text="מצב לילה") + node(
        "[40,200][190,290]",
        clickable="true",
        checkable="true",
        **{"class": "android.widget.Switch"},
    )
    title = node("[800,80][1040,160]", text="הגדרות")
    elements = parse_hierarchy(dump(node("[0,0][1080,2400]", title + rows)), screen_size=SIZE)
    assert [e.text or e.class_name for e in elements] == [
        "הגדרות",
        "מצב לילה",
        "android.widget.Switch",
    ]
    assert elements[2].extras["nearby_label"] == "מצב לילה"
    latin = [el(700, 200, 1040, 280, text="Night mode"), el(40, 200, 190, 290, clickable=True)]
    assert not is_rtl(latin) and [e.text for e in renumber(latin)] == ["", "Night mode"]


def test_arabic_letters_with_left_aligned_layout_stay_left_to_right() -> None:
    texts = [el(40, 100 + 100 * i, 400, 160 + 100 * i, text="مرحبا بكم") for i in range(6)]
    assert not is_rtl(texts, 1080), "every text starts at the left edge"
    assert is_rtl([el(680, 100, 1040, 160, text="مرحبا بكم")], 1080)


def test_a_label_centred_beside_taller_chips_comes_before_them() -> None:
    label = el(40, 130, 200, 170, text="Size")
    chips = [el(240 + 200 * i, 100, 420 + 200 * i, 200, text=s, clickable=True) for i, s in
             enumerate("SML")]  # fmt: skip
    assert [e.text for e in renumber([*chips, label])] == ["Size", "S", "M", "L"]


def test_repeated_controls_are_named_by_their_row() -> None:
    rows = []
    for i, task in enumerate(["Buy milk", "Call the bank"]):
        y = 300 + 140 * i
        rows += [
            el(0, y, 820, y + 140, text=task),
            el(820, y, 950, y + 140, description="Add star", clickable=True),
            el(950, y, 1080, y + 140, description="Mark as complete", clickable=True),
        ]
    out = attach_nearby_labels(rows, screen_size=SIZE)
    assert [e.extras.get("nearby_label") for e in out if e.clickable] == [
        "Buy milk", "Buy milk", "Call the bank", "Call the bank",
    ]  # fmt: skip
    single = attach_nearby_labels([rows[0], rows[1]], screen_size=SIZE)
    assert "nearby_label" not in single[1].extras, "a label that does not repeat is enough"


def test_no_nearby_label_for_containers_scrims_or_from_inside() -> None:
    scrim = el(0, 0, 1080, 2400, clickable=True)
    clock = el(400, 40, 680, 100, text="13:23")
    card = el(0, 500, 1080, 800, clickable=True)
    inside = el(40, 520, 600, 580, text="Inside the card")
    icon = el(900, 900, 1000, 1000, clickable=True)
    under = el(880, 880, 1020, 1020, text="Drawn over it")
    out = attach_nearby_labels([scrim, clock, card, inside, icon, under], screen_size=SIZE)
    assert not any("nearby_label" in e.extras for e in out)
    dialog = parse_hierarchy(read_xml("dialog_permission_location_permissioncontroller.xml"))
    assert not [e for e in dialog if e.bounds.area > 500_000 and "nearby_label" in e.extras]


def test_corpus_arabic_screen_is_numbered_right_to_left() -> None:
    elements = parse_hierarchy(read_xml("llm_model_picker_arabic_rtl_compose.xml"))
    nav = sorted((e for e in elements if e.bounds.y1 == 2424), key=lambda e: e.id)
    assert len(nav) == 4 and [e.bounds.x1 for e in nav] == sorted(
        (e.bounds.x1 for e in nav), reverse=True
    )


def test_layout_lab_rtl_and_repeated_buttons(lab: OpenScreen) -> None:  # noqa: F811
    screen = lab("RtlActivity")
    elements = parse_hierarchy(screen.hierarchy_xml, screen_size=(screen.width, screen.height))
    app = [e for e in elements if e.package == "com.example.layoutlab"]
    assert [e.text or "switch" for e in app] == [
        "הגדרות", "מצב לילה", "switch", "התראות", "switch", "שמירת סוללה", "switch",
    ]  # fmt: skip
    switches = [e for e in app if e.checkable]
    assert [e.extras["nearby_label"] for e in switches] == ["מצב לילה", "התראות", "שמירת סוללה"]
    screen = lab("TasksActivity")
    elements = parse_hierarchy(screen.hierarchy_xml, screen_size=(screen.width, screen.height))
    stars = [e for e in elements if e.description == "Add star"]
    assert [e.extras["nearby_label"] for e in stars] == [
        "Buy milk", "Call the bank", "Water the plants", "Book flights", "Pay rent",
    ]  # fmt: skip
    title = next(e for e in elements if e.text == "Buy milk")
    assert title.id < stars[0].id
