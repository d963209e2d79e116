"""A multi-step task on the virtual phone through the real adb / uiautomator2 stack: the
scripted model plays the four agents; the result is checked in the phone's own app state."""

from __future__ import annotations

from typing import Any

import pytest
from test_run_helpers import (
    EVERY_AGENT,
    KEEP_NOTES,
    ElementScript,
    Recorder,
    about,
    agent_sequence,
    connected_device,
    manager,
    operator,
    reflector,
    tap_el,
    type_el,
    with_notes,
)

from mobile_agent.config import load_settings
from mobile_agent.events import FinalState
from mobile_agent.runner import Runner

pytestmark = pytest.mark.e2e

PLAN = ["Open the Notes app", "Write the note", "Save it"]


def _note_script() -> list[dict[str, Any]]:
    return with_notes(
        [
            manager(PLAN[0], PLAN),
            manager(PLAN[1], PLAN),
            manager(PLAN[2], PLAN),
            manager("", PLAN, completed=True),
            operator("open_app", {"app": "Notes"}),
            reflector(done=True),
            tap_el("New note"),
            reflector(),
            type_el("Title", "Groceries"),
            reflector(),
            type_el("Note", "milk, eggs, bread"),
            reflector(done=True),
            tap_el("Save"),
            reflector(done=True),
        ]
    )


def test_create_a_note(connected_phone: Any) -> None:
    model = ElementScript(_note_script())
    events = Recorder()
    with connected_device(connected_phone) as device:
        runner = Runner(
            device,
            model,
            settings=load_settings({"ocr_policy": "never", **EVERY_AGENT}),
            listeners=[events],
        )
        result = runner.run("Create a note titled Groceries with the text: milk, eggs, bread")

    assert result.state is FinalState.SUCCEEDED, result.reason
    notes = connected_phone.phone.app_state("com.example.notes")["notes"]
    assert {"title": "Groceries", "body": "milk, eggs, bread"} in [
        {"title": n["title"], "body": n["body"]} for n in notes
    ]
    assert agent_sequence(model) == [
        "manager",
        "operator",
        "reflector",
        "notetaker",
        "manager",
        "operator",
        "reflector",
        "notetaker",
        "operator",
        "reflector",
        "notetaker",
        "operator",
        "reflector",
        "notetaker",
        "manager",
        "operator",
        "reflector",
        "notetaker",
        "manager",
    ]
    assert result.steps == 5  # the manager's closing check is not a step of its own
    assert result.model_calls == len(model.calls) == 19
    assert result.failed_steps == 0
    executed = [(e.action["name"], e.ok) for e in events.of("action_executed")]
    assert executed == [
        ("open_app", True),
        ("tap", True),
        ("type", True),
        ("type", True),
        ("tap", True),
    ]
    # the keyboard was up in the editor: summarised as state, its keys never listed
    texts = [m.text for c in model.calls for m in c.messages]
    assert any("keyboard shown (its keys are not listed)" in t for t in texts)
    assert not any("inputmethod" in t or "com.android.systemui" in t for t in texts)
    # element numbers came from the prompt the operator was shown
    assert all(
        isinstance(e.action["args"].get("element", 0), int) for e in events.of("action_chosen")
    )


def test_events_come_in_phase_order(connected_phone: Any) -> None:
    model = ElementScript(_note_script())
    events = Recorder()
    with connected_device(connected_phone) as device:
        Runner(
            device,
            model,
            settings=load_settings({"ocr_policy": "never", **EVERY_AGENT}),
            listeners=[events],
        ).run("Create a note titled Groceries with the text: milk, eggs, bread")
    kinds = events.kinds()
    assert kinds[0] == "run_started"
    assert kinds[-1] == "run_finished"
    assert kinds.count("run_finished") == 1
    step1 = [k for k in events.kinds(1) if k != "model_called"]
    assert step1 == [
        "step_started",
        "screen_perceived",
        "plan_updated",
        "action_chosen",
        "action_executed",
        "screen_perceived",
        "reflected",
        "step_finished",
    ]
    step3 = [k for k in events.kinds(3) if k != "model_called"]
    assert step3 == [
        "step_started",
        "action_chosen",
        "action_executed",
        "screen_perceived",
        "reflected",
        "step_finished",
    ]
    assert events.of("notes_updated") == []  # the notetaker kept nothing: no news
    perceived = events.of("screen_perceived")
    assert perceived[0].phase == "before"
    assert all(p.phase == "after" for p in perceived[1:])
    assert perceived[-1].package == "com.example.notes"
    assert all(p.png.startswith(b"\x89PNG") for p in perceived)
    finished = events.of("step_finished")
    assert [f.step for f in finished] == [1, 2, 3, 4, 5, 6]
    # the manager ended the task the one way a task ends: `finish`
    assert (finished[-1].outcome, finished[-1].phase) == ("finished", "manager")
    assert finished[-1].action == {"name": "finish", "args": {}}
    assert all(f.timings_ms["total_ms"] >= f.timings_ms["model_ms"] for f in finished)
    for event in events.events:
        data = event.to_dict()
        assert data["kind"] == event.kind
        assert "png" not in data
    summary = events.of("run_finished")[0].to_dict()["summary"]
    assert summary["state"] == "succeeded"
    assert summary["model_calls"] == 19


def test_create_a_note_asks_only_for_what_needs_judgement(connected_phone: Any) -> None:
    """The same note with the default settings: the screens settle the typing, the notetaker
    reads only new text, and the run ends in the same state with fewer calls."""
    script = [
        manager(PLAN[0], PLAN),
        manager(PLAN[1], PLAN),
        manager(PLAN[2], PLAN),
        manager("", PLAN, completed=True),
        operator("open_app", {"app": "Notes"}, "open Notes", completes=True),
        about(reflector(done=True), "open Notes"),
        tap_el("New note"),
        about(reflector(), "tap New note"),
        type_el("Title", "Groceries"),
        type_el("Note", "milk, eggs, bread", completes=True),
        about(reflector(done=True), "type milk, eggs, bread"),
        tap_el("Save", completes=True),
        about(reflector(done=True), "tap Save"),
        KEEP_NOTES,
    ]
    model = ElementScript(script)
    events = Recorder()
    with connected_device(connected_phone) as device:
        result = Runner(
            device, model, settings=load_settings({"ocr_policy": "never"}), listeners=[events]
        ).run("Create a note titled Groceries with the text: milk, eggs, bread")
    assert result.state is FinalState.SUCCEEDED, result.reason
    notes = connected_phone.phone.app_state("com.example.notes")["notes"]
    assert {"title": "Groceries", "body": "milk, eggs, bread"} in [
        {"title": n["title"], "body": n["body"]} for n in notes
    ]
    judged = [(r.step, r.judged_by) for r in events.of("reflected")]
    # typing the title is evident; the steps said to complete a subgoal are judged
    assert judged == [
        (1, "reflector"),
        (2, "reflector"),
        (3, "screens"),
        (4, "reflector"),
        (5, "reflector"),
    ]
    assert result.model_calls < 19  # the same run with every agent asked every step
