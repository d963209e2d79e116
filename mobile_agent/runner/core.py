"""The loop: drives the agents for one task, one step at a time, in fixed phases.

One step is a straight line; each phase is a function of the previous phase's value::

    observe → [plan] → choose → loop guard → act (gate inside) → settle + observe
            → reflect → notes → conclude

The task ends one way, `finish` (from the operator's action or the manager's reply): with
success, or with success false and a reason (the run ends `failed`, the step `infeasible`).

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
from typing import Any

from mobile_agent.actions import (
    BUILTIN_ACTIONS,
    ActionCall,
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
from mobile_agent.config import Settings
from mobile_agent.device.base import Device
from mobile_agent.events import (
    ActionChosen,
    ActionExecuted,
    Event,
    FinalState,
    Listener,
    PlanUpdated,
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
from mobile_agent.runner.calls import ModelCalls, models_by_role
from mobile_agent.runner.control import Control
from mobile_agent.runner.ends import (
    BLOCKED,
    FAILED,
    FINISHED,
    RunEnd,
    StepEnd,
    failed,
    finished,
    run_end_for,
)
from mobile_agent.runner.guards import LoopDetector, RunLimits
from mobile_agent.runner.notes import NOTETAKER_POLICIES, NoteKeeper, cap
from mobile_agent.runner.observe import Observer, icon_finder, perceived
from mobile_agent.runner.verdicts import Verdicts
from mobile_agent.safety.gate import SafetyGate

log = logging.getLogger(__name__)
BUILTIN_NAMES = frozenset(action.name for action in BUILTIN_ACTIONS)

_HINTS = {
    Outcome.WRONG_PAGE.value: "The last action led to a wrong page; undo it (for example with "
    "back) and try another way.",
    Outcome.NO_CHANGE.value: "The last action changed nothing; try a different action.",
}
_NO_ACTION_RAN = ("manager", "operator", "loop")  # phases that end a step before acting
# Why the manager is called (shown in its prompt); the first step has its own.
_SUBGOAL_DONE = 'The subgoal "{}" was just completed: choose the next one, or finish.'
_STUCK = "The last {} steps failed: change the approach (see the recent errors)."
_LOOPING = "The Operator repeated an attempt that led nowhere: change the approach."


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
        icons: Any = None,
        images: Collection[str] | None = None,
        tips: str = "",
        notetaker: str | None = None,
        gate: Gate | None = None,
        run_id: str | None = None,
    ) -> None:
        settings = settings or Settings()
        notetaker = notetaker or settings.notetaker
        if notetaker not in NOTETAKER_POLICIES:
            raise ValueError(f"notetaker must be one of {NOTETAKER_POLICIES}, not {notetaker!r}")
        self.device = device
        self.limits = limits or RunLimits.from_settings(settings)
        self.models = models_by_role(models)
        roles = set(settings.agent_images if images is None else images)
        self.registry = registry or default_registry(shortcuts)
        self.manager = Manager(self.registry, images="manager" in roles)
        self.operator = Operator(self.registry, images="operator" in roles)
        self.reflector = Reflector(
            images="reflector" in roles, image_px=settings.reflector_image_px
        )
        self.notetaker = Notetaker(images="notetaker" in roles)
        self.notetaker_policy = notetaker  # "new", "always" or "never" (see runner.notes)
        self.evident = settings.evident_outcomes  # outcomes the screens settle: no reflector
        self.overlap_notes = settings.notes_beside_verdict
        self.observe = Observer(
            device,
            ocr=ocr,
            ocr_policy=settings.ocr_policy,
            max_elements=self.limits.max_elements,
            settle_max_s=self.limits.settle_max_s,
            marks="operator" in roles,
            icons=icons if icons is not None else icon_finder(settings, self.models["operator"]),
        )
        self.ask_user = ask_user
        # always on: without a gate of the caller's, consequential actions are held
        self.gate: Gate = gate if gate is not None else SafetyGate()
        self.tips = tips
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.control = Control()
        self._listeners: list[Listener] = list(listeners)
        self._shortcuts = frozenset(self.registry.names) - BUILTIN_NAMES
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
            end = run_end_for(exc, self.run_id)
        finally:
            result = self._result(end)
            self._send(RunFinished, state=end.state, summary=result)
        return result

    def _reset(self, task: str) -> None:
        self.state = AgentState(
            task=task,
            tips=self.tips,
            history_steps=self.limits.history_steps,
            max_steps=self.limits.max_steps,
            max_notes_chars=self.limits.max_notes_chars,
        )
        agents = (self.manager, self.operator, self.reflector, self.notetaker)
        schemas = {agent.role: agent.response_schema for agent in agents}
        self.calls = ModelCalls(self.models, self.control.cancel, self._send, schemas)
        self.notes = NoteKeeper(
            self.notetaker,
            self.calls,
            self._send,
            policy=self.notetaker_policy,
            max_chars=self.limits.max_notes_chars,
        )
        self.verdicts = Verdicts(
            self.reflector,
            self.calls,
            self.notes,
            self._send,
            self._checkpoint,
            scope_of=self._scope_of,
            shortcuts=self._shortcuts,
            evident=self.evident,
            notes_beside=self.overlap_notes,
        )
        self._loops = LoopDetector(self.limits.loop_window)
        self._started = time.monotonic()
        self._steps = self._failed_steps = self._failures = 0
        self._need_manager = True  # the first step plans
        self._manager_reason = ""  # why the manager is needed now ("": the first step)
        self._loop_warned = False
        self._closing_check = False  # the last step only heard the manager end the task
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
        self.state.step = self._steps
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
            return finished(call, "operator", description)
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
        self._send(ScreenPerceived, phase=phase, **perceived(seen))

    def _plan(self) -> StepEnd | None:
        """Ask the manager; a `StepEnd` when it ends the task or its reply is unusable."""
        self.state.manager_reason = self._manager_reason
        out = self.calls.ask(self.manager, self.state)
        if isinstance(out, StepEnd):
            return out
        self._need_manager, self._manager_reason = False, ""
        if out.finish is not None:
            return finished(ActionCall("finish", out.finish), "manager")
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
            self._send(
                ActionChosen,
                action=out.action.to_dict(),
                thought=out.thought,
                description=out.description,
                expectation=out.expectation,
            )
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
        state = self.state
        state.before, state.last_call, state.last_result = before, chosen.action, result
        state.last_description, state.last_thought = chosen.description, chosen.thought
        state.last_expectation = chosen.expectation
        if result.user_reply is not None:  # the user's own words: kept apart from the notes
            said = cap(result.user_reply.strip(), self.limits.max_notes_chars)
            state.user_said = [*state.user_said[-4:], said]
        return result

    def _reflect(self, chosen: OperatorOutput, new_screen: bool) -> StepEnd:
        return self.verdicts.judge(chosen, self.state, new_screen)

    # -- how a step ends ----------------------------------------------------------------
    def _conclude(self, end: StepEnd, started: float, model_before: float) -> None:
        """The one place a step ends: history, counters, events; `RunEnd` when it is over."""
        if end.phase in _NO_ACTION_RAN:
            self._loops.record_nothing()
            self._current = None  # nothing acted: look afresh at the next step
        if not end.ends_task:
            record = StepRecord(
                self._steps, end.action_key, end.description, end.outcome, end.reason, end.summary
            )
            self.state.history.append(record)
            del self.state.history[: -self.limits.history_steps * 4]  # memory stays bounded
        self._close(end, started, model_before)
        if end.ends_task:
            self._closing_check = end.phase == "manager"  # no action: not counted as a step
            state = FinalState.SUCCEEDED if end.outcome == FINISHED else FinalState.FAILED
            raise RunEnd(state, end.reason, end.answer)
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
        if end.subgoal_completed and not self._need_manager:
            self._need_manager = True
            self._manager_reason = _SUBGOAL_DONE.format(self.state.current_subgoal)

    def _fell_short(self, end: StepEnd) -> None:
        if end.phase == "loop":
            if self._loop_warned:
                raise RunEnd(FinalState.FAILED, f"stuck in a loop: {end.action_key}")
            self._loop_warned = True
            self._need_manager, self._manager_reason = True, _LOOPING
        reason = end.reason if end.outcome == FAILED else f"{_HINTS[end.outcome]} {end.reason}"
        self._failures += 1
        self.state.feedback = reason.strip()
        self.state.errors = [*self.state.errors[-4:], f"step {self._steps}: {reason.strip()}"]
        if self._failures >= self.limits.max_consecutive_failures:
            last = self.state.feedback
            raise RunEnd(FinalState.FAILED, f"{self._failures} failed steps in a row; last: {last}")
        if self._failures >= self.limits.escalate_after and not self._need_manager:
            self._need_manager = True
            self._manager_reason = _STUCK.format(self._failures)

    # -- limits and helpers ---------------------------------------------------------------
    def _scope_of(self, screen: Observation) -> frozenset[str]:
        """The task's apps as the safety gate sees them (empty: any app, or no such gate)."""
        scope_of = getattr(self.gate, "scope", None)
        return scope_of(self._context(screen)) if callable(scope_of) else frozenset()

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
            package=screen.package if screen else "",
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
