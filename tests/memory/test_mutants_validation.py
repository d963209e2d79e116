"""Checks of a shortcut before it is stored, read exactly; placeholders found and filled at
any depth of a step's arguments; and raw shortcut items from a file, whose steps are checked
only when they are objects naming an action by a string."""

from __future__ import annotations

from mobile_agent.actions import Registry
from mobile_agent.actions.builtin import back, swipe, tap, type_text
from mobile_agent.memory import shortcut_problems
from mobile_agent.memory.validation import fill, placeholders, unknown_actions

from .conftest import note_spec

ACTIONS = Registry([tap, type_text, swipe, back])


def test_each_problem_of_a_shortcut_is_a_sentence() -> None:
    spec = note_spec(
        params=[{"name": "title"}, {"name": "title"}],
        steps=[
            {"action": "tap", "args": {"element": 3}},
            {"action": "swipe", "args": {"x1": 1, "y1": 2, "x2": 3, "y2": 4}},
            {"action": "type", "args": {"label": "{b}", "text": "{a} {title}"}},
            {"action": "fly"},
        ],
    )
    assert shortcut_problems(spec, ACTIONS) == [
        "parameter names repeat",
        "step 1 (tap): names an element by its number, which changes from screen to screen; "
        "name it by its label instead",
        "step 2 (swipe): names a point by coordinates, which differ between screen sizes; "
        "name the element by its label instead",
        "step 3 (type): uses undeclared parameters: a, b",
        "step 4 (fly): 'fly' is not an action (actions: tap, type, swipe, back)",
    ]


def test_placeholders_are_found_in_nested_lists_and_objects() -> None:
    args = {"text": "{a}", "items": ["{b}", {"deep": ["{c} and {d}"]}, 7], "n": 1}
    assert placeholders(args) == ["a", "b", "c", "d"]


def test_filling_reaches_nested_values_and_keeps_unknown_placeholders() -> None:
    args = {"text": "{a} {zz}", "items": ["{a}", {"deep": ["{a}!"]}, 7], "n": 1}
    assert fill(args, {"a": "x"}) == {
        "text": "x {zz}",
        "items": ["x", {"deep": ["x!"]}, 7],
        "n": 1,
    }


def test_only_named_steps_that_are_no_action_are_reported() -> None:
    item = {
        "steps": [
            "tap",
            ["back"],
            {"action": 7},
            {"args": {}},
            {"action": "back"},
            {"action": "teleport"},
        ]
    }
    assert unknown_actions(item) == ["step 6: 'teleport' is not an action"]
