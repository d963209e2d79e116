"""Each agent's parse(): good, fenced, prose-wrapped, junk and Python-ish replies."""

from __future__ import annotations

import json

import pytest

from mobile_agent.actions import default_registry
from mobile_agent.agents import (
    Manager,
    Notetaker,
    Operator,
    Outcome,
    Reflector,
    extract_json,
)
from mobile_agent.errors import ParseError

OPERATOR = json.dumps(
    {
        "thought": "Save it",
        "action": {"name": "tap", "args": {"element": 3}},
        "description": "tap Save",
    }
)


@pytest.mark.parametrize(
    "text",
    [
        OPERATOR,
        f"```json\n{OPERATOR}\n```",
        f"Here is my answer:\n```\n{OPERATOR}\n```\nGood luck.",
        f"I will tap Save. {OPERATOR} That should work.",
        f"  \n{OPERATOR}\n\n",
    ],
)
def test_json_is_found_bare_fenced_or_amid_prose(text: str) -> None:
    assert extract_json(text)["action"] == {"name": "tap", "args": {"element": 3}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("I think we should tap Save.", "no JSON object"),
        ("{'thought': 'x', 'action': {'name': 'back'}}", "use double quotes"),
        ('{"done": True, "answer": None}', "true/false/null"),
        ('["tap", 3]', "no JSON object"),
        ('{"thought": "cut off', "no JSON object"),
        ("{" * 50, "no JSON object"),
        ("x" * 200_001, "too long"),
    ],
)
def test_junk_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        extract_json(text)


def test_operator_parses_a_validated_call() -> None:
    out = Operator(default_registry()).parse(OPERATOR)
    assert out.action.name == "tap"
    assert out.action.args() == {"element": 3}
    assert (out.thought, out.description) == ("Save it", "tap Save")


def test_operator_tolerates_flat_action_and_missing_args() -> None:
    op = Operator(default_registry())
    flat = op.parse(
        '{"thought": "t", "action": "scroll", "args": {"direction": "down"}, "description": "d"}'
    )
    assert flat.action.args() == {"direction": "down"}
    bare = op.parse('{"action": {"name": "back"}}')
    assert (bare.action.name, bare.thought, bare.description) == ("back", "", "")


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ('{"thought": "t", "description": "d"}', '"action"'),
        ('{"action": {"name": "teleport", "args": {}}}', "unknown action 'teleport'"),
        ('{"action": {"name": "tap", "args": {"x": 5}}}', "both x and y"),
        ('{"action": {"name": "type", "args": "hello"}}', "must be a JSON object"),
        ('{"action": 7}', '"action"'),
    ],
)
def test_operator_rejects_bad_actions(reply: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        Operator(default_registry()).parse(reply)


def test_manager_output() -> None:
    reply = '{"thought": "t", "plan": ["open Notes", "write"], "current_subgoal": "open Notes"}'
    out = Manager().parse(f"```json\n{reply}\n```")
    assert out.plan == ["open Notes", "write"]
    assert (out.completed, out.finish) == (False, None)
    done = Manager().parse('{"finish": {"success": true, "answer": "42"}}')
    assert done.completed
    assert done.finish is not None
    assert (done.finish.success, done.finish.answer) == (True, "42")
    going_on = Manager().parse('{"current_subgoal": "write", "finish": false}')
    assert going_on.finish is None


def test_the_manager_s_earlier_completed_flag_is_a_finish() -> None:
    done = Manager().parse('{"completed": true, "answer": "42"}')
    assert done.finish is not None
    assert (done.finish.success, done.finish.answer) == (True, "42")


def test_the_manager_ends_an_impossible_task_with_a_reason() -> None:
    out = Manager().parse('{"finish": {"success": false, "reason": "no such app"}}')
    assert out.finish is not None
    assert (out.finish.success, out.finish.reason) == (False, "no such app")
    with pytest.raises(ParseError, match="reason"):
        Manager().parse('{"finish": {"success": false}}')


@pytest.mark.parametrize(
    "reply",
    [
        '{"plan": ["a"]}',  # no current subgoal while not completed
        '{"plan": "open notes", "current_subgoal": "x"}',  # plan must be a list
        '{"plan": ["a"], "current_subgoal": "a", "finish": {"success": "maybe"}}',
    ],
)
def test_manager_rejects_bad_plans(reply: str) -> None:
    with pytest.raises(ParseError, match="does not fit"):
        Manager().parse(reply)


@pytest.mark.parametrize(
    ("value", "outcome"),
    [
        ("success", Outcome.SUCCESS),
        ("SUCCESS", Outcome.SUCCESS),
        ("wrong_page", Outcome.WRONG_PAGE),
        ("Wrong page", Outcome.WRONG_PAGE),
        ("no-change", Outcome.NO_CHANGE),
        ("B", Outcome.WRONG_PAGE),
        ("c", Outcome.NO_CHANGE),
    ],
)
def test_reflector_outcomes_are_enum_values(value: str, outcome: Outcome) -> None:
    out = Reflector().parse(json.dumps({"outcome": value, "feedback": "f"}))
    assert out.outcome is outcome


@pytest.mark.parametrize("value", ["A: success", "Answer: B", "successful", "partial", "", None, 1])
def test_reflector_never_matches_outcomes_by_substring(value: object) -> None:
    with pytest.raises(ParseError, match="outcome"):
        Reflector().parse(json.dumps({"outcome": value}))


def test_reflector_fields_have_defaults() -> None:
    out = Reflector().parse('{"outcome": "success"}')
    assert (out.subgoal_completed, out.feedback, out.progress) == (False, "", "")
    kept = Reflector().parse('{"outcome": "success", "progress": "Notes is open."}')
    assert kept.progress == "Notes is open."


def test_notetaker_output() -> None:
    assert Notetaker().parse('{"notes": "Ada: 555-0101"}').notes == "Ada: 555-0101"
    with pytest.raises(ParseError, match="notes"):
        Notetaker().parse('{"thought": "nothing to add"}')
