"""Guards: a pure check over an observed screen, and refusal of guards that check nothing."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mobile_agent.memory import Guard, check_guard
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import BoundingBox, UIElement
from mobile_agent.perception.observation import Observation

NOTES = "com.example.notes"


def _screen(package: str = NOTES, keyboard: bool = False) -> Observation:
    box = BoundingBox(0, 0, 100, 100)
    elements = (
        UIElement(1, box, text="New  note", clickable=True),
        UIElement(2, box, description="Search notes", resource_id=f"{NOTES}:id/search"),
    )
    screen = Screen(b"", "", 1080, 2400, package=package, keyboard_shown=keyboard)
    return Observation(screen=screen, elements=elements)


@pytest.mark.parametrize(
    "guard",
    [
        {"app": NOTES},
        {"element": {"label": "new note"}},  # case and spaces ignored
        {"element": {"label": "Search notes"}},  # a description is a label too
        {"element": {"resource_id": "search"}},  # the id's short form
        {"element": {"resource_id": f"{NOTES}:id/search", "description": "Search notes"}},
        {"keyboard": False},
        {"app": NOTES, "element": {"text": "New note"}, "keyboard": False},
    ],
)
def test_guards_that_hold(guard: dict) -> None:
    assert check_guard(Guard.model_validate(guard), _screen()) is None


@pytest.mark.parametrize(
    ("guard", "reason"),
    [
        ({"app": "com.android.settings"}, "com.android.settings is not in front"),
        ({"element": {"label": "Save"}}, "no element with label 'Save'"),
        ({"element": {"text": "Search notes"}}, "no element with text 'Search notes'"),
        ({"element": {"resource_id": "title"}}, "resource id 'title'"),
        ({"keyboard": True}, "the keyboard is not shown"),
        ({"app": NOTES, "element": {"label": "Missing"}}, "label 'Missing'"),
    ],
)
def test_guards_that_do_not_hold_say_why(guard: dict, reason: str) -> None:
    found = check_guard(Guard.model_validate(guard), _screen())
    assert found is not None and reason in found


def test_no_guard_always_holds() -> None:
    assert check_guard(None, _screen(package="anything")) is None


@pytest.mark.parametrize("guard", [{}, {"element": {}}, {"app": ""}, {"pixel": [1, 2]}])
def test_a_guard_must_check_something(guard: dict) -> None:
    with pytest.raises(ValidationError):
        Guard.model_validate(guard)


def test_a_guard_reads_as_words() -> None:
    guard = Guard.model_validate({"app": NOTES, "element": {"label": "New note"}})
    assert guard.describe() == f"{NOTES} is in front; an element with label 'New note' is on screen"
