"""Stop, pause and resume from other threads, while the runner is busy."""

from __future__ import annotations

import time

import pytest
from scripted_agents import manager, operator, reflector

from mobile_agent.events import Event, FinalState

from .harness import LAUNCHER, NOTES, executed, in_thread, make_run, step_problems, wait_until

TOUR = [
    manager("Tour"),
    operator("open_app", {"app": "Notes"}),
    reflector(),
    operator("home"),
    reflector(),
    operator("finish"),
]
QUIET_S = 0.05  # how long a held run is watched for activity


def test_stop_during_a_slow_model_call_cancels_it_at_once() -> None:
    slow = [*TOUR[:3], {**operator("home"), "delay_s": 60}, *TOUR[4:]]
    run = make_run(slow)
    worker = in_thread(run)
    wait_until(lambda: len(run.model.calls) == 5)  # the slow operator call is under way
    run.runner.stop()
    worker.join(10)
    assert not worker.is_alive(), "stop did not cancel the model call"
    assert run.result is not None
    assert run.result.state is FinalState.CANCELLED
    assert run.device.action_names() == ["open_app"]
    last_call = run.events.of("model_called")[-1]
    assert (last_call.agent, last_call.ok) == ("operator", False)
    assert step_problems(run.events.events) == []


def test_stop_during_a_pause_ends_the_run_without_acting() -> None:
    run = make_run(TOUR)

    def pause_after_choosing(event: Event) -> None:
        if event.kind == "action_chosen" and event.step == 2:
            run.runner.pause()

    run.runner.add_listener(pause_after_choosing)
    worker = in_thread(run)
    wait_until(lambda: run.runner.control.paused)
    run.runner.stop()
    worker.join(10)
    assert run.result is not None
    assert run.result.state is FinalState.CANCELLED
    assert run.device.action_names() == ["open_app"]  # "home" was chosen, never pressed
    assert step_problems(run.events.events) == []


def test_pause_holds_the_run_between_phases_and_resume_continues() -> None:
    run = make_run(TOUR)

    def pause_after_choosing(event: Event) -> None:
        if event.kind == "action_chosen" and event.step == 2:
            run.runner.pause()

    run.runner.add_listener(pause_after_choosing)
    worker = in_thread(run)
    wait_until(lambda: run.runner.control.paused and "action_chosen" in run.events.kinds(2))
    held = len(run.events.events)
    time.sleep(QUIET_S)  # a run that ignored the pause would press HOME meanwhile
    assert len(run.events.events) == held
    assert run.device.action_names() == ["open_app"]
    assert run.device.phone.current()[0] == NOTES
    run.runner.resume()
    worker.join(10)
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert executed(run) == ["open_app", "home", "finish"]
    assert step_problems(run.events.events) == []
    assert run.device.phone.current()[0] == LAUNCHER


def test_pause_between_steps_holds_before_the_next_step() -> None:
    run = make_run(TOUR)

    def pause_after_step_one(event: Event) -> None:
        if event.kind == "step_finished" and event.step == 1:
            run.runner.pause()

    run.runner.add_listener(pause_after_step_one)
    worker = in_thread(run)
    wait_until(lambda: run.runner.control.paused)
    time.sleep(QUIET_S)
    assert "step_started" not in run.events.kinds(2)
    assert len(run.model.calls) == 4  # manager, operator, reflector, notetaker
    run.runner.resume()
    worker.join(10)
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED
    assert run.result.steps == 3


def test_a_runner_runs_one_task() -> None:
    run = make_run([manager("Done", completed=True)])
    run.go()
    with pytest.raises(RuntimeError):
        run.runner.run("again")


class _Controls:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def stop(self) -> None:
        self.calls.append("stop")

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")


def test_a_handle_applies_what_was_asked_before_its_runner_and_forgets_it_after() -> None:
    from mobile_agent.runner.control import RunHandle

    handle, runner = RunHandle(), _Controls()
    handle.pause()
    handle.stop()
    assert handle.paused
    handle.hand_over(runner)
    assert runner.calls == ["stop", "pause"]
    handle.resume()
    assert runner.calls[-1] == "resume" and not handle.paused
    handle.release()
    later = _Controls()
    handle.hand_over(later)  # a stop asked of the last run is not one for the next
    assert later.calls == []
