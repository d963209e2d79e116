"""The Manager: plans the task as subgoals, revises the plan, and may end the task."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mobile_agent.actions import Registry
from mobile_agent.actions.builtin import BUILTIN_ACTIONS, FinishParams
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
    PLAN_MAX,
    Subgoal,
    Thought,
    extract_json,
    schema_of,
    validate,
)
from mobile_agent.agents.state import AgentState
from mobile_agent.llm.base import Message

# Why the manager is called (the runner says which; the prompt shows it).
FIRST_STEP = "This is the first step: make the plan."


class ManagerOutput(BaseModel):
    """The plan, the subgoal to work on now, or the end of the task (`finish`)."""

    model_config = ConfigDict(extra="ignore")

    thought: Thought = ""
    plan: list[Subgoal] = Field(default_factory=list, max_length=PLAN_MAX)
    current_subgoal: Subgoal = ""
    finish: FinishParams | None = None

    @model_validator(mode="before")
    @classmethod
    def _completed_means_finish(cls, data: Any) -> Any:
        """An earlier form of the reply: `"completed": true` (with `"answer"`) ends the task;
        `"finish": false` means no finish."""
        if not isinstance(data, dict):
            return data
        if data.get("finish") is False:
            data = {**data, "finish": None}
        if data.get("completed") is True and not data.get("finish"):
            answer = data.get("answer")
            return {**data, "finish": {"answer": answer if isinstance(answer, str) else ""}}
        return data

    @field_validator("plan", mode="before")
    @classmethod
    def _at_most(cls, value: Any) -> Any:
        return value[:PLAN_MAX] if isinstance(value, list) else value

    @model_validator(mode="after")
    def _needs_subgoal(self) -> ManagerOutput:
        if self.finish is None and not self.current_subgoal.strip():
            raise ValueError("current_subgoal is required unless you finish")
        return self

    @property
    def completed(self) -> bool:
        """Whether the reply ends the task."""
        return self.finish is not None


class Manager:
    """Makes and revises the plan (first step, after a subgoal, when the operator is stuck)."""

    role = "manager"

    def __init__(self, registry: Registry | None = None, *, images: bool = True) -> None:
        self.images = images
        self.shortcuts = shortcuts_text(registry)

    def messages(self, state: AgentState) -> list[Message]:
        errors = "\n".join(f"- {e}" for e in state.errors[-5:])
        user = render(
            "manager.user",
            task=state.task,
            tips=tips_text(state.tips),
            user_said=user_block(state),
            step=step_line(state),
            reason=state.manager_reason or FIRST_STEP,
            plan=plan_block(state),
            progress=progress_block(state),
            notes=notes_block(state),
            history=history_block(state),
            errors=f"## Recent errors\n{errors}" if errors else "",
            screen=screen_block(state.screen),
        )
        png = state.screen.png if (self.images and state.screen) else b""
        system = render("manager.system", shortcuts=self.shortcuts)
        return system_user(system, user, image_of(png))

    def response_schema(self) -> dict[str, Any]:
        """JSON schema of the reply."""
        return schema_of(ManagerOutput)

    def parse(self, text: str) -> ManagerOutput:
        return validate(ManagerOutput, extract_json(text))


def shortcuts_text(registry: Registry | None) -> str:
    """The registry's entries beyond the built-in actions (shortcuts), one line each."""
    builtin = {act.name for act in BUILTIN_ACTIONS}
    names = [n for n in registry.names if n not in builtin] if registry is not None else []
    lines = []
    for name in names:
        act = registry.get(name) if registry is not None else None
        if act is not None:
            lines.append(f"- {name}: {act.description.removeprefix('Shortcut: ')}")
    return "\n".join(lines) or "(none)"
