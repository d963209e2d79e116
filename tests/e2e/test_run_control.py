"""Stop and pause from another thread, while the runner is busy."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from test_run_helpers import (
    ElementScript,
    Recorder,
    connected_device,
    manager,
    operator,
    reflector,
    with_notes,
)

from mobile_agent.config import load_settings
from mobile_agent.events import FinalState
from mobile_agent.llm.base import Completion, Message
from mobile_agent.runner import Runner

pytestmark = pytest.mark.e2e

TOUR = [
    manager("Tour"),
    operator("open_app", {"app": "Settings"}),
    reflector(),
    {**operator("home"), "delay_s": 60},  # a slow model call: Stop must not wait for it
    reflector(),
    operator("finish"),
]


def _runner(device: Any, model: Any, events: Recorder) -> Runner:
    return Runner(
        device, model, settings=load_settings({"ocr_policy": "never"}), listeners=[events]
    )


def _when(events: Recorder, predicate: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not any(predicate(e) for e in list(events.events)):
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.01)


def test_stop_during_a_model_call_cancels_with_no_further_action(connected_phone: Any) -> None:
    events = Recorder()
    with connected_device(connected_phone) as device:
        runner = _runner(device, ElementScript(with_notes(TOUR)), events)
        box: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: box.update(result=runner.run("Tour")))
        worker.start()
        _when(events, lambda e: e.kind == "step_started" and e.step == 2)
        runner.stop()
        worker.join(60)
        assert not worker.is_alive()
    result = box["result"]
    assert result.state is FinalState.CANCELLED
    assert [e.action["name"] for e in events.of("action_executed")] == ["open_app"]
    assert events.kinds()[-1] == "run_finished"


class HungModel:
    """A backend that ignores the cancel event and never answers on its own."""

    name = "hung"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()

    def complete(
        self, messages: list[Message], *, response_schema: Any = None, cancel: Any = None
    ) -> Completion:
        self.entered.set()
        self.release.wait(120)
        return Completion('{"completed": true}')


def test_stop_abandons_a_backend_that_ignores_cancel(connected_phone: Any) -> None:
    model = HungModel()
    events = Recorder()
    with connected_device(connected_phone) as device:
        runner = _runner(device, model, events)
        box: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: box.update(result=runner.run("Tour")))
        worker.start()
        assert model.entered.wait(60)
        runner.stop()
        worker.join(60)
        model.release.set()
    assert box["result"].state is FinalState.CANCELLED
    assert events.of("action_executed") == []


def test_pause_holds_between_steps_and_resume_continues(connected_phone: Any) -> None:
    events = Recorder()
    script = [
        manager("Tour"),
        operator("open_app", {"app": "Settings"}),
        reflector(),
        operator("home"),
        reflector(),
        operator("finish"),
    ]
    with connected_device(connected_phone) as device:
        runner = _runner(device, ElementScript(with_notes(script)), events)

        def pause_after_first_step(event: Any) -> None:
            if event.kind == "step_finished" and event.step == 1:
                runner.pause()

        runner.add_listener(pause_after_first_step)
        box: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: box.update(result=runner.run("Tour")))
        worker.start()
        _when(events, lambda e: e.kind == "step_finished")
        held = len(events.events)
        time.sleep(0.5)  # nothing may happen while paused
        assert len(events.events) == held
        assert runner.control.paused
        assert connected_phone.phone.current()[0] == "com.android.settings"
        runner.resume()
        worker.join(60)
    assert box["result"].state is FinalState.SUCCEEDED
    assert [e.action["name"] for e in events.of("action_executed")] == [
        "open_app",
        "home",
        "finish",
    ]
