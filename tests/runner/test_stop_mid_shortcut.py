"""Stop pressed while a shortcut replays, on the in-memory phone: it takes effect before the
next step, so at most the one device action in flight runs after it.

Two ways a shortcut replays: the `Replayer` (`mobile-agent shortcuts run`, no model) with its
`cancel` event, and a shortcut the operator chose in a run, stopped with `Runner.stop()`.
The device holds one chosen call until the test has pressed Stop from its own thread, so the
stop lands at a known point: while step 2's action is in flight, or while the screen is
looked at between two steps.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from memory_device import MemoryDevice
from scripted_agents import manager, operator

from mobile_agent.actions import Shortcut, ShortcutStep
from mobile_agent.events import FinalState
from mobile_agent.memory.models import ShortcutSpec
from mobile_agent.runner.replay import Replayer

from .harness import NOTES, executed, in_thread, make_run, step_problems

pytestmark = pytest.mark.timeout(60)

STOP_WITHIN_S = 1.0  # the target: a stop takes effect within a second
STEPS = (
    ("open_app", {"app": "Notes"}),
    ("tap", {"label": "New note"}),
    ("type", {"label": "Title", "text": "Groceries"}),
    ("type", {"label": "Note", "text": "milk, eggs"}),
    ("tap", {"label": "Save"}),
)
# the device calls of all five steps (typing into a field taps it first)
ALL_ACTIONS = ["open_app", "tap", "tap", "type_text", "tap", "type_text", "tap"]


def spec(steps: Any = STEPS) -> ShortcutSpec:
    return ShortcutSpec.model_validate(
        {
            "name": "groceries_note",
            "description": "Write the groceries note in Notes",
            "steps": [{"action": name, "args": args} for name, args in steps],
        }
    )


SHORTCUT = Shortcut(
    name="groceries_note",
    description="Write the groceries note in Notes.",
    steps=tuple(ShortcutStep(name, args) for name, args in STEPS),
)


class HeldDevice(MemoryDevice):
    """An in-memory phone that holds one call until `release` is set: the first call named
    `name` made after a call named `after` (the first `name` call when `after` is empty)."""

    def __init__(self, name: str, *, after: str = "") -> None:
        super().__init__(screenshots=False)
        self.hold, self.after = name, after
        self.reached = threading.Event()
        self.release = threading.Event()
        self._armed = not after

    def _enter(self, name: str, *args: Any) -> None:
        super()._enter(name, *args)
        if name == self.after and not self.reached.is_set():
            self._armed = True
        elif name == self.hold and self._armed and not self.reached.is_set():
            self.reached.set()
            assert self.release.wait(30), "the test never released the held call"


def press_stop_when_held(device: HeldDevice, stop: Any) -> int:
    """Wait until the device holds its call, press Stop, let the call go on; the number of
    device actions that had been sent when Stop was pressed."""
    assert device.reached.wait(30), "the replay never reached the held call"
    stop()
    sent = len(device.actions)
    device.release.set()
    return sent


def titles(device: MemoryDevice) -> list[str]:
    return [note["title"] for note in device.phone.app_state(NOTES)["notes"]]


# -- the Replayer --------------------------------------------------------------------------
def replay_in_thread(
    replayer: Replayer, shortcut: ShortcutSpec
) -> tuple[threading.Thread, list[Any]]:
    results: list[Any] = []
    worker = threading.Thread(
        target=lambda: results.append(replayer.run(shortcut, {})), daemon=True
    )
    worker.start()
    return worker, results


def test_replayer_cancel_during_step_2_stops_before_step_3() -> None:
    device = HeldDevice("tap")  # step 2's tap, in flight
    replayer = Replayer(device, settle_max_s=0.0)
    worker, results = replay_in_thread(replayer, spec())

    sent = press_stop_when_held(device, replayer.cancel.set)
    worker.join(30)

    [result] = results
    assert len(device.actions) - sent <= 1  # at most the action in flight
    assert device.action_names() == ["open_app", "tap"]  # steps 3 to 5 never ran
    assert result.state is FinalState.CANCELLED
    assert result.reason == "stopped before step 3"
    assert [s.number for s in result.steps] == [1, 2]
    assert not result.judged  # a stop says nothing about the shortcut
    assert "Groceries" not in titles(device)


def test_replayer_cancel_while_step_2_is_checked_is_a_stop_not_a_failure() -> None:
    """Step 2's check waits for the field step 3 names, which has not appeared yet; the stop
    ends the wait, and the replay is cancelled, not failed: a failure would count against the
    shortcut, and a shortcut that keeps failing is demoted."""
    late = [*STEPS[:2], ("type", {"label": "Subject", "text": "Groceries"}), *STEPS[3:]]
    device = HeldDevice("screen", after="tap")  # the look at the screen step 2 left
    replayer = Replayer(device, settle_max_s=0.0, element_wait_s=20.0)
    worker, results = replay_in_thread(replayer, spec(late))

    sent = press_stop_when_held(device, replayer.cancel.set)
    worker.join(30)

    [result] = results
    assert len(device.actions) == sent  # nothing after the stop
    assert device.action_names() == ["open_app", "tap"]
    assert result.state is FinalState.CANCELLED, result.reason
    assert result.reason == "stopped during step 2"
    assert result.elapsed_s < 10  # the stop ended the 20 s wait
    assert not result.judged  # the shortcut's record of failures stays as it was


# -- a shortcut chosen in a run ---------------------------------------------------------------
def run_shortcut_and_stop(device: HeldDevice) -> tuple[Any, int]:
    run = make_run(
        [manager("Write the note"), operator("groceries_note")],
        device=device,
        shortcuts=[SHORTCUT],
    )
    worker = in_thread(run)
    sent = press_stop_when_held(device, run.runner.stop)
    stopped_at = time.monotonic()
    worker.join(30)
    assert not worker.is_alive(), "the run did not end after Stop"
    assert time.monotonic() - stopped_at < STOP_WITHIN_S
    assert run.result is not None
    assert step_problems(run.events.events) == []
    return run, sent


def test_stop_while_a_chosen_shortcut_runs_step_2_ends_the_run_before_step_3() -> None:
    device = HeldDevice("tap")  # the shortcut's step 2, in flight
    run, sent = run_shortcut_and_stop(device)

    assert len(device.actions) - sent <= 1
    assert device.action_names() == ["open_app", "tap"]  # steps 3 to 5 never ran
    assert run.result.state is FinalState.CANCELLED
    assert executed(run) == ["groceries_note"]  # the shortcut is the step's one action
    [stopped] = [e for e in run.events.of("action_executed") if not e.ok]
    assert stopped.error == "stopped after 2 of 5 steps"
    assert "Groceries" not in titles(device)


def test_stop_while_a_chosen_shortcut_looks_between_steps_runs_no_further_step() -> None:
    device = HeldDevice("screen", after="tap")  # the screen step 3 would act on
    run, sent = run_shortcut_and_stop(device)

    assert len(device.actions) == sent  # the stop came before step 3's action: none after it
    assert device.action_names() == ["open_app", "tap"]
    assert run.result.state is FinalState.CANCELLED


def test_without_a_stop_the_shortcut_runs_all_five_steps() -> None:
    """The held call released without a stop: the same replay goes to its end."""
    device = HeldDevice("tap")
    run = make_run(
        [manager("Write the note"), operator("groceries_note"), operator("finish")],
        device=device,
        shortcuts=[SHORTCUT],
    )
    device.release.set()
    run.go()
    assert device.action_names() == ALL_ACTIONS
    assert "Groceries" in titles(device)
