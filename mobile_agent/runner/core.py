"""The loop: drives the agents for one task, one step at a time, in fixed phases.

One step is a straight line; each phase is a function of the previous phase's value::

    observe → [plan] → choose → loop guard → act (gate inside) → settle + observe
            → reflect → [notes] → conclude

A phase that cannot go on returns a `StepEnd`. `_conclude` is the one place that records a
step, counts failures, sends the step's closing events and decides whether the run is over.
Events are sent by the runner between phases only; actions never call back into it. Stop,
pause and the limits are checked between phases. The run ends in a named `FinalState`, and
`RunFinished` is always the last event.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
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
    StepRecord,
)
from mobile_agent.config import AGENT_ROLES, Settings
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
from mobile_agent.perception.observation import Observation
from mobile_agent.runner.calls import ModelCalls
from mobile_agent.runner.control import Control
from mobile_agent.runner.ends import BLOCKED, COMPLETED, FAILED, FINISHED, RunEnd, StepEnd, failed
from mobile_agent.runner.guards import LoopDetector, RunLimits
from mobile_agent.runner.observe import Observer

log = logging.getLogger(__name__)

_HINTS = {
    Outcome.WRONG_PAGE.value: "The last action led to a wrong page; undo it (for example with "
    "back) and try another way.",
    Outcome.NO_CHANGE.value: "The last action changed nothing; try a different action.",
}
_NO_ACTION_RAN = ("manager", "operator", "loop")  # phases that end a step before acting


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
        settings = settings or Settings()
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
        self.observe = Observer(
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
        """Let a paused run go on."""
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
        end = RunEnd(FinalState.FAILED)
        try:
            self._loop()
        except RunEnd as reached:
            end = reached
        except Exception as exc:
            end = _run_end_for(exc, self.run_id)
        finally:
            result = self._result(end)
            self._send(RunFinished, state=end.state, summary=result)
        return result

    def _reset(self, task: str) -> None:
        self.state = AgentState(task=task, tips=self.tips, history_steps=self.limits.history_steps)
        schemas = {"operator": self.operator.response_schema}
        self.calls = ModelCalls(self.models, self.control.cancel, self._send, schemas)
        self._loops = LoopDetector(self.limits.loop_window)
        self._started = time.monotonic()
        self._steps = self._failed_steps = self._failures = 0
        self._need_manager = True
        self._loop_warned = False
        self._closing_check = False  # the last step only heard the manager confirm the task
        self._current: Observation | None = None  # the screen as it is now, when known
        self._timings: dict[str, float] = {}

    def _loop(self) -> None:
        while True:
            self._checkpoint()
            if self._steps >= self.limits.max_steps:
                reason = f"reached the limit of {self.limits.max_steps} steps"
                raise RunEnd(FinalState.MAX_STEPS, reason)
            self._step()

    def _step(self) -> None:
        self._steps += 1
        self._timings = {}
        started, model_before = time.perf_counter(), self.calls.time_s
        self._send(StepStarted)
        try:
            end = self._phases()
        except BaseException as exc:  # the run ends inside the step: the step is still closed
            reason = exc.reason if isinstance(exc, RunEnd) else f"{type(exc).__name__}: {exc}"
            self._close(StepEnd("interrupted", reason=reason), started, model_before)
            raise
        self._conclude(end, started, model_before)

    # -- the phases of one step ------------------------------------------------------------
    def _phases(self) -> StepEnd:
        before = self._current or self._perceive("before")
        if self._need_manager:
            planned = self._plan()
            if planned is not None:
                return planned
            self._checkpoint()
        chosen = self._choose()
        if isinstance(chosen, StepEnd):
            return chosen
        call, description = chosen.action, chosen.description
        if self._loops.check(before.signature, call.key()):
            reason = f"{call.key()} repeats an attempt that led nowhere here; try another way"
            return failed("loop", reason, call, description)
        self._checkpoint()
        result = self._act(chosen, before)
        if result.finished:
            return StepEnd(FINISHED, action=call, description=description, answer=result.answer)
        if result.blocked:
            return StepEnd(BLOCKED, "action", result.error, call, description)
        after = self._perceive("after", settle=True)
        new_screen = not self._loops.seen(after.signature)
        self._loops.record(before.signature, call.key(), after.signature)
        if not result.ok:
            return failed("action", result.error, call, description)
        self._checkpoint()
        return self._reflect(chosen, new_screen)

    def _perceive(self, phase: str, *, settle: bool = False) -> Observation:
        seen = self.observe(settle=settle)
        self._report(seen, phase)
        self.state.screen = self._current = seen
        return seen

    def _report(self, seen: Observation, phase: str) -> None:
        for key, value in seen.timings_ms.items():
            self._timings[key] = self._timings.get(key, 0.0) + value
        self._send(
            ScreenPerceived,
            phase=phase,
            package=seen.package,
            activity=seen.activity,
            element_count=len(seen.elements),
            ocr_used=seen.ocr_used,
            timings_ms=seen.timings_ms,
            png=seen.png,
            elements=seen.elements,
            hierarchy_xml=seen.screen.hierarchy_xml,
        )

    def _plan(self) -> StepEnd | None:
        """Ask the manager; a `StepEnd` when the task is complete or the reply unusable."""
        out = self.calls.ask(self.manager, self.state)
        if isinstance(out, StepEnd):
            return out
        self._need_manager = False
        if out.completed:
            return StepEnd(
                COMPLETED, "manager", "the manager judged the task complete", answer=out.answer
            )
        self.state.plan = list(out.plan) or self.state.plan
        self.state.current_subgoal = out.current_subgoal
        self.state.errors.clear()
        plan, subgoal = tuple(self.state.plan), out.current_subgoal
        self._send(PlanUpdated, plan=plan, current_subgoal=subgoal, thought=out.thought)
        return None

    def _choose(self) -> OperatorOutput | StepEnd:
        ctx = self._context(self.state.screen)
        out = self.calls.ask(
            self.operator, self.state, check=lambda o: self.registry.check(o.action, ctx)
        )
        if isinstance(out, OperatorOutput):
            action, thought = out.action.to_dict(), out.thought
            self._send(ActionChosen, action=action, thought=thought, description=out.description)
        return out  # type: ignore[no-any-return]

    def _act(self, chosen: OperatorOutput, before: Observation) -> ActionResult:
        started = time.perf_counter()
        result = self.registry.execute(chosen.action, self._context(before))
        self._timings["action_ms"] = (time.perf_counter() - started) * 1000
        for seen in result.observations:  # screens met between a shortcut's steps
            self._report(seen, "during")
        self._send(
            ActionExecuted,
            action=chosen.action.to_dict(),
            ok=result.ok,
            summary=result.summary,
            error=result.error,
            duration_ms=self._timings["action_ms"],
        )
        self.state.before = before
        self.state.last_call, self.state.last_description = chosen.action, chosen.description
        self.state.last_result = result
        if result.user_reply is not None:
            said = f"{self.state.notes}\nThe user said: {result.user_reply}".strip()
            self.state.notes = _cap(said, self.limits.max_notes_chars)
        return result

    def _reflect(self, chosen: OperatorOutput, new_screen: bool) -> StepEnd:
        call, description = chosen.action, chosen.description
        verdict = self.calls.ask(self.reflector, self.state)
        if isinstance(verdict, StepEnd):
            return replace(verdict, action=call, description=description)
        self._send(
            Reflected,
            outcome=verdict.outcome.value,
            feedback=verdict.feedback,
            subgoal_completed=verdict.subgoal_completed,
        )
        if verdict.outcome is Outcome.SUCCESS and self._wants_notes(verdict.notable):
            self._checkpoint()
            self._take_notes()
        done = verdict.subgoal_completed
        return StepEnd(
            verdict.outcome.value,
            reason=verdict.feedback,
            action=call,
            description=description,
            subgoal_completed=done,
            new_screen=new_screen,
        )

    def _wants_notes(self, notable: bool) -> bool:
        policy = self.notetaker_policy
        return policy == "always" or (policy == "auto" and notable)

    def _take_notes(self) -> None:
        out = self.calls.ask(self.notetaker, self.state)
        if isinstance(out, StepEnd):  # notes stay as they were; the step's action did succeed
            log.warning("the notetaker gave no usable notes: %s", out.reason)
            return
        self.state.notes = _cap(out.notes.strip(), self.limits.max_notes_chars)
        self._send(NotesUpdated, notes=self.state.notes)

    # -- how a step ends ----------------------------------------------------------------
    def _conclude(self, end: StepEnd, started: float, model_before: float) -> None:
        """The one place a step ends: history, counters, events; `RunEnd` when it is over."""
        if end.phase in _NO_ACTION_RAN:
            self._loops.record_nothing()
            self._current = None  # nothing acted: look afresh at the next step
        if end.outcome != COMPLETED:
            record = StepRecord(
                self._steps, end.action_key, end.description, end.outcome, end.reason
            )
            self.state.history.append(record)
            del self.state.history[: -self.limits.history_steps * 4]  # memory stays bounded
        self._close(end, started, model_before)
        if end.outcome == COMPLETED:
            self._closing_check = True
            raise RunEnd(FinalState.SUCCEEDED, end.reason, end.answer)
        if end.outcome == FINISHED:
            raise RunEnd(FinalState.SUCCEEDED, "the operator finished the task", end.answer)
        if end.outcome == BLOCKED:
            raise RunEnd(FinalState.BLOCKED, f"waiting for the user: {end.reason}")
        if end.ok:
            self._progressed(end)
        else:
            self._fell_short(end)

    def _close(self, end: StepEnd, started: float, model_before: float) -> None:
        """The step's closing events: `StepFailed` for a failed step, then `StepFinished`."""
        self._timings["total_ms"] = (time.perf_counter() - started) * 1000
        self._timings["model_ms"] = (self.calls.time_s - model_before) * 1000
        if end.outcome == FAILED:
            self._failed_steps += 1
            self._send(StepFailed, phase=end.phase, reason=end.reason)
        action = end.action.to_dict() if end.action is not None else None
        self._send(
            StepFinished,
            action=action,
            description=end.description,
            outcome=end.outcome,
            ok=end.ok,
            phase=end.phase,
            reason=end.reason,
            timings_ms=dict(self._timings),
        )

    def _progressed(self, end: StepEnd) -> None:
        self._failures = 0
        self.state.feedback = ""
        if end.new_screen:
            self._loop_warned = False
        self._need_manager = self._need_manager or end.subgoal_completed

    def _fell_short(self, end: StepEnd) -> None:
        if end.phase == "loop":
            if self._loop_warned:
                raise RunEnd(FinalState.FAILED, f"stuck in a loop: {end.action_key}")
            self._loop_warned = True
            self._need_manager = True
        reason = end.reason if end.outcome == FAILED else f"{_HINTS[end.outcome]} {end.reason}"
        self._failures += 1
        self.state.feedback = reason.strip()
        self.state.errors = [*self.state.errors[-4:], f"step {self._steps}: {reason.strip()}"]
        if self._failures >= self.limits.max_consecutive_failures:
            last = self.state.feedback
            raise RunEnd(FinalState.FAILED, f"{self._failures} failed steps in a row; last: {last}")
        if self._failures >= self.limits.escalate_after:
            self._need_manager = True

    # -- limits and helpers ---------------------------------------------------------------
    def _checkpoint(self) -> None:
        """Between phases: wait while paused; end the run when stopped or out of budget."""
        if self.control.checkpoint():
            raise RunEnd(FinalState.CANCELLED, "stopped by the user")
        limit = self.limits
        if time.monotonic() - self._started > limit.max_wall_s:
            raise RunEnd(FinalState.BUDGET_EXCEEDED, f"ran out of time ({limit.max_wall_s:g} s)")
        cost = self.calls.usage.cost_usd
        if limit.max_cost_usd > 0 and cost >= limit.max_cost_usd:
            reason = f"model cost reached ${cost:.4f} (limit ${limit.max_cost_usd:g})"
            raise RunEnd(FinalState.BUDGET_EXCEEDED, reason)

    def _context(self, screen: Observation | None) -> ActionContext:
        return ActionContext(
            device=self.device,
            elements=screen.elements if screen else (),
            screen_size=screen.size if screen else (0, 0),
            cancel=self.control.cancel,
            ask_user=self.ask_user,
            observe=self.observe.settled,
            gate=self.gate,
        )

    def _send(self, kind: type[Event], **fields: Any) -> None:
        event = kind(run_id=self.run_id, step=self._steps, **fields)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("an event listener failed on %s", event.kind)

    def _result(self, end: RunEnd) -> RunResult:
        calls = self.calls
        return RunResult(
            state=end.state,
            reason=end.reason,
            answer=end.answer,
            steps=self._steps - self._closing_check,
            failed_steps=self._failed_steps,
            model_calls=calls.calls,
            usage=calls.usage,
            elapsed_s=time.monotonic() - self._started,
            model_time_s=calls.time_s,
            plan=tuple(self.state.plan),
            notes=self.state.notes,
        )


def _run_end_for(exc: Exception, run_id: str) -> RunEnd:
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


def _models_by_role(models: ChatModel | Mapping[str, ChatModel]) -> dict[str, ChatModel]:
    if isinstance(models, Mapping):
        default = models.get("default") or models.get("operator")
        found = {role: models.get(role) or default for role in AGENT_ROLES}
        missing = [role for role, model in found.items() if model is None]
        if missing:
            raise ValueError(f"no model for: {', '.join(missing)}")
        return found  # type: ignore[return-value]
    return dict.fromkeys(AGENT_ROLES, models)


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
