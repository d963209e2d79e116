"""The typed state the agents read: task, plan, progress, notes, recent history, the screens."""

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
    summary: str = ""  # what the action did, its target resolved: `tapped [9] "Save"`

    def line(self) -> str:
        """One line for the prompts' history block."""
        text = f"step {self.step}: {self.summary or self.action or '(no action)'}"
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
    done_subgoals: list[str] = field(default_factory=list)  # as the reflector judged them
    progress: str = ""  # what has been achieved so far, rewritten after each successful step
    notes: str = ""  # what the notetaker copied from screens (untrusted)
    user_said: list[str] = field(default_factory=list)  # the user's answers (trusted)
    tips: str = ""  # learned tips, as the memory gives them
    history: list[StepRecord] = field(default_factory=list)
    history_steps: int = 5
    step: int = 0  # the step being run
    max_steps: int = 0  # the run's step limit (0: not known)
    max_notes_chars: int = 2000  # the notes' cap, stated to the notetaker
    manager_reason: str = ""  # why the manager is being called
    feedback: str = ""  # the latest problem the operator should know about
    errors: list[str] = field(default_factory=list)  # recent failures, for the manager
    screen: Observation | None = None  # the current screen
    before: Observation | None = None  # the screen before the last action
    last_call: ActionCall | None = None
    last_description: str = ""
    last_thought: str = ""  # the operator's reasoning for the last action
    last_expectation: str = ""  # what the operator expected the last action to do
    last_result: ActionResult | None = None

    def recent_history(self) -> list[StepRecord]:
        """The last `history_steps` steps (prompts never show more)."""
        return self.history[-self.history_steps :]

    def is_done(self, subgoal: str) -> bool:
        """Whether `subgoal` was judged complete (compared without case and extra spaces)."""
        key = _key(subgoal)
        return bool(key) and any(_key(done) == key for done in self.done_subgoals)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()
