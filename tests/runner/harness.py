"""Running one task with scripted agents on the in-memory phone, and checking its events.

(This module holds no tests.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from memory_device import MemoryDevice
from scripted_agents import ElementScript, Recorder, with_notes

from mobile_agent.bench.prompts import EVERY_AGENT
from mobile_agent.config import Settings
from mobile_agent.events import Event, RunResult
from mobile_agent.runner import RunLimits, Runner

TASK = "Create a note titled Groceries"
# Text-only agents and no OCR: the prompts hold the element list, nothing else. Every agent
# is asked at every step (the reflector even when the outcome is evident, the notetaker after
# every success, after the verdict): the phases' contract with each agent, in a fixed order;
# `test_evident_outcomes.py` and `test_notes_policy.py` run with the defaults that save calls.
SETTINGS = Settings.model_validate({"ocr_policy": "never", "agent_images": [], **EVERY_AGENT})
NOTES = "com.example.notes"
LAUNCHER = "com.android.launcher3"


def limits(**overrides: Any) -> RunLimits:
    """Run limits for fast tests: one capture after each action (the in-memory phone has
    settled by the time the action returns)."""
    return RunLimits(**{"settle_max_s": 0.0, **overrides})


@dataclass
class Run:
    """One run and what it left behind."""

    runner: Runner
    model: ElementScript
    device: MemoryDevice
    events: Recorder = field(default_factory=Recorder)
    result: RunResult | None = None

    def go(self, task: str = TASK) -> RunResult:
        """Run the task on this thread."""
        self.result = self.runner.run(task)
        return self.result


def make_run(
    script: Sequence[Any],
    *,
    device: MemoryDevice | None = None,
    model: ElementScript | None = None,
    run_limits: RunLimits | None = None,
    listeners: Sequence[Callable[[Event], None]] = (),
    settings: Settings = SETTINGS,
    **runner_kwargs: Any,
) -> Run:
    """A runner over `device` (a fresh in-memory phone by default) and a scripted model
    (whose notetaker keeps nothing after the successful steps the script does not cover)."""
    device = device or MemoryDevice(screenshots=False)
    model = model or ElementScript(with_notes(script))
    events = Recorder()
    runner = Runner(
        device,
        model,
        settings=settings,
        limits=run_limits or limits(),
        listeners=[events, *listeners],
        **runner_kwargs,
    )
    return Run(runner, model, device, events)


def run_script(script: Sequence[Any], task: str = TASK, **kwargs: Any) -> Run:
    """`make_run(script, **kwargs)`, run to its end; its events must keep their grammar
    (`step_problems`), whatever the test is about."""
    run = make_run(script, **kwargs)
    run.go(task)
    problems = step_problems(run.events.events)
    assert problems == [], f"the events break their grammar: {problems}"
    return run


def in_thread(run: Run, task: str = TASK) -> threading.Thread:
    """Start the run on a worker thread (its result lands in `run.result`)."""
    worker = threading.Thread(target=run.go, args=(task,), name="test-run", daemon=True)
    worker.start()
    return worker


def wait_until(predicate: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Poll until `predicate()` holds; fail the test if it never does."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.002)


def executed(run: Run) -> list[str]:
    """Names of the actions the runner executed, from its events."""
    return [e.action["name"] for e in run.events.of("action_executed")]


def step_problems(events: Sequence[Event]) -> list[str]:
    """What breaks the event grammar: RunStarted first, RunFinished once and last, steps
    counting 1, 2, 3…, and each step closed before the next starts by `StepFinished`,
    `StepFailed`, or `StepFailed` then `StepFinished` — and nothing of it after that."""
    kinds = [e.kind for e in events]
    problems = []
    if kinds[:1] != ["run_started"]:
        problems.append(f"first event is {kinds[:1]}")
    if kinds.count("run_finished") != 1 or kinds[-1:] != ["run_finished"]:
        problems.append("RunFinished is not once and last")
    steps = [e.step for e in events if e.kind == "step_started"]
    if steps != list(range(1, len(steps) + 1)):
        problems.append(f"steps started in the order {steps}")
    for step in steps:
        own = [e.kind for e in events if e.step == step and e.kind != "run_finished"]
        closing = own[-2:] if own[-2:] == ["step_failed", "step_finished"] else own[-1:]
        if closing not in (["step_finished"], ["step_failed"], ["step_failed", "step_finished"]):
            problems.append(f"step {step} ends with {own[-2:]}")
        elif [k for k in own if k in ("step_failed", "step_finished")] != closing:
            problems.append(f"step {step} closed more than once: {own}")
    return problems
