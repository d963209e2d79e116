"""The Notetaker: keeps the information from the screens that the task will need later."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from mobile_agent.agents.prompting import (
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
from mobile_agent.agents.replies import NotesText, Thought, extract_json, schema_of, validate
from mobile_agent.agents.state import AgentState
from mobile_agent.llm.base import Message


class NotetakerOutput(BaseModel):
    """The complete, updated notes."""

    model_config = ConfigDict(extra="ignore")

    thought: Thought = ""
    notes: NotesText


class Notetaker:
    """Rewrites the notes after each successful step."""

    role = "notetaker"

    def __init__(self, *, images: bool = False) -> None:
        self.images = images

    def messages(self, state: AgentState) -> list[Message]:
        user = render(
            "notetaker.user",
            task=state.task,
            user_said=user_block(state),
            step=step_line(state),
            plan=plan_block(state),
            progress=progress_block(state),
            last=_last_step(state),
            notes=notes_block(state),
            screen=screen_block(state.screen),
        )
        png = state.screen.png if (self.images and state.screen) else b""
        system = render("notetaker.system", notes_max=str(state.max_notes_chars))
        return system_user(system, user, image_of(png))

    def response_schema(self) -> dict[str, Any]:
        """JSON schema of the reply."""
        return schema_of(NotetakerOutput)

    def parse(self, text: str) -> NotetakerOutput:
        return validate(NotetakerOutput, extract_json(text))


def _last_step(state: AgentState) -> str:
    """The step just done: what it meant to do and what it did."""
    result = state.last_result
    if result is None:
        return "(none)"
    return f"Description: {state.last_description or '(none given)'}\nResult: {result.summary}"
