"""Naming an element by what it says: a whole label, a list row by its title, and which
element wins when several say the same."""

from __future__ import annotations

from mobile_agent.actions import find_by_label
from mobile_agent.memory.guards import ElementSelector
from mobile_agent.perception.elements import BoundingBox, UIElement

BOX = BoundingBox(0, 0, 100, 100)


def el(n: int, text: str = "", desc: str = "", **flags: bool) -> UIElement:
    return UIElement(id=n, bounds=BOX, text=text, description=desc, **flags)


def test_named_ranks_whole_labels_before_a_folded_title_and_ignores_case_and_spaces() -> None:
    row = el(1, "Travel | Train to Lyon leaves 08:14", clickable=True)
    assert row.named("travel") == 1
    assert row.named("Train to  Lyon leaves 08:14") == 1
    assert row.named("Travel | Train to Lyon leaves 08:14") == 0
    assert row.named("Trav") is None and row.named("  ") is None
    assert el(2, desc="Send | Attach").named("attach") == 1
    assert el(3, desc="New note").named("NEW NOTE") == 0


def test_a_tap_finds_a_row_by_its_title() -> None:
    elements = [el(1, "Notes"), el(2, "Gym plan | Mon: legs", clickable=True)]
    assert find_by_label(elements, "Gym plan") is elements[1]
    assert find_by_label(elements, "Gym") is None


def test_a_tap_prefers_the_result_row_to_the_search_field_holding_the_same_words() -> None:
    field = el(1, "Zoe Dubois", editable=True, clickable=True, focused=True)
    row = el(2, "Z | Zoe Dubois", clickable=True)
    assert find_by_label([field, row], "Zoe Dubois") is row
    assert find_by_label([field, row], "Zoe Dubois", field=True) is field


def test_buttons_win_over_plain_text_and_a_whole_label_over_a_folded_one() -> None:
    text = el(1, "Save")
    button = el(2, "Save", clickable=True)
    folded = el(3, "Save | changes", clickable=True)
    assert find_by_label([text, folded, button], "save") is button
    assert find_by_label([text, folded], "save") is folded  # a row that says it beats plain text
    assert find_by_label([text], "save") is text


def test_a_selector_label_matches_a_row_by_its_title_too() -> None:
    assert ElementSelector(label="Travel").matches(el(1, "Travel | Train to Lyon"))
    assert not ElementSelector(label="Train").matches(el(1, "Travel | Train to Lyon"))
