"""The loop: drives the agents for one task in fixed phases, enforces limits, emits events.

One step::

    perceive → [manager] → operator → (loop guard) → execute → settle + perceive
             → reflector → [notetaker] → StepFinished

with stop/pause checkpoints between phases. Expected failures (a malformed reply after its
one repair, an action that could not run, a wrong page) fail the step, not the run; the run
ends in a named `FinalState`, and `RunFinished` is always the last event.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from mobile_agent.actions import (
    ActionContext,
    ActionResult,
    AskUser,
    Gate,
    Registry,
    Shortcut,
    default_registry,
)
from mobile_agent.agents import (
    AgentState,
    Manager,
    Notetaker,
    Operator,
    OperatorOutput,
    Outcome,
    Reflector,
    ReflectorOutput,
    StepRecord,
)
from mobile_agent.config import Settings
from mobile_agent.device.base import Device
from mobile_agent.errors import Cancelled, DeviceError, LLMError, MobileAgentError
from mobile_agent.events import (
    ActionChosen,
    ActionExecuted,
    Event,
    FinalState,
    Listener,
    NotesUpdated,
    PlanUpdated,
    Reflected,
    RunFinished,
    RunResult,
    RunStarted,
    ScreenPerceived,
    StepFailed,
    StepFinished,
    StepStarted,
)
from mobile_agent.llm.base import ChatModel
from mobile_agent.runner.calls import ModelCalls
from mobile_agent.runner.control import Control
from mobile_agent.runner.flow import Finish
from mobile_agent.runner.flow import StepFailed as _StepFailed
from mobile_agent.runner.guards import LoopDetector, RunLimits
from mobile_agent.runner.models import ROLES
from mobile_agent.runner.screens import Capture, ScreenReader

log = logging.getLogger(__name__)

_HINTS = {
    Outcome.WRONG_PAGE: "The last action led to a wrong page; undo it (for example with back) "
    "and try another way.",
    Outcome.NO_CHANGE: "The last action changed nothing; try a different action.",
}


class Runner:
    """Runs one task on one device. `stop()`, `pause()` and `resume()` work from any thread."""

    def __init__(
        self,
        device: Device,
        models: ChatModel | Mapping[str, ChatModel],
        *,
        settings: Settings | None = None,
        limits: RunLimits | None = None,
        registry: Registry | None = None,
        shortcuts: Sequence[Shortcut] = (),
        listeners: Iterable[Listener] = (),
        ask_user: AskUser | None = None,
        ocr: Any = None,
        images: Collection[str] | None = None,
        tips: str = "",
        notetaker: str = "auto",
        gate: Gate | None = None,
        run_id: str | None = None,
    ) -> None:
        settings = settings or Settings.model_validate({})
        self.device = device
        self.limits = limits or RunLimits.from_settings(settings)
        self.models = _models_by_role(models)
        roles = set(settings.agent_images if images is None else images)
        self.registry = registry or default_registry(shortcuts)
        self.manager = Manager(images="manager" in roles)
        self.operator = Operator(self.registry, images="operator" in roles)
        self.reflector = Reflector(images="reflector" in roles)
        self.notetaker = Notetaker(images="notetaker" in roles)
        self.notetaker_policy = notetaker  # "auto" (when the reflector flags it), "always", "never"
        self.reader = ScreenReader(
            device,
            ocr=ocr,
            ocr_policy=settings.ocr_policy,
            max_elements=self.limits.max_elements,
            settle_max_s=self.limits.settle_max_s,
            marks="operator" in roles,
        )
        self.ask_user = ask_user
        self.gate = gate
        self.tips = tips
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.control = Control()
        self._listeners: list[Listener] = list(listeners)
        self._used = False

    # -- control ------------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> None:
        """Receive every event of the run (called on the runner's thread)."""
        self._listeners.append(listener)

    def stop(self) -> None:
        """End the run at the next checkpoint, cancelling an in-flight model call."""
        self.control.stop()

    def pause(self) -> None:
        """Hold the run at its next checkpoint."""
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    # -- the run ------------------------------------------------------------------------
    def run(self, task: str) -> RunResult:
        """Carry out `task`; always returns a result with a named final state."""
        if self._used:
            raise RuntimeError("a Runner runs one task; make a new one")
        self._used = True
        self._reset(task)
        self._send(
            RunStarted,
            task=task,
            device=self.device.serial,
            limits=self.limits.to_dict(),
            models={role: m.name for role, m in self.models.items()},
        )
        state, reason, answer = FinalState.FAILED, "", ""
        try:
            self._loop()
        except Finish as fin:
            state, reason, answer = fin.state, fin.reason, fin.answer
        except Cancelled:
            state, reason = FinalState.CANCELLED, "stopped by the user"
        except DeviceError as exc:
            state, reason = FinalState.DEVICE_LOST, f"the device was lost: {exc}"
        except LLMError as exc:
            state, reason = FinalState.FAILED, f"model error: {exc}"
        except MobileAgentError as exc:
            state, reason = FinalState.FAILED, str(exc)
        except Exception as exc:
            log.exception("run %s failed unexpectedly", self.run_id)
            state, reason = FinalState.FAILED, f"internal error: {type(exc).__name__}: {exc}"
        finally:
            result = self._result(state, reason, answer)
            self._send(RunFinished, state=state, summary=result)
        return result

    def _reset(self, task: str) -> None:
        self.state = AgentState(task=task, tips=self.tips, history_steps=self.limits.history_steps)
        self.calls = ModelCalls(
            self.models, self.control, self._send, {"operator": self.operator.response_schema}
        )
        self._loops = LoopDetector(self.limits.loop_window)
        self._started = time.monotonic()
        self._steps = self._failed_steps = self._failures = 0
        self._need_manager = True
        self._loop_warned = False
        self._fresh = False  # does state.screen show the screen as it is now?
        self._timings: dict[str, float] = {}
        self._outcome: dict[str, Any] | None = None  # what StepFinished reports for this step

    def _loop(self) -> None:
        while True:
            self._checkpoint()
            if self._steps >= self.limits.max_steps:
                raise Finish(
                    FinalState.MAX_STEPS, f"reached the limit of {self.limits.max_steps} steps"
                )
            self._step()

    def _step(self) -> None:
        self._steps += 1
        self._timings, self._outcome = {}, None
        started, model_before = time.perf_counter(), self.calls.time_s
        self._send(StepStarted)
        try:
            self._phases()
        except _StepFailed as exc:
            self._fail_step(exc)
        finally:
            self._timings["total_ms"] = (time.perf_counter() - started) * 1000
            self._timings["model_ms"] = (self.calls.time_s - model_before) * 1000
            if self._outcome is not None:
                self._send(StepFinished, timings_ms=dict(self._timings), **self._outcome)

    def _phases(self) -> None:
        if not self._fresh:
            self._look(settle=False)
        if self._need_manager:
            self._plan()
            self._checkpoint()
        chosen = self._choose()
        self._guard_loop(chosen)
        self._checkpoint()
        result = self._act(chosen)
        if not result.ok:
            raise _StepFailed("action", result.error, chosen.action.key())
        self._checkpoint()
        verdict = self._reflect()
        self._apply_verdict(chosen, verdict)
        ok = verdict.outcome is Outcome.SUCCESS
        self._outcome = _step_outcome(chosen, verdict.outcome.value, ok)
        if ok and self._wants_notes(verdict):
            self._checkpoint()
            self._take_notes()

    # -- phases ---------------------------------------------------------------------------
    def _look(self, *, settle: bool) -> Capture:
        cap = self.reader.read(settle=settle)
        for key, value in cap.timings_ms.items():
            self._timings[key] = self._timings.get(key, 0.0) + value
        self.state.screen = cap.view
        self._fresh = True
        view = cap.view
        self._send(
            ScreenPerceived,
            phase="after" if settle else "before",
            package=view.package,
            activity=view.activity,
            element_count=len(cap.elements),
            ocr_used=cap.ocr_used,
            timings_ms=cap.timings_ms,
            png=view.png,
            elements=view.elements,
        )
        return cap

    def _plan(self) -> None:
        out = self.calls.ask(self.manager, self.state)
        self._need_manager = False
        if out.completed:
            raise Finish(FinalState.SUCCEEDED, "the manager judged the task complete", out.answer)
        self.state.plan = list(out.plan) or self.state.plan
        self.state.current_subgoal = out.current_subgoal
        self.state.errors.clear()
        self._send(
            PlanUpdated,
            plan=tuple(self.state.plan),
            current_subgoal=out.current_subgoal,
            thought=out.thought,
        )

    def _choose(self) -> OperatorOutput:
        ctx = self._context()
        out: OperatorOutput = self.calls.ask(
            self.operator, self.state, check=lambda o: self.registry.check(o.action, ctx)
        )
        self._send(
            ActionChosen,
            action=out.action.to_dict(),
            thought=out.thought,
            description=out.description,
        )
        return out

    def _guard_loop(self, chosen: OperatorOutput) -> None:
        key = chosen.action.key()
        assert self.state.screen is not None
        if not self._loops.check(self.state.screen.signature, key):
            return
        if self._loop_warned:
            raise Finish(FinalState.FAILED, f"stuck: {key} repeated on an unchanged screen")
        self._loop_warned = True
        self._need_manager = True
        reason = f"{key} was already tried on this unchanged screen without effect; try another way"
        raise _StepFailed("loop", reason, key)

    def _act(self, chosen: OperatorOutput) -> ActionResult:
        assert self.state.screen is not None
        before = self.state.screen
        started = time.perf_counter()
        result = self.registry.execute(chosen.action, self._context())
        self._timings["action_ms"] = (time.perf_counter() - started) * 1000
        self._send(
            ActionExecuted,
            action=chosen.action.to_dict(),
            ok=result.ok,
            summary=result.summary,
            error=result.error,
            duration_ms=self._timings["action_ms"],
        )
        self.state.last_call, self.state.last_description = chosen.action, chosen.description
        self.state.last_result = result
        if result.user_reply is not None:
            said = f"{self.state.notes}\nThe user said: {result.user_reply}".strip()
            self.state.notes = _cap(said, self.limits.max_notes_chars)
        self._end_on_result(chosen, result)
        after = self._look(settle=True)
        self.state.before = before
        self._loops.record(before.signature, chosen.action.key(), after.view.signature)
        return result

    def _end_on_result(self, chosen: OperatorOutput, result: ActionResult) -> None:
        if result.finished:
            self._record(chosen.action.key(), chosen.description, "finished")
            self._outcome = _step_outcome(chosen, "finished", True)
            raise Finish(FinalState.SUCCEEDED, "the operator finished the task", result.answer)
        if result.blocked:
            raise Finish(FinalState.BLOCKED, f"waiting for the user: {result.error}")

    def _reflect(self) -> ReflectorOutput:
        out: ReflectorOutput = self.calls.ask(self.reflector, self.state)
        self._send(
            Reflected,
            outcome=out.outcome.value,
            feedback=out.feedback,
            subgoal_completed=out.subgoal_completed,
        )
        return out

    def _apply_verdict(self, chosen: OperatorOutput, verdict: ReflectorOutput) -> None:
        key = chosen.action.key()
        self._record(key, chosen.description, verdict.outcome.value, verdict.feedback)
        if verdict.outcome is not Outcome.SUCCESS:
            self._count_failure(f"{_HINTS[verdict.outcome]} {verdict.feedback}".strip())
            return
        self._failures = 0
        self.state.feedback = ""
        before, after = self.state.before, self.state.screen
        if before and after and before.signature != after.signature:
            self._loop_warned = False
        self._need_manager = self._need_manager or verdict.subgoal_completed

    def _wants_notes(self, verdict: ReflectorOutput) -> bool:
        policy = self.notetaker_policy
        return policy == "always" or (policy == "auto" and verdict.notable)

    def _take_notes(self) -> None:
        try:
            out = self.calls.ask(self.notetaker, self.state)
        except _StepFailed as exc:  # notes stay as they were; the step's action did succeed
            log.warning("the notetaker gave no usable notes: %s", exc.reason)
            return
        self.state.notes = _cap(out.notes.strip(), self.limits.max_notes_chars)
        self._send(NotesUpdated, notes=self.state.notes)

    # -- failures -------------------------------------------------------------------------
    def _fail_step(self, exc: _StepFailed) -> None:
        self._failed_steps += 1
        if exc.phase != "action":
            self._loops.record_nothing()
        if exc.phase in ("manager", "operator", "loop"):
            self._fresh = False  # no action ran: look again before the next step
        self._record(exc.action, "", "failed", exc.reason)
        self._send(StepFailed, phase=exc.phase, reason=exc.reason)
        self._count_failure(exc.reason)

    def _count_failure(self, reason: str) -> None:
        self._failures += 1
        self.state.feedback = reason
        self.state.errors = [*self.state.errors[-4:], f"step {self._steps}: {reason}"]
        if self._failures >= self.limits.max_consecutive_failures:
            raise Finish(
                FinalState.FAILED, f"{self._failures} failed steps in a row; last: {reason}"
            )
        if self._failures >= self.limits.escalate_after:
            self._need_manager = True

    def _record(self, action: str, description: str, outcome: str, feedback: str = "") -> None:
        self.state.history.append(StepRecord(self._steps, action, description, outcome, feedback))
        del self.state.history[: -self.limits.history_steps * 4]  # memory stays bounded too

    # -- limits and helpers ---------------------------------------------------------------
    def _checkpoint(self) -> None:
        if self.control.checkpoint():
            raise Finish(FinalState.CANCELLED, "stopped by the user")
        limit = self.limits
        if time.monotonic() - self._started > limit.max_wall_s:
            raise Finish(FinalState.BUDGET_EXCEEDED, f"ran out of time ({limit.max_wall_s:g} s)")
        cost = self.calls.usage.cost_usd
        if limit.max_cost_usd > 0 and cost >= limit.max_cost_usd:
            reason = f"model cost reached ${cost:.4f} (limit ${limit.max_cost_usd:g})"
            raise Finish(FinalState.BUDGET_EXCEEDED, reason)

    def _context(self) -> ActionContext:
        screen = self.state.screen
        return ActionContext(
            device=self.device,
            elements=list(screen.elements) if screen else [],
            screen_size=screen.size if screen else (0, 0),
            cancel=self.control.cancel,
            ask_user=self.ask_user,
            registry=self.registry,
            refresh=lambda: self._look(settle=True).elements,
            gate=self.gate,
        )

    def _send(self, kind: type[Event], **fields: Any) -> None:
        self._emit(kind(run_id=self.run_id, step=self._steps, **fields))

    def _emit(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("an event listener failed on %s", event.kind)

    def _result(self, state: FinalState, reason: str, answer: str) -> RunResult:
        calls = self.calls
        return RunResult(
            state=state,
            reason=reason,
            answer=answer,
            steps=self._steps,
            failed_steps=self._failed_steps,
            model_calls=calls.calls,
            usage=calls.usage,
            elapsed_s=time.monotonic() - self._started,
            model_time_s=calls.time_s,
            plan=tuple(self.state.plan),
            notes=self.state.notes,
        )


def _models_by_role(models: ChatModel | Mapping[str, ChatModel]) -> dict[str, ChatModel]:
    if isinstance(models, Mapping):
        default = models.get("default") or models.get("operator")
        found = {role: models.get(role) or default for role in ROLES}
        missing = [role for role, model in found.items() if model is None]
        if missing:
            raise ValueError(f"no model for: {', '.join(missing)}")
        return found  # type: ignore[return-value]
    return dict.fromkeys(ROLES, models)


def _step_outcome(chosen: OperatorOutput, outcome: str, ok: bool) -> dict[str, Any]:
    action, description = chosen.action.to_dict(), chosen.description
    return {"action": action, "description": description, "outcome": outcome, "ok": ok}


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
