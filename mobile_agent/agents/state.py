"""The typed state the agents read: task, plan, notes, recent history and the screens."""

from __future__ import annotations

from dataclasses import dataclass, field

from mobile_agent.actions import ActionCall, ActionResult
from mobile_agent.perception.observation import Observation


@dataclass(frozen=True)
class StepRecord:
    """What happened in one past step, as later prompts summarise it."""

    step: int
    action: str  # canonical `name({args})`, or "" when no action ran
    description: str = ""
    outcome: str = ""  # a reflector outcome, or "failed"
    feedback: str = ""

    def line(self) -> str:
        """One line for the prompts' history block."""
        text = f"step {self.step}: {self.action or '(no action)'}"
        if self.description:
            text += f" — {self.description}"
        if self.outcome:
            text += f" → {self.outcome}"
        if self.feedback:
            text += f" ({self.feedback})"
        return text


@dataclass
class AgentState:
    """Everything the agents may see. The runner owns and updates it between phases."""

    task: str
    plan: list[str] = field(default_factory=list)
    current_subgoal: str = ""
    notes: str = ""
    tips: str = ""
    history: list[StepRecord] = field(default_factory=list)
    history_steps: int = 5
    feedback: str = ""  # the latest problem the operator should know about
    errors: list[str] = field(default_factory=list)  # recent failures, for the manager
    screen: Observation | None = None  # the current screen
    before: Observation | None = None  # the screen before the last action
    last_call: ActionCall | None = None
    last_description: str = ""
    last_result: ActionResult | None = None

    def recent_history(self) -> list[StepRecord]:
        """The last `history_steps` steps (prompts never show more)."""
        return self.history[-self.history_steps :]
