"""`RunRecorder` stores what a run did: a scripted run on the in-memory phone, and event
sequences that exercise masking and failures."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from memory_device import MemoryDevice
from scripted_agents import ElementScript, Recorder, manager, operator, reflector, with_notes

from mobile_agent.bench.prompts import EVERY_AGENT
from mobile_agent.config import Settings
from mobile_agent.events import (
    ActionChosen,
    ModelCalled,
    RunStarted,
    ScreenPerceived,
    StepFinished,
    StepStarted,
)
from mobile_agent.llm.base import Usage
from mobile_agent.memory import FtsRetriever, RunRecorder, Status, Store
from mobile_agent.perception.elements import BoundingBox, UIElement
from mobile_agent.runner import RunLimits, Runner

from .conftest import note_spec

SETTINGS = Settings.model_validate({"ocr_policy": "never", "agent_images": [], **EVERY_AGENT})
TASK = "Create a note titled Groceries"


def _run(store: Store, data_dir: Path, script: list) -> tuple[Runner, Recorder, ElementScript]:
    found = FtsRetriever(store).retrieve(TASK)
    events, model = Recorder(), ElementScript(with_notes(script))
    runner = Runner(
        MemoryDevice(),
        model,
        settings=SETTINGS,
        limits=RunLimits(settle_max_s=0.0),
        tips=found.tips_text(),
        shortcuts=found.runner_shortcuts(),
        listeners=[RunRecorder(store, data_dir, retrieved=found), events],
    )
    runner.run(TASK)
    return runner, events, model


def test_a_run_is_stored_step_by_step(store: Store, tmp_path: Path) -> None:
    tip = store.tips.add("Save a note with the Save button", status=Status.APPROVED)
    store.shortcuts.add(note_spec(), status=Status.APPROVED)
    script = [
        manager("Create the note"),
        operator("new_note", {"title": "Groceries"}, "create the note"),
        reflector(feedback="the note is saved"),
        operator("finish"),
    ]
    runner, events, model = _run(store, tmp_path, script)

    assert "Save a note with the Save button" in model.calls[1].messages[-1].text
    run = store.runs.get(runner.run_id)
    assert (run["state"], run["task"], run["device"], run["steps"]) == (
        "succeeded",
        TASK,
        "memory-phone",
        2,
    )
    assert (run["tips"], run["shortcuts"], run["model_calls"]) == ([tip.id], ["new_note"], 5)
    steps = store.runs.steps(runner.run_id)
    finished = events.of("step_finished")
    assert [s["number"] for s in steps] == [e.step for e in finished] == [1, 2]
    first = steps[0]
    assert first["action"] == {"name": "new_note", "args": {"title": "Groceries"}}
    assert (first["outcome"], first["verdict"], first["feedback"]) == (
        "success",
        "success",
        "the note is saved",
    )
    assert first["plan"] == ["Create the note"] and first["model_calls"] == 4
    assert first["timings"]["total_ms"] == finished[0].timings_ms["total_ms"]
    calls = store.runs.calls(runner.run_id)
    agents = [c["agent"] for c in calls]
    assert agents == ["manager", "operator", "reflector", "notetaker", "operator"]
    assert "Role: operator" in calls[1]["prompt"]
    assert json.loads(calls[1]["reply"])["action"]["name"] == "new_note"

    screens = store.runs.screens(runner.run_id)
    phases = [s["phase"] for s in screens if s["step"] == 1]
    assert phases[0] == "before" and "after" in phases
    run_dir = Path(run["dir"])
    for screen in screens:
        assert (run_dir / screen["screenshot"]).read_bytes().startswith(b"\x89PNG")
        assert "<hierarchy" in (run_dir / screen["hierarchy"]).read_text(encoding="utf-8")
        assert screen["elements"] and "bounds" in screen["elements"][0]

    used = store.shortcuts.get("new_note")
    assert (used.uses, used.successes) == (1, 1)
    counted = store.tips.get(tip.id or 0)
    assert (counted.uses, counted.successes) == (1, 1)


def test_a_failing_shortcut_is_counted_as_a_failure(store: Store, tmp_path: Path) -> None:
    broken = note_spec(
        name="publish_note",
        description="Create a note and publish it",
        steps=[
            {"action": "open_app", "args": {"app": "Notes"}},
            {"action": "tap", "args": {"label": "Publish"}},
        ],
        params=[],
    )
    store.shortcuts.add(broken, status=Status.APPROVED)
    _run(store, tmp_path, [manager("Publish"), operator("publish_note"), operator("finish")])
    stored = store.shortcuts.get("publish_note")
    assert (stored.uses, stored.successes, stored.failures) == (1, 0, 1)


def _element(number: int, **fields: object) -> UIElement:
    return UIElement(number, BoundingBox(0, 100 * number, 1080, 100 * number + 90), **fields)


def test_text_typed_into_a_password_field_is_masked_everywhere(
    store: Store, tmp_path: Path
) -> None:
    secret = "hunter2-very-secret"
    action = {"name": "type", "args": {"text": secret, "label": "Password"}}
    elements = (
        _element(1, text="User", editable=True),
        _element(2, description="Password", editable=True, password=True),
    )
    recorder = RunRecorder(store, tmp_path)
    for event in [
        RunStarted(run_id="r1", task="Log in", device="d"),
        StepStarted(run_id="r1", step=1),
        ScreenPerceived(run_id="r1", step=1, phase="before", package="p", elements=elements),
        ModelCalled(
            run_id="r1",
            step=1,
            agent="operator",
            model="m",
            usage=Usage(),
            latency_s=0.1,
            prompt="log in",
            reply=json.dumps({"action": action}),
        ),
        ActionChosen(run_id="r1", step=1, action=action, thought=f"type {secret}"),
        ScreenPerceived(  # a careless app shows what was typed
            run_id="r1",
            step=1,
            phase="after",
            package="p",
            elements=(_element(2, text=secret, password=True),),
            hierarchy_xml=f'<hierarchy><node text="{secret}" /></hierarchy>',
        ),
        StepFinished(
            run_id="r1",
            step=1,
            action=action,
            description=f"type {secret}",
            outcome="success",
            ok=True,
        ),
    ]:
        recorder(event)
    assert recorder.errors == 0
    dump = "\n".join(store.db.iterdump())
    assert secret not in dump
    files = [p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.xml")]
    assert len(files) == 1 and secret not in files[0] and "••••" in files[0]
    assert store.runs.steps("r1")[0]["action"]["args"]["text"] == "••••"


def test_a_password_typed_on_the_screen_a_previous_step_ended_on_is_masked(
    store: Store, tmp_path: Path
) -> None:
    # GIVEN step 1 ends on a login form; step 2 acts on that screen without looking again
    # (the runner sends no "before" screen then)
    secret = "correct-horse-battery"
    form = (
        _element(1, text="User", editable=True),
        _element(2, description="Password", editable=True, password=True),
    )
    typing = {"name": "type", "args": {"text": secret, "element": 2}}
    recorder = RunRecorder(store, tmp_path)
    events = [
        RunStarted(run_id="r2", task="Log in", device="d"),
        StepStarted(run_id="r2", step=1),
        ScreenPerceived(run_id="r2", step=1, phase="before", package="p", elements=()),
        ScreenPerceived(run_id="r2", step=1, phase="after", package="p", elements=form),
        StepFinished(run_id="r2", step=1, action={"name": "home"}, outcome="success", ok=True),
        StepStarted(run_id="r2", step=2),
        ActionChosen(run_id="r2", step=2, action=typing, thought="type the password"),
        StepFinished(run_id="r2", step=2, action=typing, outcome="success", ok=True),
    ]
    # WHEN they are recorded
    for event in events:
        recorder(event)
    # THEN the password is nowhere in the database
    assert recorder.errors == 0
    assert secret not in "\n".join(store.db.iterdump())
    assert store.runs.steps("r2")[1]["action"]["args"]["text"] == "••••"


def test_text_typed_into_an_ordinary_field_is_kept(store: Store, tmp_path: Path) -> None:
    action = {"name": "type", "args": {"text": "Groceries", "label": "Title"}}
    recorder = RunRecorder(store, tmp_path)
    recorder(RunStarted(run_id="r2", task="Note", device="d"))
    recorder(
        ScreenPerceived(
            run_id="r2",
            step=1,
            phase="before",
            package="p",
            elements=(_element(1, text="Title", editable=True),),
        )
    )
    recorder(ActionChosen(run_id="r2", step=1, action=action))
    recorder(StepFinished(run_id="r2", step=1, action=action, outcome="success", ok=True))
    assert store.runs.steps("r2")[0]["action"]["args"]["text"] == "Groceries"


def test_a_step_that_cannot_be_stored_is_logged_as_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store.open(tmp_path / "memory.db")
    recorder = RunRecorder(store, tmp_path)
    recorder(RunStarted(run_id="r3", task="t", device="d"))
    store.close()  # the database goes away under the recorder
    with caplog.at_level(logging.ERROR, logger="mobile_agent.memory.recorder"):
        recorder(StepFinished(run_id="r3", step=1, action=None, outcome="failed"))
    assert recorder.errors == 1
    assert "could not store step_finished of run r3 (step 1)" in caplog.text


def test_a_step_left_open_is_stored_and_reported(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = RunRecorder(store, tmp_path)
    recorder(RunStarted(run_id="r4", task="t", device="d"))
    recorder(StepStarted(run_id="r4", step=1))
    with caplog.at_level(logging.ERROR, logger="mobile_agent.memory.recorder"):
        recorder(StepStarted(run_id="r4", step=2))  # step 1 never got its StepFinished
        recorder(StepFinished(run_id="r4", step=2, action=None, outcome="failed"))
    assert [(s["number"], s["outcome"]) for s in store.runs.steps("r4")] == [
        (1, "interrupted"),
        (2, "failed"),
    ]
    assert "step 1 of run r4 never finished" in caplog.text


def test_a_recorder_attached_late_still_makes_the_run_row(store: Store, tmp_path: Path) -> None:
    recorder = RunRecorder(store, tmp_path)
    recorder(StepFinished(run_id="r5", step=3, action=None, outcome="failed"))
    assert recorder.errors == 0
    assert store.runs.get("r5")["task"] == "(not recorded)"
    assert [s["number"] for s in store.runs.steps("r5")] == [3]
