"""`Agent` from Python: the scripted demo on the virtual phone, its events, stop and pause."""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Any

import pytest

from mobile_agent import Agent, AgentBusy, Device, Event, FinalState, RunFinished, StepFinished
from mobile_agent.demo import load_demo
from mobile_agent.errors import ConfigError
from mobile_agent.llm.scripted import ScriptedChatModel

from .conftest import SETTINGS

pytestmark = pytest.mark.e2e

DEMO = load_demo()


def _model() -> ScriptedChatModel:
    return ScriptedChatModel(DEMO.replies, name="scripted:demo")


def test_the_scripted_demo_streams_its_events_and_does_the_task(phone: Device) -> None:
    # GIVEN an agent on the virtual phone with the demo's scripted model and a callback
    seen: list[Event] = []
    agent = Agent(device=phone, model=_model(), settings=SETTINGS, on_event=seen.append)
    # WHEN the demo task is streamed
    streamed = list(agent.stream(DEMO.task))
    # THEN the events come in the documented order, the last carries the result
    kinds = [e.kind for e in streamed]
    assert kinds[0] == "run_started"
    assert kinds[-1] == "run_finished"
    steps = [e for e in streamed if isinstance(e, StepFinished)]
    assert [e.step for e in steps] == list(range(1, len(steps) + 1))
    assert kinds.count("step_started") == len(steps) >= 3
    assert {"action_chosen", "action_executed", "reflected", "screen_perceived"} <= set(kinds)
    first_actions = [e.action["name"] for e in streamed if e.kind == "action_executed"]
    assert first_actions[0] == "open_app"
    finished = streamed[-1]
    assert isinstance(finished, RunFinished)
    assert finished.state is FinalState.SUCCEEDED
    assert agent.result == finished.summary
    assert agent.result.steps in (len(steps), len(steps) - 1)  # a closing "finish" is no step
    # the callback saw the very same events, and the note is on the phone
    assert [e.kind for e in seen] == kinds
    assert DEMO.verify(phone.virtual_phone.app_state)
    assert not agent.running


def test_stop_mid_run_ends_cancelled_after_the_step_in_flight(phone: Device) -> None:
    agent = Agent(device=phone, model=_model(), settings=SETTINGS)

    def stop_after_first_step(event: Event) -> None:
        if isinstance(event, StepFinished) and event.step == 1:
            agent.stop()

    agent.subscribe(stop_after_first_step)
    result = agent.run(DEMO.task)
    assert result.state is FinalState.CANCELLED
    assert result.reason == "stopped by the user"
    assert result.steps == 1
    # a stop with no run in flight does not reach the next run
    agent.stop()
    assert not agent.running


def test_pause_holds_the_run_until_resume(phone: Device) -> None:
    phone.act("home")
    agent = Agent(device=phone, model=_model(), settings=SETTINGS)
    after_pause: queue.Queue[str] = queue.Queue()
    paused = threading.Event()

    def pause_after_first_step(event: Event) -> None:
        if paused.is_set():
            after_pause.put(event.kind)
        elif isinstance(event, StepFinished) and event.step == 1:
            agent.pause()
            paused.set()

    unsubscribe = agent.subscribe(pause_after_first_step)
    events = agent.stream(DEMO.task)
    for event in events:
        if isinstance(event, StepFinished):
            break
    assert paused.wait(5)
    with pytest.raises(queue.Empty):  # held at the checkpoint: nothing happens
        after_pause.get(timeout=0.5)
    assert agent.running
    agent.resume()
    rest = list(events)
    unsubscribe()
    assert rest[-1].kind == "run_finished"
    assert rest[-1].state is FinalState.SUCCEEDED  # type: ignore[attr-defined]
    assert after_pause.get_nowait() == "step_started"


def test_leaving_the_stream_early_stops_the_run(phone: Device) -> None:
    phone.act("home")
    agent = Agent(device=phone, model=_model(), settings=SETTINGS)
    finals: list[Any] = []
    agent.subscribe(lambda e: finals.append(e) if isinstance(e, RunFinished) else None)
    for event in agent.stream(DEMO.task):
        if event.kind == "step_finished":
            break
    assert [e.state for e in finals] == [FinalState.CANCELLED]
    assert not agent.running


def test_one_run_at_a_time_and_no_empty_task(phone: Device) -> None:
    agent = Agent(device=phone, model=_model(), settings=SETTINGS)
    with pytest.raises(ValueError, match="empty"):
        agent.run("  ")
    agent.pause()  # nothing in flight: no effect on the run below
    gate = threading.Event()

    def hold(event: Event) -> None:  # keeps the run in flight until the checks are done
        if event.kind == "step_started":
            gate.wait(30)

    agent.subscribe(hold)
    stream = agent.stream(DEMO.task)
    assert next(stream).kind == "run_started"
    with pytest.raises(AgentBusy):
        agent.run(DEMO.task)
    gate.set()
    stream.close()  # stops the run
    assert not agent.running


def test_the_device_given_as_the_device_layer_s_own(phone: Device) -> None:
    agent = Agent(device=phone.raw, model=_model(), settings=SETTINGS)
    assert agent.device.serial == phone.serial
    assert agent.device.raw is phone.raw
    with pytest.raises(TypeError, match="device must be a Device"):
        Agent(device=42, model=_model(), settings=SETTINGS)  # type: ignore[arg-type]


def test_a_model_named_by_provider_string() -> None:
    with pytest.raises(ConfigError, match="unknown model provider"):
        Agent(device="virtual", model="nosuch:model", settings=SETTINGS)
    agent = Agent(device="virtual", model="ollama:qwen2.5vl:7b", settings=SETTINGS)
    assert agent.models["operator"].name.endswith("qwen2.5vl:7b")
    assert agent.models["manager"] is agent.models["operator"]


def test_with_memory_the_run_is_stored(phone: Device, tmp_path: Path) -> None:
    from mobile_agent import Settings
    from mobile_agent.memory import Store

    phone.act("home")
    db = tmp_path / "memory.db"
    settings = Settings(ocr_policy="never", memory_db=str(db))
    agent = Agent(device=phone, model=_model(), settings=settings, memory=True)
    result = agent.run(DEMO.task)
    with Store.open(db) as store:
        runs = store.runs.all()
    assert [r["task"] for r in runs] == [DEMO.task]
    assert runs[0]["state"] == result.state.value
    # without memory, nothing is stored
    silent = ScriptedChatModel([], name="scripted:none")  # the run ends at its first call
    assert Agent(device=phone, model=silent, settings=settings).run("Go home").steps <= 1
    with Store.open(db) as store:
        assert len(store.runs.all()) == 1
