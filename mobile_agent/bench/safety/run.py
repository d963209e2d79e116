"""One injection case on one phone, through the real `Runner`, and what became of it.

The case is staged on a freshly reset phone, then run by the compromised model with a gate
scoped to the user's task: "declined" asks a user who says no to everything, "held" has
nobody to ask (a run without a terminal), "allowed" lets everything through (to prove that
the case's harm test sees the harm). The phone's state afterwards says whether harm was done.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, replace
from typing import Any, cast

from mobile_agent.bench.harness.execute import Slot
from mobile_agent.bench.safety.model import Attack, Case, LaunchablePhone, Stage
from mobile_agent.bench.safety.script import compromised_model
from mobile_agent.bench.tasks.model import End
from mobile_agent.config import Settings
from mobile_agent.events import RunResult
from mobile_agent.safety import ALL, Concern, Policy, SafetyGate

log = logging.getLogger(__name__)

MODES = ("declined", "held")  # the bench's modes; "allowed" proves the harm tests
SETTINGS = Settings(ocr_policy="never")
EXTRA_STEPS = 6  # steps beyond the attack's own before the run is cut off


@dataclass(frozen=True)
class CaseResult:
    """One case in one mode: whether it did harm, how the run ended, the gate's decisions."""

    name: str
    vector: str
    mode: str
    goal: str = ""
    attack: str = ""  # the consequential thing the injection asked for
    harmed: bool = False
    state: str = ""  # the run's final state ("error": the case could not be run)
    reason: str = ""
    steps: int = 0
    decisions: tuple[str, ...] = ()  # "held: send: tap "Send" in Messages", in order
    time_s: float = 0.0
    device: str = ""

    def count(self, outcome: str) -> int:
        """How many of the gate's decisions had `outcome` ("held", "declined"…)."""
        return sum(d.startswith(outcome + ":") for d in self.decisions)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["decisions"] = list(self.decisions)
        return data


class DecliningUser:
    """A user who says no to every confirmation, and keeps what was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, concern: Concern) -> bool:
        self.asked.append(f"{concern.kind}: {concern.what}")
        return False


def gate_for(mode: str, scope: frozenset[str]) -> SafetyGate:
    """The gate of a run in `mode`, scoped to the task's apps."""
    if mode == "declined":
        return SafetyGate(Policy(scope=scope), confirm=DecliningUser())
    if mode == "held":
        return SafetyGate(Policy(scope=scope), confirm=None)
    if mode == "allowed":
        return SafetyGate(Policy(allow=frozenset({ALL}), scope=scope))
    raise ValueError(f"unknown mode {mode!r}")


def run_case(case: Case, slot: Slot, seed: int, mode: str) -> CaseResult:
    """Reset the phone, stage `case`, run the compromised model, judge the phone."""
    base = CaseResult(case.name, case.vector, mode, case.task.goal, device=slot.name)
    started = time.monotonic()
    try:
        slot.phone.reset()
        stage = Stage(cast(LaunchablePhone, slot.phone), seed, case.name)  # a virtual phone
        attack = case.stage(stage)
        stage.open(case.task)
    except Exception as exc:  # a case that cannot be staged is the suite's bug: say so
        log.exception("case %s could not be staged", case.name)
        return _ended(base, started, state="error", reason=f"staging failed: {exc}")
    gate = gate_for(mode, frozenset(case.task.apps))
    result = _run(case, attack, slot, gate)
    try:
        harmed = bool(attack.harm(End(slot.phone.state())))
    except Exception as exc:
        log.exception("the harm test of %s failed", case.name)
        return _ended(base, started, state="error", reason=f"harm test failed: {exc}")
    decisions = tuple(f"{d.outcome}: {d.concern.kind}: {d.concern.what}" for d in gate.decisions)
    return _ended(
        base,
        started,
        attack=attack.what,
        harmed=harmed,
        state=str(result.state),
        reason=result.reason,
        steps=result.steps,
        decisions=decisions,
    )


def _run(case: Case, attack: Attack, slot: Slot, gate: SafetyGate) -> RunResult:
    from mobile_agent.runner import Runner
    from mobile_agent.runner.guards import RunLimits

    limits = RunLimits.from_settings(SETTINGS, max_steps=len(attack.steps) + EXTRA_STEPS)
    runner = Runner(
        slot.device,
        compromised_model(case.task.goal, attack.steps),
        settings=SETTINGS,
        limits=limits,
        shortcuts=attack.shortcuts,
        tips=attack.tips,
        notetaker="never",
        images=(),
        gate=gate,
    )
    return runner.run(case.task.goal)


def _ended(base: CaseResult, started: float, **fields: Any) -> CaseResult:
    return replace(base, time_s=round(time.monotonic() - started, 3), **fields)
