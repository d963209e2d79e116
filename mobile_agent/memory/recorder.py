"""`RunRecorder`: a listener of the runner's events that stores the run.

    recorder = RunRecorder(store, home_dir(), retrieved=retrieved)
    Runner(device, models, listeners=[recorder], ...)

Screenshots and hierarchy dumps go to files under ``DATA_DIR/runs/RUN_ID/`` as they arrive
(written to a temporary name, then renamed); everything else is kept in memory until the
step's `StepFinished`, then written in one transaction — so a killed process loses at most
the step in flight. `RunFinished` completes the run row and counts the use of the tips the
run was given. Text typed into password fields is masked in everything stored.

Listeners run on the runner's thread and their exceptions are swallowed by the runner, so a
failure to store is logged here as an error naming the run and step.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobile_agent.events import (
    ActionChosen,
    ActionExecuted,
    Event,
    ModelCalled,
    NotesUpdated,
    PlanUpdated,
    Reflected,
    RunFinished,
    RunStarted,
    ScreenPerceived,
    StepFinished,
    StepStarted,
)
from mobile_agent.memory.guards import ElementSelector
from mobile_agent.perception.elements import UIElement

if TYPE_CHECKING:
    from mobile_agent.memory.retrieval import Retrieved
    from mobile_agent.memory.store import Store

log = logging.getLogger(__name__)

MASK = "••••"


@dataclass
class _Step:
    """What one step has said so far."""

    number: int
    started_at: str
    row: dict[str, Any] = field(default_factory=dict)
    screens: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    elements: tuple[Any, ...] = ()  # of the screen the action was chosen on
    shortcut: str = ""


class RunRecorder:
    """Stores one run: the run row, then each step in its own transaction."""

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        *,
        retrieved: Retrieved | None = None,
        kind: str = "task",
        count_shortcuts: bool = True,
    ) -> None:
        self.store = store
        self.data_dir = Path(data_dir)
        self.retrieved = retrieved
        self.kind = kind
        self.count_shortcuts = count_shortcuts
        self.run_id = ""
        self.run_dir: Path | None = None
        self.errors = 0  # events that could not be stored
        self.steps_stored = 0
        self._step: _Step | None = None
        self._last_elements: tuple[Any, ...] = ()  # of the latest screen seen
        self._plan: list[str] = []
        self._subgoal = ""
        self._secrets: set[str] = set()

    def __call__(self, event: Event) -> None:
        """Handle one event; storage failures are logged, counted and never raised."""
        handler = _HANDLERS.get(type(event))
        if handler is None:
            return
        try:
            handler(self, event)
        except Exception:
            self.errors += 1
            log.exception(
                "could not store %s of run %s (step %d) in the memory store %s",
                event.kind,
                event.run_id,
                event.step,
                self.store.where,
            )

    # -- run ----------------------------------------------------------------------------
    def _started(self, e: RunStarted) -> None:
        self.run_id = e.run_id
        self.run_dir = self.data_dir / "runs" / e.run_id
        self.run_dir.mkdir(parents=True, exist_ok=True)
        found = self.retrieved
        self.store.runs.start(
            {
                "id": e.run_id,
                "kind": self.kind,
                "task": e.task,
                "device": e.device,
                "models": e.models,
                "settings": e.limits,
                "dir": str(self.run_dir),
                "tips": list(found.tip_ids) if found else [],
                "shortcuts": list(found.shortcut_names) if found else [],
                "started_at": _iso(e.time),
            }
        )

    def _finished(self, e: RunFinished) -> None:
        if self._step is not None:
            log.error("run %s ended inside step %d; storing it", e.run_id, self._step.number)
            self._close(self._step, None, e.time)
        s = e.summary
        fields = {
            "state": str(e.state),
            "reason": self._mask(s.reason),
            "answer": self._mask(s.answer),
            "steps": s.steps,
            "failed_steps": s.failed_steps,
            "model_calls": s.model_calls,
            "input_tokens": s.usage.input_tokens,
            "output_tokens": s.usage.output_tokens,
            "cost_usd": s.usage.cost_usd,
            "elapsed_s": s.elapsed_s,
            "plan": [self._mask(p) for p in s.plan],
            "notes": self._mask(s.notes),
            "finished_at": _iso(e.time),
        }
        tips = self.retrieved.tip_ids if self.retrieved else ()
        self.store.runs.finish(e.run_id, fields, tips, succeeded=s.succeeded)

    # -- steps --------------------------------------------------------------------------
    def _step_for(self, e: Event) -> _Step:
        if self._step is None or self._step.number != e.step:
            self._step_started(e)
        assert self._step is not None
        return self._step

    def _step_started(self, e: Event) -> None:
        if not self.run_id:  # attached after the run started: a run row all the same
            self._started(RunStarted(run_id=e.run_id, task="(not recorded)", device=""))
        unfinished, self._step = self._step, _Step(e.step, _iso(e.time))
        # a step acts on the last screen seen unless it looks again ("before")
        self._step.elements = self._last_elements
        if unfinished is not None:
            log.error(
                "step %d of run %s never finished; storing it as it is", unfinished.number, e.run_id
            )
            self._close(unfinished, None, e.time)

    def _screen(self, e: ScreenPerceived) -> None:
        step = self._step_for(e)
        seq = len(step.screens) + 1
        stem = f"step-{e.step:03d}-{seq}-{e.phase}"
        elements = tuple(e.elements)
        if e.phase == "before":
            step.elements = elements
        if e.phase != "during":  # what the next step will act on, unless it looks again
            self._last_elements = elements
        step.screens.append(
            {
                "run_id": e.run_id,
                "step": e.step,
                "seq": seq,
                "phase": e.phase,
                "package": e.package,
                "activity": e.activity,
                "screenshot": self._file(f"{stem}.png", e.png),
                "hierarchy": self._file(f"{stem}.xml", self._mask(e.hierarchy_xml).encode()),
                "elements": [self._masked(_element_json(el), _SHOWN) for el in elements],
                "ocr_used": int(e.ocr_used),
                "timings": e.timings_ms,
            }
        )

    def _plan_updated(self, e: PlanUpdated) -> None:
        self._plan, self._subgoal = list(e.plan), e.current_subgoal

    def _chosen(self, e: ActionChosen) -> None:
        step = self._step_for(e)
        step.row.update(thought=e.thought)
        secret = _typed_secret(e.action, step.elements)
        if secret:
            self._secrets.add(secret)

    def _executed(self, e: ActionExecuted) -> None:
        step = self._step_for(e)
        step.row.update(executed_ok=int(e.ok), summary=e.summary, error=e.error)
        step.shortcut = str(e.action.get("name", ""))

    def _reflected(self, e: Reflected) -> None:
        self._step_for(e).row.update(
            verdict=e.outcome, feedback=e.feedback, subgoal_completed=int(e.subgoal_completed)
        )

    def _notes(self, e: NotesUpdated) -> None:
        self._step_for(e).row.update(notes=e.notes)

    def _model_called(self, e: ModelCalled) -> None:
        self._step_for(e).calls.append(
            {
                "run_id": e.run_id,
                "step": e.step,
                "agent": e.agent,
                "model": e.model,
                "attempt": e.attempt,
                "ok": int(e.ok),
                "latency_s": e.latency_s,
                "input_tokens": e.usage.input_tokens,
                "output_tokens": e.usage.output_tokens,
                "cost_usd": e.usage.cost_usd,
                "prompt": e.prompt,
                "reply": e.reply,
                "called_at": _iso(e.time),
            }
        )

    def _step_finished(self, e: StepFinished) -> None:
        step = self._step_for(e)
        self._step = None
        self._close(step, e, e.time)

    def _close(self, step: _Step, end: StepFinished | None, when: float) -> None:
        """Write the step, its screens and its model calls in one transaction."""
        calls = [self._masked(c, ("prompt", "reply")) for c in step.calls]
        row = {
            **step.row,
            "run_id": self.run_id or (end.run_id if end else ""),
            "number": step.number,
            "plan": [self._mask(p) for p in self._plan],
            "subgoal": self._mask(self._subgoal),
            "model_calls": len(calls),
            "input_tokens": sum(c["input_tokens"] for c in calls),
            "output_tokens": sum(c["output_tokens"] for c in calls),
            "cost_usd": sum(c["cost_usd"] for c in calls),
            "started_at": step.started_at,
            "finished_at": _iso(when),
            **_ending(end),
        }
        row = self._masked(row, ("thought", "summary", "error", "feedback", "notes", "reason"))
        row["description"] = self._mask(row.get("description", ""))
        row["action"] = _mask_action(row.get("action"), self._secrets)
        self.store.runs.add_step(row, step.screens, calls, self._shortcut_use(step, end))
        self.steps_stored += 1

    def _shortcut_use(self, step: _Step, end: StepFinished | None) -> tuple[str, bool] | None:
        """(name, worked) when the step ran a stored shortcut and ended normally."""
        if not self.count_shortcuts or not step.shortcut or end is None:
            return None
        if end.outcome == "interrupted" or self.store.shortcuts.find(step.shortcut) is None:
            return None
        return step.shortcut, bool(step.row.get("executed_ok")) and end.ok

    # -- files and masking --------------------------------------------------------------
    def _file(self, name: str, data: bytes) -> str:
        """Write `data` to the run's folder (temporary name, then rename); its file name."""
        if not data or self.run_dir is None:
            return ""
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=self.run_dir)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, self.run_dir / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return name

    def _mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def _masked(self, row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
        return {k: self._mask(v) if k in keys and isinstance(v, str) else v for k, v in row.items()}


_SHOWN = ("text", "description")  # the fields of an element that show typed text


def _ending(end: StepFinished | None) -> dict[str, Any]:
    if end is None:
        return {"outcome": "interrupted", "ok": 0, "reason": "the run ended inside the step"}
    return {
        "action": end.action,
        "description": end.description,
        "outcome": end.outcome,
        "ok": int(end.ok),
        "phase": end.phase,
        "reason": end.reason,
        "timings": end.timings_ms,
    }


def _typed_secret(action: dict[str, Any], elements: tuple[Any, ...]) -> str:
    """The text of a `type` action aimed at a password field ("" otherwise)."""
    args = action.get("args") or {}
    text = args.get("text")
    if action.get("name") != "type" or not isinstance(text, str) or not text:
        return ""
    shown = [el for el in elements if isinstance(el, UIElement)]
    target: UIElement | None = None
    if isinstance(args.get("element"), int):
        target = next((el for el in shown if el.id == args["element"]), None)
    elif isinstance(args.get("label"), str):
        selector = ElementSelector(label=args["label"])
        target = next((el for el in shown if selector.matches(el)), None)
    else:
        target = next((el for el in shown if el.focused and el.editable), None)
    return text if target is not None and target.password else ""


def _mask_action(action: Any, secrets: set[str]) -> Any:
    if not isinstance(action, dict) or not secrets:
        return action
    args = {
        k: MASK if isinstance(v, str) and v in secrets else v
        for k, v in (action.get("args") or {}).items()
    }
    return {**action, "args": args}


def _element_json(el: Any) -> dict[str, Any]:
    data = el.to_json() if hasattr(el, "to_json") else el
    return data if isinstance(data, dict) else {"value": data}


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


_HANDLERS: dict[type[Event], Any] = {
    RunStarted: RunRecorder._started,
    RunFinished: RunRecorder._finished,
    StepStarted: RunRecorder._step_started,
    ScreenPerceived: RunRecorder._screen,
    PlanUpdated: RunRecorder._plan_updated,
    ActionChosen: RunRecorder._chosen,
    ActionExecuted: RunRecorder._executed,
    Reflected: RunRecorder._reflected,
    NotesUpdated: RunRecorder._notes,
    ModelCalled: RunRecorder._model_called,
    StepFinished: RunRecorder._step_finished,
}
