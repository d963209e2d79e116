"""Fuzzed model replies: every agent's parse() returns its typed output or raises ParseError —
never any other exception (SAFETY.md: 0 unhandled exceptions on malformed output)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobile_agent.actions import default_registry
from mobile_agent.agents import Manager, Notetaker, Operator, Reflector
from mobile_agent.errors import ParseError

AGENTS: list[Any] = [Manager(), Operator(default_registry()), Reflector(), Notetaker()]

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(
    [
        "thought",
        "action",
        "name",
        "args",
        "description",
        "plan",
        "subgoal",
        "completed",
        "answer",
        "outcome",
        "feedback",
        "notes",
        "element",
        "x",
        "y",
        "text",
        "direction",
    ]
)
plausible = st.dictionaries(keys, json_values, max_size=6) | st.fixed_dictionaries(
    {
        "thought": st.text(max_size=20),
        "action": st.fixed_dictionaries(
            {
                "name": st.sampled_from(["tap", "type", "swipe", "finish", "nope", ""]),
                "args": st.dictionaries(keys, json_values, max_size=4),
            }
        ),
    }
)


def wrap(body: str, style: int) -> str:
    return [
        body,
        f"```json\n{body}\n```",
        f"Sure! {body} done",
        body[: len(body) // 2],
        body.replace('"', "'"),
    ][style]


def check(text: str) -> None:
    for agent in AGENTS:
        try:
            agent.parse(text)
        except ParseError:
            pass


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plausible, st.integers(min_value=0, max_value=4))
def test_json_shaped_replies_never_raise_anything_but_parse_error(
    data: dict[str, Any], style: int
) -> None:
    check(wrap(json.dumps(data), style))


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_anything_but_parse_error(text: str) -> None:
    check(text)


def test_huge_and_nested_replies_are_refused_cleanly() -> None:
    check("x" * 2_000_000)
    check("[" * 100_000 + "]" * 100_000)
    check('{"a":' * 5_000 + "1" + "}" * 5_000)
    check(json.dumps({"thought": "t", "action": {"name": "tap", "args": {"x": 10**400, "y": -1}}}))
