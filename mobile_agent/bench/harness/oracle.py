"""A scripted model that follows a task's reference solution through the agents.

With it, `bench run --scripted` runs the whole agent pipeline — prompts, reply parsing, the
runner's phases, actions by label, the reflector's verdicts, the manager ending the task —
without a provider: what fails is the harness, the agents or the phone, never a model. The
manager plans one subgoal (the goal); the operator takes the solution's steps in order; the
reflector calls each a success and the last one the end of the subgoal (each verdict matched
to its step, so that steps whose outcome the screens settle skip theirs); the manager then
finishes; the notetaker and the experience reflectors keep nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mobile_agent.bench.tasks.model import Spec
from mobile_agent.llm.scripted import ScriptedChatModel


def _rule(
    role: str, reply: dict[str, Any], *, repeat: bool = False, step: str = ""
) -> dict[str, Any]:
    rule: dict[str, Any] = {"match": f"Role: {role}\n", "reply": json.dumps(reply)}
    if step:  # only the call about this step (its description is in the prompt)
        del rule["match"]
        rule["regex"] = f"Role: {role}\n(?s:.*)\nDescription: {re.escape(step)}\n"
    if repeat:
        rule["repeat"] = True
    return rule


def solution_script(spec: Spec) -> list[dict[str, Any]]:
    """The replies, as rules of a `ScriptedChatModel` script."""
    goal = spec.goal
    script = [_rule("manager", {"thought": "one subgoal", "plan": [goal], "current_subgoal": goal})]
    last = len(spec.solution)
    for number, (name, args) in enumerate(spec.solution, start=1):
        said = f"step {number} of {last}: {name} {json.dumps(args, ensure_ascii=False)}"
        operator = {
            "thought": said,
            "action": {"name": name, "args": args},
            "description": said,
            "expectation": "",
            "completes_subgoal": number == last,
        }
        script.append(_rule("operator", operator))
        verdict = {
            "thought": "as expected",
            "outcome": "success",
            "feedback": "",
            "subgoal_completed": number == last,
            "progress": said,
        }
        script.append(_rule("reflector", verdict, step=said))
    finished = {
        "thought": "the goal is reached",
        "plan": [goal],
        "current_subgoal": goal,
        "finish": {"success": True, "answer": ""},
    }
    script.append(_rule("manager", finished, repeat=True))
    script.append(_rule("notetaker", {"thought": "nothing new", "notes": ""}, repeat=True))
    script.append(_rule("experience_tips", {"thought": "nothing new", "tips": []}, repeat=True))
    script.append(
        _rule("experience_shortcuts", {"thought": "nothing new", "shortcuts": []}, repeat=True)
    )
    return script


def solution_model(spec: Spec) -> ScriptedChatModel:
    """A fresh scripted model for one run of `spec`."""
    return ScriptedChatModel(solution_script(spec), name="scripted-solution")
