"""Actions as Python and MCP clients give them, made into registry calls."""

from __future__ import annotations

import pytest

from mobile_agent.actions import default_registry
from mobile_agent.api._parse import action_name, parse_action
from mobile_agent.errors import ParseError

REGISTRY = default_registry()


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("Tap", "tap"),
        ("OpenApp", "open_app"),
        ("open-app", "open_app"),
        ("LongPress", "long_press"),
    ],
)
def test_action_names_in_any_case(given: str, name: str) -> None:
    assert action_name(given) == name


@pytest.mark.parametrize("given", [None, "", "  ", 3])
def test_an_action_needs_a_name(given: object) -> None:
    with pytest.raises(ParseError, match="needs a name"):
        action_name(given)


def test_the_forms_of_an_action_give_the_same_call() -> None:
    as_mapping = parse_action(REGISTRY, {"name": "Tap", "arguments": {"element": 3}}, {})
    as_args = parse_action(REGISTRY, {"name": "tap", "args": {"element": 3}}, {})
    as_name = parse_action(REGISTRY, "tap", {"element": 3})
    as_call = parse_action(REGISTRY, as_name, {})
    assert as_mapping == as_args == as_name == as_call
    assert as_name.to_dict() == {"name": "tap", "args": {"element": 3}}


@pytest.mark.parametrize(
    ("action", "extra", "error"),
    [
        ({"name": "tap", "args": {"element": 1}, "arguments": {"element": 2}}, {}, "once"),
        ({"name": "tap", "arguments": [1]}, {}, "must be a mapping"),
        ({"name": "tap", "target": 1}, {}, "unknown keys in the action: target"),
        (["tap"], {}, "not list"),
        ("tap", {"element": 1, "x": 3, "y": 4}, "exactly one of"),
        ("teleport", {}, "unknown action 'teleport'"),
    ],
)
def test_bad_actions_say_what_is_wrong(
    action: object, extra: dict[str, object], error: str
) -> None:
    with pytest.raises(ParseError, match=error):
        parse_action(REGISTRY, action, extra)  # type: ignore[arg-type]


def test_arguments_beside_an_action_call_are_refused() -> None:
    call = parse_action(REGISTRY, "home", {})
    with pytest.raises(ParseError, match="inside the ActionCall"):
        parse_action(REGISTRY, call, {"element": 1})
