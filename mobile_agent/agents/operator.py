"""The Operator: chooses exactly one action (or shortcut) from the registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobile_agent.actions import ActionCall, Registry
from mobile_agent.agents.prompting import (
    history_block,
    image_of,
    plan_block,
    render,
    screen_block,
    system_user,
)
from mobile_agent.agents.replies import extract_json
from mobile_agent.agents.state import AgentState
from mobile_agent.errors import ParseError
from mobile_agent.llm.base import Message


@dataclass(frozen=True)
class OperatorOutput:
    """The chosen action, the reasoning behind it and a short description of it."""

    thought: str
    action: ActionCall
    description: str


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
            plan=plan_block(state),
            subgoal=state.current_subgoal or "(work on the task directly)",
            tips=state.tips or "(none)",
            notes=state.notes or "(none)",
            history=history_block(state),
            feedback=f"Problem with the previous step: {state.feedback}" if state.feedback else "",
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
                "thought": {"type": "string"},
                "action": self.registry.action_schema(),
                "description": {"type": "string"},
            },
            "required": ["thought", "action", "description"],
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
            thought=_text(data.get("thought")),
            action=call,
            description=_text(data.get("description"))[:300],
        )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
