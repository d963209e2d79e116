"""The Manager: plans the task as subgoals and tracks progress."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mobile_agent.agents.prompting import (
    history_block,
    image_of,
    plan_block,
    render,
    screen_block,
    system_user,
)
from mobile_agent.agents.replies import extract_json, validate
from mobile_agent.agents.state import AgentState
from mobile_agent.llm.base import Message


class ManagerOutput(BaseModel):
    """The plan, the subgoal to work on now, and whether the whole task is done."""

    model_config = ConfigDict(extra="ignore")

    thought: str = Field("", max_length=4000)
    plan: list[str] = Field(default_factory=list, max_length=20)
    current_subgoal: str = Field("", max_length=500)
    completed: bool = False
    answer: str = Field("", max_length=2000)

    @model_validator(mode="after")
    def _needs_subgoal(self) -> ManagerOutput:
        if not self.completed and not self.current_subgoal.strip():
            raise ValueError("current_subgoal is required unless completed is true")
        if any(len(goal) > 500 for goal in self.plan):
            raise ValueError("each subgoal must be at most 500 characters")
        return self


class Manager:
    """Makes and revises the plan (first step, after a subgoal, after repeated errors)."""

    role = "manager"

    def __init__(self, *, images: bool = True) -> None:
        self.images = images

    def messages(self, state: AgentState) -> list[Message]:
        errors = "\n".join(f"- {e}" for e in state.errors[-5:])
        user = render(
            "manager.user",
            task=state.task,
            plan=plan_block(state),
            subgoal=state.current_subgoal or "(none yet)",
            history=history_block(state),
            notes=state.notes or "(none)",
            errors=f"Recent errors (change the approach):\n{errors}" if errors else "",
            tips=state.tips or "(none)",
            screen=screen_block(state.screen),
        )
        png = state.screen.png if (self.images and state.screen) else b""
        return system_user(render("manager.system"), user, image_of(png))

    def parse(self, text: str) -> ManagerOutput:
        return validate(ManagerOutput, extract_json(text))
