"""How a step ends (a value every phase may return) and how a run ends (the one exception).

A phase that cannot go on returns a `StepEnd` instead of its usual value; the runner's
`_conclude` is the one place that turns a `StepEnd` into history, counters, events and,
when the run is over, a `RunEnd`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from mobile_agent.actions import ActionCall
from mobile_agent.actions.builtin import PASSIVE_ACTIONS, FinishParams
from mobile_agent.agents import Outcome, ReflectorOutput
from mobile_agent.errors import Cancelled, DeviceError, LLMError, MobileAgentError
from mobile_agent.events import FinalState

log = logging.getLogger(__name__)


class RunEnd(Exception):
    """The run is over, in a named final state."""

    def __init__(self, state: FinalState, reason: str = "", answer: str = "") -> None:
        super().__init__(reason)
        self.state, self.reason, self.answer = state, reason, answer


# Outcomes of a step besides the reflector's verdicts ("success", "wrong_page", "no_change").
FAILED = "failed"  # a phase could not do its part (unusable reply, refused or failed action)
FINISHED = "finished"  # `finish` with success (from the operator or the manager)
INFEASIBLE = "infeasible"  # `finish` with success false: the task cannot be done
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
    summary: str = ""  # what the action did, its target resolved (for the history)

    @property
    def ok(self) -> bool:
        """Did the step do what was intended?"""
        return self.outcome in ("success", FINISHED)

    @property
    def ends_task(self) -> bool:
        """Did the step end the task (`finish`, either way)?"""
        return self.outcome in (FINISHED, INFEASIBLE)

    @property
    def action_key(self) -> str:
        return self.action.key() if self.action is not None else ""


def failed(phase: str, reason: str, action: Any = None, description: str = "") -> StepEnd:
    """A step that a phase could not carry through."""
    return StepEnd(FAILED, phase, reason, action, description)


def finished(call: ActionCall, agent: str, description: str = "") -> StepEnd:
    """How a step that ran `finish` ends: one path, whichever agent finished."""
    params = call.params
    phase = "manager" if agent == "manager" else ""
    if isinstance(params, FinishParams) and not params.success:
        reason = f"the {agent} judged the task infeasible: {params.reason}"
        return StepEnd(
            INFEASIBLE, phase, reason, call, description, params.answer, summary="gave up"
        )
    answer = params.answer if isinstance(params, FinishParams) else ""
    reason = "the manager judged the task complete" if phase else "the operator finished the task"
    return StepEnd(FINISHED, phase, reason, call, description, answer, summary="finished")


def judged(verdict: ReflectorOutput, call: ActionCall) -> Outcome:
    """The step's outcome: the reflector's verdict, except that an unchanged screen is no
    failure for an action that is not meant to change it (`wait`, an answered `ask_user`)."""
    if verdict.outcome is Outcome.NO_CHANGE and call.name in PASSIVE_ACTIONS:
        return Outcome.SUCCESS
    return verdict.outcome


def run_end_for(exc: Exception, run_id: str) -> RunEnd:
    """The final state of a run ended by an exception."""
    if isinstance(exc, Cancelled):
        return RunEnd(FinalState.CANCELLED, "stopped by the user")
    if isinstance(exc, DeviceError):
        return RunEnd(FinalState.DEVICE_LOST, f"the device was lost: {exc}")
    if isinstance(exc, LLMError):
        return RunEnd(FinalState.FAILED, f"model error: {exc}")
    if isinstance(exc, MobileAgentError):
        return RunEnd(FinalState.FAILED, str(exc))
    log.exception("run %s failed unexpectedly", run_id)
    return RunEnd(FinalState.FAILED, f"internal error: {type(exc).__name__}: {exc}")
