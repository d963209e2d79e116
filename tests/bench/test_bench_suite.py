"""Every reference solution on two seeds, through adb and uiautomator2 on virtual phones:
each task's checks fail on the untouched phone and pass after its solution. And a few tasks
through the whole agent pipeline with the scripted model that follows the solution."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from mobile_agent.actions import Gate
from mobile_agent.bench.harness.agents import AgentRuns, scripted_models
from mobile_agent.bench.harness.command import run_suite
from mobile_agent.bench.harness.execute import Slot, TaskResult, replay_solution, run_task
from mobile_agent.bench.harness.pool import spread, virtual_phones
from mobile_agent.bench.tasks import select
from mobile_agent.bench.tasks.model import Spec
from mobile_agent.config import Settings
from mobile_agent.events import RunResult

pytestmark = pytest.mark.e2e


def _failures(results: list[TaskResult]) -> list[str]:
    out = []
    for r in results:
        if not r.untouched_fails:
            out.append(f"{r.task}: its checks already pass on the untouched phone")
        if not r.success:
            out.append(f"{r.task}: {r.error}")
    return out


@pytest.mark.parametrize("seed", [0, 1])
def test_every_reference_solution_passes_and_no_check_passes_untouched(seed: int) -> None:
    tasks = select("all")
    summary = run_suite(tasks, seed, "solution", None, devices=2)
    results = list(summary.results)
    assert [r.task for r in results] == [t.name for t in tasks]
    assert _failures(results) == []
    assert all(r.seed == seed and r.mode == "solution" and r.steps > 0 for r in results)
    # every step of every solution did what it was meant to, not only the end state
    assert [r.task for r in results if r.state != "succeeded"] == []
    assert summary.all_passed and summary.untouched_pass == []


def test_a_wrong_solution_fails_its_checks() -> None:
    """The checks judge the phone: a solution that stops short leaves the task undone."""
    task = select("all", "notes.create")[0]
    short = dataclasses.replace(task, make=lambda world: _cut(task.make(world)))
    with virtual_phones(1, 2) as slots:
        result = run_task(short, slots[0], 2, "solution", None)
    assert (
        not result.success and result.state == "succeeded"
    )  # the replay ran; the task is not done
    assert 0.0 <= result.satisfaction < 1.0
    assert result.error.startswith("not done:")


def _cut(spec: Spec) -> Spec:
    return dataclasses.replace(spec, solution=spec.solution[:-1])


def test_the_agents_with_the_scripted_model_carry_out_the_smoke_tasks() -> None:
    tasks = select("smoke")
    runs = AgentRuns(Settings(ocr_policy="never"), scripted_models)
    summary = run_suite(tasks, 3, "scripted", runs, devices=2)
    assert _failures(list(summary.results)) == []
    for r in summary.results:
        assert r.model_calls >= 2 * r.steps  # an operator and a reflector call per step
        assert r.input_tokens > 0 and r.state == "succeeded"


def test_spread_runs_every_item_once_in_order_over_all_slots() -> None:
    seen: list[tuple[int, str]] = []
    both_busy = threading.Barrier(2, timeout=30)  # the first two items run at once

    def work(i: int, slot: Slot) -> tuple[int, str]:
        if i < 2:
            both_busy.wait()
        return i, slot.name

    with virtual_phones(2, 0) as slots:
        results = spread(list(range(7)), slots, work, seen.append)
    assert [i for i, _ in results] == list(range(7))
    assert sorted(seen) == sorted(results)
    assert {name for _, name in results} == {"phone 1", "phone 2"}


def test_an_agent_run_that_raises_ends_its_task_and_the_suite_goes_on() -> None:
    tasks = select("all", "notes.create,contacts.add")

    def agents(slot: Slot, spec: Spec, gate: Gate) -> RunResult:
        if "contact" in spec.goal:
            raise RuntimeError("the model server went away")
        return replay_solution(tasks[0], slot, spec, gate)

    summary = run_suite(tasks, 0, "agent", agents, devices=1)
    first, second = summary.results
    assert first.success and first.task == "notes.create"
    assert not second.success and second.state == "failed"
    assert second.error == "RuntimeError: the model server went away"
