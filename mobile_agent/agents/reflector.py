"""The Action Reflector: did the last action do what was intended?"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mobile_agent.agents.prompting import render, screen_block, system_user
from mobile_agent.agents.replies import extract_json, validate
from mobile_agent.agents.state import AgentState
from mobile_agent.llm.base import Image, Message


class Outcome(StrEnum):
    """What the last action led to."""

    SUCCESS = "success"  # the intended effect, or progress toward the subgoal
    WRONG_PAGE = "wrong_page"  # an unexpected or wrong screen: undo it (usually `back`)
    NO_CHANGE = "no_change"  # nothing visible changed: try something else


# The letters of the paper's prompt, accepted as whole values only (never as substrings).
_LETTERS = {"a": Outcome.SUCCESS, "b": Outcome.WRONG_PAGE, "c": Outcome.NO_CHANGE}


class ReflectorOutput(BaseModel):
    """The verdict on the last action."""

    model_config = ConfigDict(extra="ignore")

    thought: str = Field("", max_length=4000)
    outcome: Outcome
    feedback: str = Field("", max_length=2000)
    subgoal_completed: bool = False
    notable: bool = False  # the new screen shows information the task needs later

    @field_validator("outcome", mode="before")
    @classmethod
    def _normalise(cls, value: Any) -> Any:
        if isinstance(value, str):
            key = value.strip().lower().replace(" ", "_").replace("-", "_")
            return _LETTERS.get(key, key)
        return value


class Reflector:
    """Compares the screens before and after the action."""

    role = "reflector"

    def __init__(self, *, images: bool = True) -> None:
        self.images = images

    def messages(self, state: AgentState) -> list[Message]:
        call = state.last_call
        result = state.last_result
        user = render(
            "reflector.user",
            task=state.task,
            subgoal=state.current_subgoal or "(none)",
            action=call.key() if call else "(none)",
            description=state.last_description or "(none)",
            result=result.summary if result else "(none)",
            before=screen_block(state.before, "screen_before"),
            after=screen_block(state.screen, "screen_after"),
        )
        images: tuple[Image, ...] = ()
        if self.images and state.before and state.screen:
            images = tuple(Image(v.png) for v in (state.before, state.screen) if v.png)
        return system_user(render("reflector.system"), user, images)

    def parse(self, text: str) -> ReflectorOutput:
        return validate(ReflectorOutput, extract_json(text))
