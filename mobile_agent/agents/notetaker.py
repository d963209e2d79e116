"""The Notetaker: keeps the information the task will need later."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from mobile_agent.agents.prompting import image_of, render, screen_block, system_user
from mobile_agent.agents.replies import extract_json, validate
from mobile_agent.agents.state import AgentState
from mobile_agent.llm.base import Message


class NotetakerOutput(BaseModel):
    """The complete, updated notes."""

    model_config = ConfigDict(extra="ignore")

    thought: str = Field("", max_length=4000)
    notes: str = Field(..., max_length=20_000)


class Notetaker:
    """Rewrites the notes when the screen holds task-relevant information."""

    role = "notetaker"

    def __init__(self, *, images: bool = False) -> None:
        self.images = images

    def messages(self, state: AgentState) -> list[Message]:
        user = render(
            "notetaker.user",
            task=state.task,
            subgoal=state.current_subgoal or "(none)",
            notes=state.notes or "(none)",
            screen=screen_block(state.screen),
        )
        png = state.screen.png if (self.images and state.screen) else b""
        return system_user(render("notetaker.system"), user, image_of(png))

    def parse(self, text: str) -> NotetakerOutput:
        return validate(NotetakerOutput, extract_json(text))
