"""The Operator: chooses exactly one action (or shortcut) from the registry, and says what
it expects the action to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobile_agent.actions import ActionCall, Registry
from mobile_agent.agents.guidance import tips_text
from mobile_agent.agents.prompting import (
    history_block,
    image_of,
    notes_block,
    plan_block,
    progress_block,
    render,
    screen_block,
    step_line,
    system_user,
    user_block,
)
from mobile_agent.agents.replies import (
    DESCRIPTION_MAX,
    EXPECTATION_MAX,
    THOUGHT_MAX,
    clip,
    extract_json,
)
from mobile_agent.agents.state import AgentState
from mobile_agent.errors import ParseError
from mobile_agent.llm.base import Message


@dataclass(frozen=True)
class OperatorOutput:
    """The chosen action, the reasoning behind it, a short description of it and what it
    should lead to."""

    thought: str
    action: ActionCall
    description: str
    expectation: str = ""
    completes_subgoal: bool = False  # the operator's claim: this action ends the subgoal


class Operator:
    """Builds its prompt from the registry and the state; parses one validated action."""

    role = "operator"

    def __init__(self, registry: Registry, *, images: bool = True) -> None:
        self.registry = registry
        self.images = images

    def messages(self, state: AgentState) -> list[Message]:
        system = render("operator.system", actions=self.registry.prompt_text())
        user = render(
            "operator.user",
            task=state.task,
            tips=tips_text(state.tips),
            user_said=user_block(state),
            step=step_line(state),
            plan=plan_block(state),
            progress=progress_block(state),
            notes=notes_block(state),
            history=history_block(state),
            feedback=f"## Problem with the previous step\n{state.feedback}"
            if state.feedback
            else "",
            screen=screen_block(state.screen),
        )
        png = b""
        if self.images and state.screen:
            png = state.screen.marks_png or state.screen.png
        return system_user(system, user, image_of(png))

    def response_schema(self) -> dict[str, Any]:
        """JSON schema of the reply, derived from the registry."""
        return {
            "type": "object",
            "properties": {
                "thought": {"type": "string", "maxLength": THOUGHT_MAX},
                "action": self.registry.action_schema(),
                "description": {"type": "string", "maxLength": DESCRIPTION_MAX},
                "expectation": {"type": "string", "maxLength": EXPECTATION_MAX},
                "completes_subgoal": {"type": "boolean"},
            },
            "required": ["thought", "action", "description", "expectation", "completes_subgoal"],
        }

    def parse(self, text: str) -> OperatorOutput:
        data = extract_json(text)
        action = data.get("action")
        name: Any
        args: Any
        if isinstance(action, str):  # tolerate {"action": "tap", "args": {...}}
            name, args = action, data.get("args", data.get("arguments", {}))
        elif isinstance(action, dict):
            name, args = action.get("name"), action.get("args", action.get("arguments", {}))
        else:
            raise ParseError('the reply needs "action": {"name": ..., "args": {...}}')
        call = self.registry.parse_call(name, args)
        return OperatorOutput(
            thought=_text(data.get("thought"), THOUGHT_MAX),
            action=call,
            description=_text(data.get("description"), DESCRIPTION_MAX),
            expectation=_text(data.get("expectation", data.get("expected")), EXPECTATION_MAX),
            completes_subgoal=data.get("completes_subgoal") is True,
        )


def _text(value: Any, limit: int) -> str:
    return str(clip(value.strip(), limit)) if isinstance(value, str) else ""
