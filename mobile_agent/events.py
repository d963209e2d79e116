"""Typed run events: what the runner tells the command line, the GUI, the store and the log.

Every event is a frozen dataclass with the run id, the step number (0 outside steps), a
timestamp and a `kind`; `to_dict()` gives a JSON-ready mapping (screenshots and other bulky
payloads are left out). A run emits, in order::

    RunStarted
    (StepStarted [ScreenPerceived] [PlanUpdated] ActionChosen ActionExecuted
     ScreenPerceived Reflected [NotesUpdated] [StepFailed] StepFinished)*
    RunFinished                  always last, whatever happened

with `ModelCalled` after each model call. Every step ends with exactly one `StepFinished`
(its outcome says how: a reflector verdict, "failed", "finished", "infeasible" (`finish`
with success false), "blocked", or "interrupted" when the run ended inside it); a failed
step sends `StepFailed` first. A step in which the manager ends the task has no
`ActionChosen` / `ActionExecuted`; its `StepFinished` carries the `finish` action.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, ClassVar

from mobile_agent.llm.base import Usage


class FinalState(StrEnum):
    """How a run ended."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    MAX_STEPS = "max_steps"
    CANCELLED = "cancelled"
    DEVICE_LOST = "device_lost"
    BUDGET_EXCEEDED = "budget_exceeded"
    BLOCKED = "blocked"


@dataclass(frozen=True, kw_only=True)
class RunResult:
    """The outcome of one run, as the summary shows it."""

    state: FinalState
    reason: str = ""
    answer: str = ""
    steps: int = 0
    failed_steps: int = 0
    model_calls: int = 0
    usage: Usage = field(default_factory=Usage)
    elapsed_s: float = 0.0
    model_time_s: float = 0.0
    plan: tuple[str, ...] = ()
    notes: str = ""

    @property
    def succeeded(self) -> bool:
        return self.state is FinalState.SUCCEEDED

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every run event."""

    kind: ClassVar[str] = "event"
    heavy: ClassVar[frozenset[str]] = frozenset()  # fields left out of to_dict()

    run_id: str
    step: int = 0
    time: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with the event's `kind`."""
        data = {"kind": self.kind}
        for f in dataclasses.fields(self):
            if f.name not in self.heavy:
                data[f.name] = _plain(getattr(self, f.name))
        return data


@dataclass(frozen=True, kw_only=True)
class RunStarted(Event):
    kind: ClassVar[str] = "run_started"
    task: str
    device: str
    models: dict[str, str] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class StepStarted(Event):
    kind: ClassVar[str] = "step_started"


@dataclass(frozen=True, kw_only=True)
class ScreenPerceived(Event):
    """A new capture was turned into elements (`phase` is "before" or "after" the action)."""

    kind: ClassVar[str] = "screen_perceived"
    heavy: ClassVar[frozenset[str]] = frozenset({"png", "elements", "hierarchy_xml"})
    phase: str  # "before" or "after" the action, or "during" a shortcut
    package: str
    activity: str = ""
    element_count: int = 0
    ocr_used: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)
    png: bytes = field(default=b"", repr=False)
    elements: tuple[Any, ...] = field(default=(), repr=False)
    hierarchy_xml: str = field(default="", repr=False)


@dataclass(frozen=True, kw_only=True)
class PlanUpdated(Event):
    kind: ClassVar[str] = "plan_updated"
    plan: tuple[str, ...]
    current_subgoal: str
    thought: str = ""


@dataclass(frozen=True, kw_only=True)
class ActionChosen(Event):
    kind: ClassVar[str] = "action_chosen"
    action: dict[str, Any]
    thought: str = ""
    description: str = ""
    expectation: str = ""  # what the operator expects the screen to show after the action


@dataclass(frozen=True, kw_only=True)
class ActionExecuted(Event):
    kind: ClassVar[str] = "action_executed"
    action: dict[str, Any]
    ok: bool
    summary: str
    error: str = ""
    duration_ms: float = 0.0


@dataclass(frozen=True, kw_only=True)
class Reflected(Event):
    kind: ClassVar[str] = "reflected"
    outcome: str
    feedback: str = ""
    subgoal_completed: bool = False
    progress: str = ""  # the progress record after a successful step ("" otherwise)
    judged_by: str = "reflector"  # or "screens": the outcome was evident, no model was asked


@dataclass(frozen=True, kw_only=True)
class NotesUpdated(Event):
    kind: ClassVar[str] = "notes_updated"
    notes: str


@dataclass(frozen=True, kw_only=True)
class ModelCalled(Event):
    kind: ClassVar[str] = "model_called"
    heavy: ClassVar[frozenset[str]] = frozenset({"prompt", "reply"})
    agent: str
    model: str
    usage: Usage
    latency_s: float
    attempt: int = 1
    ok: bool = True
    prompt_chars: int = 0
    prompt: str = field(default="", repr=False)  # the messages as text, roles marked
    reply: str = field(default="", repr=False)  # the model's text ("" when the call failed)


@dataclass(frozen=True, kw_only=True)
class StepFailed(Event):
    """A phase could not carry the step through (`phase` names it); the run may go on."""

    kind: ClassVar[str] = "step_failed"
    phase: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class StepFinished(Event):
    """One step is over: the record the store keeps (action, outcome, timings)."""

    kind: ClassVar[str] = "step_finished"
    action: dict[str, Any] | None
    description: str = ""
    outcome: str = ""
    ok: bool = False
    phase: str = ""  # the phase that ended the step early, if one did
    reason: str = ""  # the reflector's feedback, or why the step failed
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class RunFinished(Event):
    kind: ClassVar[str] = "run_finished"
    state: FinalState
    summary: RunResult


Listener = Callable[[Event], None]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, Event):
            return value.to_dict()
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value
