"""Guards in words: each condition a guard names, and why one does not hold, read exactly
as the shortcut list and the operator's feedback show them."""

from __future__ import annotations

import pytest

from mobile_agent.memory import Guard, check_guard
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import BoundingBox, UIElement
from mobile_agent.perception.observation import Observation

NOTES = "com.example.notes"


def _screen(package: str = NOTES, keyboard: bool = False) -> Observation:
    element = UIElement(1, BoundingBox(0, 0, 100, 100), text="Title", description="Note title")
    screen = Screen(b"", "", 1080, 2400, package=package, keyboard_shown=keyboard)
    return Observation(screen=screen, elements=(element,))


def test_an_element_whose_description_differs_does_not_match() -> None:
    guard = Guard.model_validate({"element": {"text": "Title", "description": "Body"}})
    assert check_guard(guard, _screen()) == (
        "no element with text 'Title', description 'Body' is on screen"
    )


@pytest.mark.parametrize(
    ("keyboard", "words"), [(True, "the keyboard is shown"), (False, "the keyboard is hidden")]
)
def test_a_keyboard_guard_reads_as_words(keyboard: bool, words: str) -> None:
    guard = Guard.model_validate({"app": NOTES, "keyboard": keyboard})
    assert guard.describe() == f"{NOTES} is in front; {words}"


def test_no_app_in_front_is_shown_as_a_question_mark() -> None:
    found = check_guard(Guard.model_validate({"app": NOTES}), _screen(package=""))
    assert found == f"{NOTES} is not in front (the screen shows ?)"


@pytest.mark.parametrize(
    ("keyboard", "reason"),
    [(True, "the keyboard is not shown"), (False, "the keyboard is shown")],
)
def test_a_keyboard_guard_that_fails_says_which_way(keyboard: bool, reason: str) -> None:
    screen = _screen(keyboard=not keyboard)
    assert check_guard(Guard.model_validate({"keyboard": keyboard}), screen) == reason
