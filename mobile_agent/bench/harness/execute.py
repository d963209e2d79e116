"""One task on one phone: reset, draw, check the untouched phone, run, judge.

A task runs in one of three modes: "solution" replays its reference solution without a
model (through the registry, like a shortcut); "scripted" runs the agents with a scripted
model that follows the solution (the whole agent pipeline, no provider); "agent" runs the
agents with the models it is given.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from typing import Any, Protocol

from mobile_agent.actions import Gate
from mobile_agent.bench.tasks.model import End, Spec, Task
from mobile_agent.device.base import Device
from mobile_agent.events import FinalState, RunResult
from mobile_agent.safety import Concern, Policy, SafetyGate

log = logging.getLogger(__name__)

MODES = ("solution", "scripted", "agent")


class BenchPhone(Protocol):
    """The virtual phone's side a task needs: reset, and its data."""

    def reset(self) -> None: ...

    def state(self) -> dict[str, Any]: ...

    def load_state(self, data: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class Slot:
    """A phone to run tasks on: its in-process model and the device driving it over adb."""

    phone: BenchPhone
    device: Device
    name: str = ""


@dataclass(frozen=True)
class CheckResult:
    what: str
    passed: bool
    weight: float = 1.0


@dataclass(frozen=True)
class Judgement:
    """What the checks say of the phone's state."""

    checks: tuple[CheckResult, ...]

    @property
    def success(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def satisfaction(self) -> float:
        """The weighted share of checks that pass, 0.0 to 1.0."""
        total = sum(c.weight for c in self.checks)
        return sum(c.weight for c in self.checks if c.passed) / total if total else 0.0


def judge(spec: Spec, data: Mapping[str, Any]) -> Judgement:
    """Run every check of `spec` on the phone data `data`; a check that raises fails."""
    end, results = End(data), []
    for check in spec.checks:
        try:
            passed = bool(check.test(end))
        except Exception as exc:  # a check reading data that is not there: not passed
            log.debug("check %r raised %s", check.what, exc)
            passed = False
        results.append(CheckResult(check.what, passed, check.weight))
    return Judgement(tuple(results))


@dataclass(frozen=True)
class TaskResult:
    """One task as it went, with what a report shows."""

    task: str
    scenario: str
    apps: tuple[str, ...]
    family: str
    seed: int
    mode: str
    goal: str = ""
    success: bool = False
    satisfaction: float = 0.0
    state: str = ""  # the run's final state
    error: str = ""  # why the run ended, when it did not succeed
    steps: int = 0
    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    time_s: float = 0.0
    untouched_fails: bool = True  # the checks fail on the phone as the task starts
    checks: tuple[CheckResult, ...] = ()
    confirmations: tuple[str, ...] = ()  # what the safety gate asked the user ("kind: what")
    params: dict[str, Any] = field(default_factory=dict)
    device: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["apps"] = list(self.apps)
        data["checks"] = [asdict(c) for c in self.checks]
        data["confirmations"] = list(self.confirmations)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TaskResult:
        fields = dict(data)
        fields["apps"] = tuple(fields.get("apps", ()))
        fields["checks"] = tuple(CheckResult(**c) for c in fields.get("checks", ()))
        fields["confirmations"] = tuple(fields.get("confirmations", ()))
        return cls(**{k: v for k, v in fields.items() if k in cls.__dataclass_fields__})


Agents = Callable[[Slot, Spec, Gate], RunResult]  # runs the agents on a drawn task


def run_task(task: Task, slot: Slot, seed: int, mode: str, agents: Agents | None) -> TaskResult:
    """Reset the phone, draw `task` for `seed`, run it in `mode`, judge the phone."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    base = TaskResult(
        task.name, task.scenario, task.apps, task.family, seed, mode, device=slot.device.serial
    )
    slot.phone.reset()
    try:
        spec = task.draw(slot.phone, seed)
    except Exception as exc:  # a task that cannot be drawn is the suite's bug: say so
        log.exception("task %s could not be drawn for seed %d", task.name, seed)
        return replace(base, state="error", error=f"drawing the task failed: {exc}")
    untouched = judge(spec, slot.phone.state())
    if mode == "solution":
        agents = partial(replay_solution, task)
    elif agents is None:
        raise ValueError(f"mode {mode!r} needs agents")
    user = ApprovingUser()
    started = time.monotonic()
    try:
        gate = SafetyGate(Policy(scope=frozenset(task.apps)), confirm=user)
        result = agents(slot, spec, gate)
    except Exception as exc:  # the harness's own failure: this task ends, the suite goes on
        log.exception("task %s failed to run", task.name)
        result = RunResult(state=FinalState.FAILED, reason=f"{type(exc).__name__}: {exc}")
    elapsed = time.monotonic() - started
    verdict = judge(spec, slot.phone.state())
    return replace(
        base,
        goal=spec.goal,
        success=verdict.success,
        satisfaction=round(verdict.satisfaction, 4),
        state=str(result.state),
        error=_why(result, verdict),
        steps=result.steps,
        model_calls=result.model_calls,
        input_tokens=result.usage.input_tokens,
        output_tokens=result.usage.output_tokens,
        cost_usd=round(result.usage.cost_usd, 6),
        time_s=round(elapsed, 3),
        untouched_fails=not untouched.success,
        confirmations=tuple(user.asked),
        checks=verdict.checks,
        params=dict(spec.params),
    )


class ApprovingUser:
    """The user of a benchmark run: approves every confirmation the safety gate asks for
    (the task asked for it), and keeps what was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, concern: Concern) -> bool:
        self.asked.append(f"{concern.kind}: {concern.what}")
        return True


def replay_solution(task: Task, slot: Slot, spec: Spec, gate: Gate) -> RunResult:
    """The reference solution replayed without a model; a `RunResult` like a run's."""
    from mobile_agent.memory.models import ShortcutSpec, StepSpec
    from mobile_agent.runner.replay import Replayer

    shortcut = ShortcutSpec(
        name="solution_" + task.name.replace(".", "_"),
        description=spec.goal,
        steps=tuple(StepSpec(action=name, args=args) for name, args in spec.solution),
    )
    replay = Replayer(slot.device, gate=gate).run(shortcut, {})
    return RunResult(
        state=replay.state,
        reason=replay.reason,
        steps=len(replay.steps),
        failed_steps=sum(not s.ok for s in replay.steps),
        elapsed_s=replay.elapsed_s,
    )


def _why(result: RunResult, verdict: Judgement) -> str:
    """Why a task failed: how the run ended, unless it claimed success; then the checks
    the phone's state did not pass."""
    if verdict.success:
        return ""
    if not result.succeeded and result.reason:
        return result.reason
    failed = [c.what for c in verdict.checks if not c.passed]
    return "not done: " + "; ".join(failed)


def failed_state(result: TaskResult) -> bool:
    """Whether the run itself broke down (the device, the drawing), not just the task."""
    return result.state in ("error", str(FinalState.DEVICE_LOST))
