"""How a step ends (a value every phase may return) and how a run ends (the one exception).

A phase that cannot go on returns a `StepEnd` instead of its usual value; the runner's
`_conclude` is the one place that turns a `StepEnd` into history, counters, events and,
when the run is over, a `RunEnd`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobile_agent.events import FinalState


class RunEnd(Exception):
    """The run is over, in a named final state."""

    def __init__(self, state: FinalState, reason: str = "", answer: str = "") -> None:
        super().__init__(reason)
        self.state, self.reason, self.answer = state, reason, answer


# Outcomes of a step besides the reflector's verdicts ("success", "wrong_page", "no_change").
FAILED = "failed"  # a phase could not do its part (unusable reply, refused or failed action)
FINISHED = "finished"  # the operator's `finish`
COMPLETED = "completed"  # the manager judged the task complete (no action this step)
BLOCKED = "blocked"  # the run needs the user, who is not there


@dataclass(frozen=True)
class StepEnd:
    """How one step ended, and what it did on the way."""

    outcome: str
    phase: str = ""  # the phase that ended the step early ("" when it ran to its end)
    reason: str = ""
    action: Any = None  # the `ActionCall` tried, if any
    description: str = ""
    answer: str = ""
    subgoal_completed: bool = False
    new_screen: bool = False  # the action led to a screen not met in the recent steps

    @property
    def ok(self) -> bool:
        """Did the step do what was intended?"""
        return self.outcome in ("success", FINISHED, COMPLETED)

    @property
    def action_key(self) -> str:
        return self.action.key() if self.action is not None else ""


def failed(phase: str, reason: str, action: Any = None, description: str = "") -> StepEnd:
    """A step that a phase could not carry through."""
    return StepEnd(FAILED, phase, reason, action, description)
