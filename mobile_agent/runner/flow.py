"""The two ways a phase leaves the normal path: the step fails, or the run ends."""

from __future__ import annotations

from mobile_agent.events import FinalState


class Finish(Exception):
    """Ends the run with a named state."""

    def __init__(self, state: FinalState, reason: str = "", answer: str = "") -> None:
        super().__init__(reason)
        self.state, self.reason, self.answer = state, reason, answer


class StepFailed(Exception):
    """Ends the current step as failed; the run goes on (within its limits)."""

    def __init__(self, phase: str, reason: str, action: str = "") -> None:
        super().__init__(reason)
        self.phase, self.reason, self.action = phase, reason, action
