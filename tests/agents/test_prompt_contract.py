"""One output contract for the four agents: a JSON schema each, one worked example reply each
(that its own parser accepts), stated lengths that cut instead of refusing, the targeting
rule said once, one completion checklist, and the built-in tips beside the learned ones."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mobile_agent.actions import default_registry
from mobile_agent.agents import (
    BUILTIN_TIPS,
    AgentState,
    Manager,
    Notetaker,
    Operator,
    Reflector,
)
from mobile_agent.agents.prompting import render
from mobile_agent.agents.replies import THOUGHT_MAX
from mobile_agent.errors import ParseError

REGISTRY = default_registry()
AGENTS: list[Any] = [Manager(REGISTRY), Operator(REGISTRY), Reflector(), Notetaker()]
FIELDS = {
    "manager": {"thought", "plan", "current_subgoal", "finish"},
    "operator": {"thought", "action", "description", "expectation", "completes_subgoal"},
    "reflector": {"thought", "outcome", "feedback", "subgoal_completed", "progress"},
    "notetaker": {"thought", "notes"},
}


def _system(agent: Any, **state: Any) -> str:
    return str(agent.messages(AgentState(task="Create a note", **state))[0].text)


def _example(agent: Any) -> str:
    system = _system(agent)
    assert system.count("Example reply:") == 1
    return system.split("Example reply:\n", 1)[1].strip()


@pytest.mark.parametrize("agent", AGENTS, ids=lambda a: a.role)
def test_each_agent_shows_one_complete_example_its_parser_accepts(agent: Any) -> None:
    example = _example(agent)
    assert set(json.loads(example)) == FIELDS[agent.role]  # every field of the contract
    agent.parse(example)  # and it is a valid reply


@pytest.mark.parametrize("agent", AGENTS, ids=lambda a: a.role)
def test_each_agent_has_a_json_schema_of_its_reply(agent: Any) -> None:
    schema = agent.response_schema()
    assert schema["type"] == "object"
    assert set(schema["properties"]) == FIELDS[agent.role]
    json.dumps(schema)  # plain JSON, ready for a provider's structured output


@pytest.mark.parametrize("agent", AGENTS, ids=lambda a: a.role)
def test_each_system_prompt_lists_the_fields_it_asks_for(agent: Any) -> None:
    system = _system(agent)
    for name in FIELDS[agent.role]:
        assert f'- "{name}"' in system, name


@pytest.mark.parametrize("agent", AGENTS, ids=lambda a: a.role)
def test_an_over_long_thought_is_cut_at_the_stated_length_not_refused(agent: Any) -> None:
    assert f"at most {THOUGHT_MAX} characters; longer is cut" in _system(agent)
    reply = json.loads(_example(agent))
    reply["thought"] = "x" * (THOUGHT_MAX * 3)
    out = agent.parse(json.dumps(reply))
    assert len(out.thought) == THOUGHT_MAX
    assert out.thought.endswith("…")


def test_over_long_operator_description_and_expectation_are_cut() -> None:
    reply = json.loads(_example(Operator(REGISTRY)))
    reply |= {"description": "d" * 1000, "expectation": "e" * 1000}
    out = Operator(REGISTRY).parse(json.dumps(reply))
    assert (len(out.description), len(out.expectation)) == (300, 500)


def test_a_plan_of_too_many_subgoals_keeps_the_first_twenty() -> None:
    reply = {"plan": [f"goal {i}" for i in range(30)], "current_subgoal": "goal 0"}
    assert Manager().parse(json.dumps(reply)).plan[-1] == "goal 19"


def test_the_operator_reads_its_expectation() -> None:
    out = Operator(REGISTRY).parse(_example(Operator(REGISTRY)))
    assert out.expectation == "The Title field reads Groceries."
    bare = Operator(REGISTRY).parse('{"action": {"name": "back"}}')
    assert bare.expectation == ""  # optional: scripts written before it still work


def test_the_targeting_rule_is_stated_once_and_enforced() -> None:
    system = _system(Operator(REGISTRY))
    rule = 'take exactly one of "element" (the element\'s number), "x"\nand "y" together'
    assert system.count(rule) == 1
    assert system.count("exactly one of") == 1
    assert "when no element fits" not in system  # no second, narrower wording
    with pytest.raises(ParseError, match="exactly one of"):
        Operator(REGISTRY).parse(
            '{"action": {"name": "tap", "args": {"element": 3, "label": "Save"}}}'
        )


def test_the_scroll_direction_is_described_one_way() -> None:
    system = _system(Operator(REGISTRY))
    assert "down shows what is further down" in system
    assert "move into view" not in system


@pytest.mark.parametrize("agent", [Manager(REGISTRY), Operator(REGISTRY)], ids=lambda a: a.role)
def test_manager_and_operator_share_one_completion_checklist(agent: Any) -> None:
    checklist = render("shared.finish_rules")
    assert checklist in _system(agent)
    assert '"success": false, with a "reason"' in checklist
    assert "2 to 8" not in _system(agent)


def test_finish_with_failure_needs_a_reason() -> None:
    out = Operator(REGISTRY).parse(
        '{"action": {"name": "finish", "args": {"success": false, "reason": "no such app"}}}'
    )
    assert out.action.args() == {"success": False, "reason": "no such app"}
    with pytest.raises(ParseError, match="reason"):
        Operator(REGISTRY).parse('{"action": {"name": "finish", "args": {"success": false}}}')


@pytest.mark.parametrize("agent", [Manager(REGISTRY), Operator(REGISTRY)], ids=lambda a: a.role)
def test_built_in_tips_are_shown_first_then_learned_ones_in_one_section(agent: Any) -> None:
    user = agent.messages(AgentState(task="t", tips="- Save with the Save button"))[1].text
    section = user.split("## Tips\n", 1)[1].split("\n## ", 1)[0]
    assert section.count("- ") >= len(BUILTIN_TIPS) + 1
    for tip in BUILTIN_TIPS:
        assert f"- {tip}" in section
    assert section.index(BUILTIN_TIPS[-1]) < section.index("- Save with the Save button")
    assert "Learned in earlier runs:" in section


def test_built_in_tips_cover_the_default_guidance() -> None:
    text = " ".join(BUILTIN_TIPS).lower()
    for topic in ("pop-up", "permission", "sign in", "pay", '"clear": true', "suggestion"):
        assert topic in text, topic
    assert "scroll" in text and "search" in text
    assert "never tap keyboard keys" in text


def test_the_manager_is_shown_the_shortcuts() -> None:
    from mobile_agent.actions import Shortcut, ShortcutStep

    shortcut = Shortcut(
        "new_note",
        "Create a note with a title.",
        (ShortcutStep("open_app", {"app": "Notes"}),),
        params=("title",),
        precondition="the Notes app is installed",
    )
    system = _system(Manager(default_registry([shortcut])))
    assert "- new_note: Create a note with a title. Use only when: the Notes app" in system
    assert "Shortcuts the Operator can run:\n(none)" in _system(Manager(REGISTRY))
