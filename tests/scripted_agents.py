"""Scripted agents for run tests: a scripted model that reads element numbers off its
prompt, reply builders for each agent, and a recorder of run events.

Shared by the end-to-end run tests (`tests/e2e/`, the virtual phone over adb) and the fast
runner tests (`tests/runner/`, an in-memory device). This module holds no tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from mobile_agent.events import Event
from mobile_agent.llm.base import Completion, Message, Role
from mobile_agent.llm.scripted import ScriptedChatModel

_PLACEHOLDER = re.compile(r'"\{\{el:(?P<label>[^}]+)\}\}"')
_ROLE = re.compile(r"^Role: (\w+)")


class ElementScript(ScriptedChatModel):
    """A scripted model whose replies may say `"{{el:Save}}"` for "the number of the element
    labelled Save in the prompt I was sent" — what a real model reads off the element list."""

    def complete(
        self,
        messages: list[Message],
        *,
        response_schema: dict[str, Any] | None = None,
        cancel: Any | None = None,
    ) -> Completion:
        done = super().complete(messages, response_schema=response_schema, cancel=cancel)
        if "{{el:" not in done.text:
            return done
        # the latest screen shown (a repair re-ask adds a user message without one)
        users = [m.text for m in reversed(messages) if m.role is Role.USER]
        prompt = next((t for t in users if "<screen_elements>" in t), users[0])
        text = _PLACEHOLDER.sub(lambda m: str(element_number(prompt, m.group("label"))), done.text)
        return Completion(text, done.usage, done.latency_s, done.model)


def element_number(prompt: str, label: str) -> int:
    """The number of the element shown with `label` in the prompt's screen block (a quoted
    exact match first, then the label as a whole word)."""
    block = prompt.split("<screen_elements>", 1)[1].split("</screen_elements>", 1)[0]
    rows = [(re.match(r"\s*\[(\d+)\]", line), line) for line in block.splitlines()]
    numbered = [(int(m.group(1)), line) for m, line in rows if m]
    word = re.compile(rf"(?<!\w){re.escape(label)}(?!\w)")
    for test in (lambda line: f'"{label}"' in line, word.search):
        for number, line in numbered:
            if test(line):
                return number
    raise AssertionError(f"no element labelled {label!r} in the prompt:\n{block}")


def operator(
    name: str,
    args: dict[str, Any] | None = None,
    description: str = "",
    expectation: str = "",
    *,
    completes: bool = False,
) -> dict[str, Any]:
    """An operator reply; `completes`: it says the action completes the subgoal."""
    reply = {
        "thought": description,
        "action": {"name": name, "args": args or {}},
        "description": description or name,
        "expectation": expectation,
        "completes_subgoal": completes,
    }
    return {"match": "Role: operator", "reply": json.dumps(reply)}


def about(rule: dict[str, Any], description: str) -> dict[str, Any]:
    """`rule` (a reflector or notetaker reply) answering only the call about the step whose
    action was described as `description` — for runs where some calls are skipped."""
    role = _ROLE.match(rule.get("match", "")) or re.match(r"\^?Role: (\w+)", rule["regex"])
    assert role is not None, rule
    pattern = rf"^Role: {role.group(1)}[\s\S]*\nDescription: {re.escape(description)}\n"
    kept = {k: v for k, v in rule.items() if k not in ("match", "regex")}
    return {"regex": pattern, **kept}


def tap_el(label: str, *, completes: bool = False) -> dict[str, Any]:
    """An operator reply tapping the element labelled `label`, by its number."""
    reply = json.dumps(
        {
            "thought": f"tap {label}",
            "action": {"name": "tap", "args": {"element": 0}},
            "description": f"tap {label}",
            "completes_subgoal": completes,
        }
    )
    return {
        "match": "Role: operator",
        "reply": reply.replace('"element": 0', f'"element": "{{{{el:{label}}}}}"'),
    }


def type_el(label: str, text: str, *, completes: bool = False) -> dict[str, Any]:
    """An operator reply typing `text` into the field labelled `label`, by its number."""
    reply = json.dumps(
        {
            "thought": f"type into {label}",
            "action": {"name": "type", "args": {"text": text, "element": 0}},
            "description": f"type {text}",
            "completes_subgoal": completes,
        }
    )
    return {
        "match": "Role: operator",
        "reply": reply.replace('"element": 0', f'"element": "{{{{el:{label}}}}}"'),
    }


def reflector(
    outcome: str = "success", *, done: bool = False, feedback: str = "", progress: str = ""
) -> dict[str, Any]:
    reply = {
        "thought": outcome,
        "outcome": outcome,
        "feedback": feedback,
        "subgoal_completed": done,
        "progress": progress,
    }
    return {"match": "Role: reflector", "reply": json.dumps(reply)}


def manager(
    current: str,
    plan: Sequence[str] = (),
    *,
    completed: bool = False,
    answer: str = "",
    infeasible: str = "",
) -> dict[str, Any]:
    """A manager reply: a plan and its current subgoal, or (`completed`, `infeasible`) the
    end of the task through `finish`."""
    finish: dict[str, Any] | None = None
    if completed:
        finish = {"success": True, "answer": answer}
    elif infeasible:
        finish = {"success": False, "reason": infeasible}
    reply = {
        "thought": "plan",
        "plan": list(plan) or [current],
        "current_subgoal": current,
        "finish": finish,
    }
    return {"match": "Role: manager", "reply": json.dumps(reply)}


def notetaker(notes: str, *, seen: str = "") -> dict[str, Any]:
    """A notetaker reply; with `seen`, only for a prompt whose screen shows that text."""
    reply = json.dumps({"thought": "note it", "notes": notes})
    if seen:
        return {"regex": rf"^Role: notetaker.*{re.escape(seen)}", "reply": reply}
    return {"match": "Role: notetaker", "reply": reply}


# The notetaker's reply after every successful step that a test does not script itself:
# nothing worth keeping. (Rules are tried in script order, so put this one last.)
KEEP_NOTES: dict[str, Any] = {
    "match": "Role: notetaker",
    "reply": json.dumps({"thought": "nothing new", "notes": ""}),
    "repeat": True,
}


def with_notes(script: Sequence[Any]) -> list[Any]:
    """`script` with `KEEP_NOTES` at its end, unless it is already there."""
    return [*script] if KEEP_NOTES in script else [*script, KEEP_NOTES]


def agent_sequence(model: ScriptedChatModel) -> list[str]:
    """The roles of the model's recorded calls, in order ("operator*" = a repair re-ask)."""
    roles = []
    for call in model.calls:
        system = next(m.text for m in call.messages if m.role is Role.SYSTEM)
        match = _ROLE.match(system)
        assert match, system[:80]
        repaired = any(m.role is Role.ASSISTANT for m in call.messages)
        roles.append(match.group(1) + ("*" if repaired else ""))
    return roles


class Recorder:
    """Keeps every event of a run."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def kinds(self, step: int | None = None) -> list[str]:
        return [e.kind for e in self.events if step is None or e.step == step]

    def of(self, kind: str) -> list[Any]:
        return [e for e in self.events if e.kind == kind]
