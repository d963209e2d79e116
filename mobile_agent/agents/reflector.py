"""The Action Reflector: did the last action do what was expected? It also keeps the
progress record that every agent reads."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from mobile_agent.agents.prompting import (
    downscaled,
    plan_block,
    progress_block,
    render,
    screen_block,
    step_line,
    system_user,
    user_block,
)
from mobile_agent.agents.replies import (
    Feedback,
    Progress,
    Thought,
    extract_json,
    schema_of,
    validate,
)
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
    """The verdict on the last action and, after a success, the rewritten progress record."""

    model_config = ConfigDict(extra="ignore")

    thought: Thought = ""
    outcome: Outcome
    feedback: Feedback = ""
    subgoal_completed: bool = False
    progress: Progress = ""

    @field_validator("outcome", mode="before")
    @classmethod
    def _normalise(cls, value: Any) -> Any:
        if isinstance(value, str):
            key = value.strip().lower().replace(" ", "_").replace("-", "_")
            return _LETTERS.get(key, key)
        return value


class Reflector:
    """Compares the screens before and after the action with the operator's expectation."""

    role = "reflector"

    def __init__(self, *, images: bool = True, image_px: int = 0) -> None:
        self.images = images
        self.image_px = image_px  # longest side of the screenshots sent (0: as captured)

    def messages(self, state: AgentState) -> list[Message]:
        images = self._images(state)
        user = render(
            "reflector.user",
            task=state.task,
            user_said=user_block(state),
            step=step_line(state),
            plan=plan_block(state),
            progress=progress_block(state),
            **_action_values(state),
            images=_image_labels(len(images)),
            before=screen_block(state.before, "screen_before"),
            after=screen_block(state.screen, "screen_after"),
        )
        return system_user(render("reflector.system"), user, images)

    def _images(self, state: AgentState) -> tuple[Image, ...]:
        """The screenshots before and after the action, in that order (both or none)."""
        if not (self.images and state.before and state.screen):
            return ()
        if not (state.before.png and state.screen.png):
            return ()
        return (
            Image(downscaled(state.before.png, self.image_px)),
            Image(downscaled(state.screen.png, self.image_px)),
        )

    def response_schema(self) -> dict[str, Any]:
        """JSON schema of the reply."""
        return schema_of(ReflectorOutput)

    def parse(self, text: str) -> ReflectorOutput:
        return validate(ReflectorOutput, extract_json(text))


def _action_values(state: AgentState) -> dict[str, str]:
    call, result = state.last_call, state.last_result
    return {
        "thought": state.last_thought or "(none given)",
        "action": call.key() if call is not None else "(none)",
        "description": state.last_description or "(none given)",
        "expectation": state.last_expectation or "(none given)",
        "result": result.summary if result else "(none)",
    }


def _image_labels(count: int) -> str:
    if count == 2:
        return (
            "## Screenshots\nTwo screenshots are attached, in this order: first the screen "
            "before the action, then the screen after it."
        )
    return ""
