"""Replaying a shortcut without a model, as a regression check (`mobile-agent shortcuts run`).

    values = shortcut_values(stored.params, {"title": "Groceries"})
    result = Replayer(device).run(stored, values)        # or replay_stored(store, name, …)

The screen is observed (settled) and the shortcut's guard checked first: a guard that does
not hold stops the replay before its first step. Each step then runs through the registry
and the gate, like any step of a run, and its effect is verified on the screen it leaves:
the screen must have changed (unless the action may leave it as it was, like `wait`), and
the element the next step names by label, description or resource id must be there
(waited for a little). The first step that fails ends the replay, with what was expected
and what the screen showed. The replay speaks the runner's events, so `RunRecorder` stores
it as a run; `replay_stored` does that and counts the result on the stored shortcut.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from mobile_agent.actions import ActionContext, ActionResult, Gate, Registry, default_registry
from mobile_agent.actions.builtin import PASSIVE_ACTIONS, find_by_label
from mobile_agent.device.base import Device
from mobile_agent.errors import DeviceDisconnected, DeviceError, ParseError
from mobile_agent.events import (
    ActionChosen,
    ActionExecuted,
    Event,
    FinalState,
    Listener,
    RunFinished,
    RunResult,
    RunStarted,
    ScreenPerceived,
    StepFinished,
    StepStarted,
)
from mobile_agent.memory.guards import ElementSelector, check_guard
from mobile_agent.memory.recorder import MASK, RunRecorder
from mobile_agent.memory.validation import fill
from mobile_agent.perception.observation import Observation
from mobile_agent.runner.observe import Observer, perceived
from mobile_agent.safety.gate import SafetyGate

if TYPE_CHECKING:
    from mobile_agent.memory.models import ParamSpec, ShortcutSpec
    from mobile_agent.memory.store import Store

log = logging.getLogger(__name__)

# Actions after which an unchanged screen is no failure (opening the app already in front).
MAY_LEAVE_SCREEN = PASSIVE_ACTIONS | {"open_app", "finish"}
# Step arguments that name an element by what it says (never by number or position);
# `text` is left out: it is what `type` types.
SELECTOR_KEYS = ("label", "description", "resource_id")
ELEMENT_WAIT_S = 2.0  # how long the next step's element may take to appear
SHOWN_ELEMENTS = 12  # elements named when a report says what was on screen
# Outcomes of a step (the reflector's words where they fit).
SUCCESS, FAILED, NO_CHANGE, MISSING = "success", "failed", "no_change", "wrong_page"
HELD = "held"  # the safety gate held the step for a confirmation nobody could give


class ReplayArgumentError(ValueError):
    """An argument of a shortcut is missing, unknown or not of its declared type."""


@dataclass(frozen=True)
class StepReport:
    """One replayed step: the action as run and how it ended."""

    number: int
    action: dict[str, Any]  # {"name": …, "args": {…}}, placeholders filled
    outcome: str  # "success", "failed", "no_change" or "wrong_page"
    summary: str = ""  # what the action did
    expected: str = ""  # when it failed: what should have happened
    seen: str = ""  # when it failed: what the screen showed
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == SUCCESS

    def describe(self) -> str:
        """One line: the step, and on failure what was expected and what was seen."""
        head = f"step {self.number} ({action_text(self.action)})"
        if self.ok:
            return f"{head}: {self.summary}"
        return f"{head} failed: expected {self.expected}; {self.seen}"


@dataclass(frozen=True)
class ReplayResult:
    """The replay of one shortcut on one device."""

    shortcut: str
    device: str
    state: FinalState
    reason: str = ""
    steps: tuple[StepReport, ...] = ()
    total_steps: int = 0
    run_id: str = ""
    elapsed_s: float = 0.0
    screen_size: tuple[int, int] = (0, 0)
    guard: str = ""  # why the guard did not hold ("" when it did, or was not checked)

    @property
    def ok(self) -> bool:
        return self.state is FinalState.SUCCEEDED

    @property
    def verdict(self) -> str:
        """In a few words: "passed", "failed at step 2", "guard not met", "cancelled"…"""
        if self.ok:
            return "passed"
        if self.guard:
            return "guard not met"
        failed = self.failed_step
        if failed is not None:
            return f"failed at step {failed.number}"
        return str(self.state).replace("_", " ")

    @property
    def judged(self) -> bool:
        """Whether the result says something about the shortcut (steps ran, and neither the
        device nor a stop cut them short): then it counts as a use."""
        return bool(self.steps) and self.state in (FinalState.SUCCEEDED, FinalState.FAILED)

    @property
    def failed_step(self) -> StepReport | None:
        return next((s for s in self.steps if not s.ok), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON values, each step's `ok` included."""
        steps = [{**asdict(s), "ok": s.ok} for s in self.steps]
        return {
            "shortcut": self.shortcut,
            "device": self.device,
            "ok": self.ok,
            "state": str(self.state),
            "reason": self.reason,
            "steps_run": len(self.steps),
            "total_steps": self.total_steps,
            "run_id": self.run_id,
            "elapsed_s": round(self.elapsed_s, 3),
            "screen_size": list(self.screen_size),
            "guard": self.guard,
            "steps": steps,
        }


class _Stop(Exception):
    """The replay ends here (`state`, `reason`)."""

    def __init__(self, state: FinalState, reason: str) -> None:
        super().__init__(reason)
        self.state, self.reason = state, reason


@dataclass
class Replayer:
    """Replays shortcuts on one device, without a model; one `run` per replay."""

    device: Device
    registry: Registry = field(default_factory=default_registry)
    gate: Gate | None = None  # the policy gate every step passes (None: a `SafetyGate()`)
    listeners: Sequence[Listener] = ()
    cancel: threading.Event = field(default_factory=threading.Event)
    element_wait_s: float = ELEMENT_WAIT_S
    settle_max_s: float = 3.0
    run_id: str = ""

    def __post_init__(self) -> None:
        if self.gate is None:  # always on: consequential steps are held unless allowed
            self.gate = SafetyGate()
        self.observe = Observer(
            self.device, ocr=None, ocr_policy="never", settle_max_s=self.settle_max_s
        )
        self._step = 0
        self._used = False

    def run(self, shortcut: ShortcutSpec, values: Mapping[str, Any]) -> ReplayResult:
        """Check the guard, then run and verify each step; stop at the first failure.
        `values` are the shortcut's arguments, typed (see `shortcut_values`)."""
        if self._used:
            raise RuntimeError("a Replayer replays once; make a new one")
        self._used = True
        self.run_id = self.run_id or uuid.uuid4().hex[:12]
        steps = [(s.action, fill(s.args, text_values(values))) for s in shortcut.steps]
        self._send(
            RunStarted,
            task=replay_task(shortcut.name, values),
            device=self.device.serial,
            limits={"shortcut": shortcut.name, "arguments": dict(values)},
        )
        started, reports = time.monotonic(), []
        state, reason, size, guard = FinalState.SUCCEEDED, "", (0, 0), ""
        try:
            screen = self.observe(settle=True)
            size = screen.size
            guard = check_guard(shortcut.guard, screen) or ""
            if guard:
                raise _Stop(FinalState.FAILED, f"the guard does not hold: {guard}")
            for number, (name, args) in enumerate(steps, start=1):
                if self.cancel.is_set():
                    raise _Stop(FinalState.CANCELLED, f"stopped before step {number}")
                upcoming = steps[number][1] if number < len(steps) else None
                report, screen = self._run_step(number, name, args, screen, upcoming)
                reports.append(report)
                if not report.ok and self.cancel.is_set():  # the stop cut the step's check short
                    raise _Stop(FinalState.CANCELLED, f"stopped during step {number}")
                if not report.ok:
                    held = report.outcome == HELD  # the gate waits for the user: not a failure
                    raise _Stop(
                        FinalState.BLOCKED if held else FinalState.FAILED, report.describe()
                    )
        except _Stop as stop:
            state, reason = stop.state, stop.reason
        except DeviceError as exc:  # the phone failed us, not the shortcut
            lost = isinstance(exc, DeviceDisconnected)
            state, reason = (FinalState.DEVICE_LOST if lost else FinalState.FAILED), str(exc)
        elapsed = time.monotonic() - started
        self._finish(state, reason, reports, elapsed)
        return ReplayResult(
            shortcut=shortcut.name,
            device=self.device.serial,
            state=state,
            reason=reason,
            steps=tuple(reports),
            total_steps=len(steps),
            run_id=self.run_id,
            elapsed_s=elapsed,
            screen_size=size,
            guard=guard,
        )

    # -- one step ---------------------------------------------------------------------
    def _run_step(
        self,
        number: int,
        name: str,
        args: dict[str, Any],
        before: Observation,
        upcoming: dict[str, Any] | None,
    ) -> tuple[StepReport, Observation]:
        """Run step `number` on `before`; its report and the screen it left."""
        self._step = number
        started = time.perf_counter()
        self._send(StepStarted)
        self._report(before, "before")
        action = {"name": name, "args": args}
        self._send(ActionChosen, action=action, description=f"step {number} of the shortcut")
        result = self._execute(name, args, before)
        action_ms = _ms(started)
        self._send(
            ActionExecuted,
            action=action,
            ok=result.ok,
            summary=result.summary,
            error=result.error,
            duration_ms=action_ms,
        )
        if result.ok:
            outcome, expected, after = self._verify(name, before, upcoming)
        else:
            outcome = HELD if result.blocked else FAILED
            expected, after = f"the action to run ({result.error})", before
        seen = "" if outcome == SUCCESS else describe_screen(after)
        shown = masked(action, before)
        report = StepReport(number, shown, outcome, result.summary, expected, seen, _ms(started))
        self._close(report, {"action_ms": action_ms, "total_ms": report.duration_ms})
        return report, after

    def _execute(self, name: str, args: dict[str, Any], screen: Observation) -> ActionResult:
        """The step through the registry and the gate, on `screen`."""
        try:
            call = self.registry.parse_call(name, args)
        except ParseError as exc:
            return ActionResult.failure(str(exc))
        ctx = ActionContext(
            device=self.device,
            elements=screen.elements,
            screen_size=screen.size,
            cancel=self.cancel,
            observe=self.observe.settled,
            gate=self.gate,
            package=screen.package,
        )
        return self.registry.execute(call, ctx)

    def _verify(
        self, name: str, before: Observation, upcoming: dict[str, Any] | None
    ) -> tuple[str, str, Observation]:
        """(outcome, what was expected, the screen now) once the action `name` has run."""
        after = self._settled()
        if after.signature == before.signature and name not in MAY_LEAVE_SCREEN:
            return NO_CHANGE, "the screen to change, but it stayed the same", after
        selector = target_of(upcoming) if upcoming is not None else None
        if selector is None:
            return SUCCESS, "", after
        deadline = time.monotonic() + self.element_wait_s
        while not any(selector.matches(el) for el in after.elements):
            if time.monotonic() >= deadline or self.cancel.is_set():
                return MISSING, f"an element with {selector.describe()} for the next step", after
            after = self._settled()
        return SUCCESS, "", after

    def _settled(self) -> Observation:
        seen = self.observe(settle=True)
        self._report(seen, "after")
        return seen

    # -- events -----------------------------------------------------------------------
    def _report(self, seen: Observation, phase: str) -> None:
        self._send(ScreenPerceived, phase=phase, **perceived(seen))

    def _close(self, report: StepReport, timings: dict[str, float]) -> None:
        phase = "" if report.ok else ("action" if report.outcome == FAILED else "verify")
        self._send(
            StepFinished,
            action=report.action,
            description=f"step {report.number} of the shortcut",
            outcome=report.outcome,
            ok=report.ok,
            phase=phase,
            reason="" if report.ok else f"expected {report.expected}; {report.seen}",
            timings_ms=timings,
        )

    def _finish(
        self, state: FinalState, reason: str, reports: list[StepReport], elapsed: float
    ) -> None:
        failed = sum(not r.ok for r in reports)
        summary = RunResult(
            state=state, reason=reason, steps=len(reports), failed_steps=failed, elapsed_s=elapsed
        )
        self._send(RunFinished, state=state, summary=summary)

    def _send(self, kind: type[Event], **fields: Any) -> None:
        event = kind(run_id=self.run_id, step=self._step, **fields)
        for listener in self.listeners:
            try:
                listener(event)
            except Exception:
                log.exception("an event listener failed on %s", event.kind)


def replay_stored(
    store: Store,
    name: str,
    values: Mapping[str, Any],
    device: Device,
    data_dir: Path,
    *,
    gate: Gate | None = None,
    cancel: threading.Event | None = None,
    listeners: Iterable[Listener] = (),
    element_wait_s: float = ELEMENT_WAIT_S,
) -> ReplayResult:
    """Replay the stored shortcut `name` on `device`, store the replay as a run (kind
    "replay", files under `data_dir`) and count the result on the shortcut, which is demoted
    when it keeps failing. A stop before any step (the guard, the device, the user) is not
    counted."""
    stored = store.shortcuts.get(name)
    recorder = RunRecorder(store, data_dir, kind="replay", count_shortcuts=False)
    replayer = Replayer(
        device,
        gate=gate,
        listeners=[recorder, *listeners],
        cancel=cancel or threading.Event(),
        element_wait_s=element_wait_s,
    )
    result = replayer.run(stored, values)
    if result.judged:
        store.shortcuts.record_result(name, result.ok)
    if recorder.errors:
        log.error("%d events of replay %s could not be stored", recorder.errors, result.run_id)
    return result


# -- arguments ----------------------------------------------------------------------------
def shortcut_values(params: Sequence[ParamSpec], given: Mapping[str, str]) -> dict[str, Any]:
    """`given` (text, as typed on a command line) converted to the declared types;
    `ReplayArgumentError` names a missing, unknown or ill-typed argument."""
    declared = {p.name: p for p in params}
    takes = ", ".join(f"{p.name} ({p.type})" for p in params) or "no arguments"
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ReplayArgumentError(f"unknown argument {unknown[0]!r}; the shortcut takes {takes}")
    missing = [p for p in params if p.name not in given]
    if missing:
        p = missing[0]
        what = f"{p.type}: {p.description}" if p.description else p.type
        raise ReplayArgumentError(f"missing argument {p.name!r} ({what}); give --arg {p.name}=…")
    return {name: _typed(declared[name], text) for name, text in given.items()}


_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _typed(param: ParamSpec, text: str) -> Any:
    try:
        if param.type == "integer":
            return int(text)
        if param.type == "number":
            value = float(text)
            if math.isfinite(value):
                return value
        elif param.type == "boolean":
            return _BOOLEANS[text.strip().lower()]
        else:
            return text
    except (ValueError, KeyError):
        pass
    kinds = {"integer": "a whole number", "number": "a finite number", "boolean": "true or false"}
    raise ReplayArgumentError(f"argument {param.name!r} must be {kinds[param.type]}, not {text!r}")


def text_values(values: Mapping[str, Any]) -> dict[str, str]:
    """Typed values as the text that fills `{name}` placeholders (true/false for booleans)."""
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in values.items()}


# -- what the reports say ---------------------------------------------------------------------
def target_of(args: Mapping[str, Any]) -> ElementSelector | None:
    """The element a step's arguments name by what it says, if they name one."""
    named = {k: v for k, v in args.items() if k in SELECTOR_KEYS and isinstance(v, str) and v}
    try:
        return ElementSelector.model_validate(named) if named else None
    except ValidationError:  # not a usable selector: the step's own check will say why
        return None


def masked(action: dict[str, Any], screen: Observation) -> dict[str, Any]:
    """`action` with the text of a `type` into a password field on `screen` hidden."""
    args = action.get("args") or {}
    if action.get("name") != "type" or not args.get("text"):
        return action
    label = args.get("label")
    field_ = (
        find_by_label(screen.elements, label, field=True)
        if isinstance(label, str)
        else screen.focused
    )
    if field_ is None or not field_.password:
        return action
    return {**action, "args": {**args, "text": MASK}}


def describe_screen(screen: Observation, limit: int = SHOWN_ELEMENTS) -> str:
    """What the screen shows, in one line: the app in front and its first labels."""
    labels = [el.label for el in screen.elements if el.label and not el.password]
    shown = ", ".join(repr(" ".join(label.split())[:40]) for label in labels[:limit])
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return f"the screen shows {screen.package or 'an unknown app'}: {shown or 'no labels'}{more}"


def action_text(action: Mapping[str, Any]) -> str:
    """`tap label='Save'`: an action and its arguments, in one line."""
    args = " ".join(f"{k}={v!r}" for k, v in (action.get("args") or {}).items())
    return f"{action.get('name')} {args}".strip()


def replay_task(name: str, values: Mapping[str, Any]) -> str:
    """The task a replay is stored under: `replay shortcut new_note(title='Groceries')`."""
    given = ", ".join(f"{k}={v!r}" for k, v in values.items())
    return f"replay shortcut {name}({given})"


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
