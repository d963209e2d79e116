"""Events arrive in the documented order, `RunFinished` last, and every step that starts
is closed by a `StepFinished` or a `StepFailed` — however the run ends."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scripted_agents import manager, notetaker, operator, reflector

from mobile_agent.events import Event, FinalState

from .harness import Run, in_thread, limits, make_run, run_script, step_problems, wait_until

OPEN_NOTES = operator("open_app", {"app": "Notes"})


def test_a_step_emits_its_events_in_order() -> None:
    run = run_script(
        [
            manager("Open Notes"),
            OPEN_NOTES,
            reflector(),
            notetaker("four notes are listed"),
            operator("finish", {"answer": "done"}),
        ]
    )
    kinds = [k for k in run.events.kinds() if k != "model_called"]
    assert kinds == [
        "run_started",
        "step_started",
        "screen_perceived",
        "plan_updated",
        "action_chosen",
        "action_executed",
        "screen_perceived",
        "reflected",
        "notes_updated",
        "step_finished",
        "step_started",
        "action_chosen",
        "action_executed",
        "step_finished",
        "run_finished",
    ]
    perceived = run.events.of("screen_perceived")
    assert [(p.phase, p.package) for p in perceived] == [
        ("before", "com.android.launcher3"),
        ("after", "com.example.notes"),
    ]
    assert [e.step for e in run.events.events if e.kind == "step_finished"] == [1, 2]
    calls = run.events.of("model_called")
    assert [c.agent for c in calls] == ["manager", "operator", "reflector", "notetaker", "operator"]
    assert run.result is not None
    assert run.result.notes == "four notes are listed"
    assert step_problems(run.events.events) == []


def test_every_event_belongs_to_the_run() -> None:
    run = run_script([manager("Open Notes"), OPEN_NOTES, reflector(), operator("finish")])
    assert len({e.run_id for e in run.events.events}) == 1
    assert run.events.of("run_started")[0].task == "Create a note titled Groceries"
    steps = [e.step for e in run.events.events]
    assert steps == sorted(steps)
    finished = run.events.of("run_finished")[0]
    assert finished.state is FinalState.SUCCEEDED
    assert finished.summary == run.result


# -- the step grammar, which `run_script` also checks after every run ---------------


def _failed_on_an_action() -> Run:
    script = [{**manager("Tour"), "repeat": True}]
    script += [operator("open_app", {"app": name}) for name in ("Nowhere", "Elsewhere")]
    return run_script(script, run_limits=limits(max_consecutive_failures=2))


def _stopped_in_a_model_call() -> Run:
    run = make_run([manager("Open"), {**OPEN_NOTES, "delay_s": 60}])
    worker = in_thread(run)
    wait_until(lambda: len(run.model.calls) == 2)
    run.runner.stop()
    worker.join(10)
    return run


def _stopped_in_a_pause() -> Run:
    run = make_run([manager("Open"), OPEN_NOTES, reflector()])
    run.runner.add_listener(lambda e: run.runner.pause() if e.kind == "plan_updated" else None)
    worker = in_thread(run)
    wait_until(lambda: run.runner.control.paused)
    run.runner.stop()
    worker.join(10)
    return run


@pytest.mark.parametrize(
    ("scenario", "state"),
    [
        pytest.param(_failed_on_an_action, FinalState.FAILED, id="failed-action"),
        pytest.param(_stopped_in_a_model_call, FinalState.CANCELLED, id="stopped-in-model-call"),
        pytest.param(_stopped_in_a_pause, FinalState.CANCELLED, id="stopped-in-pause"),
    ],
)
def test_a_step_cut_short_is_still_closed(scenario: Callable[[], Run], state: FinalState) -> None:
    run = scenario()
    assert run.result is not None
    assert run.result.state is state, run.result.reason
    events: list[Event] = run.events.events
    assert step_problems(events) == []
    assert events[-2].kind in ("step_finished", "step_failed")


def test_the_grammar_check_sees_an_open_step() -> None:
    run = run_script([manager("Open"), OPEN_NOTES, reflector(), operator("finish")])
    events = run.events.events
    closing = max(i for i, e in enumerate(events) if e.kind == "step_finished")
    assert step_problems(events[:closing] + events[closing + 1 :]) != []
    assert step_problems(events[1:]) != []  # no RunStarted
    assert step_problems(events[:-1]) != []  # no RunFinished
