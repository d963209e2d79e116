"""`learn_from_run`: the experience reflectors read a run recorded on the in-memory phone, and
what they propose is stored as proposed items — or, when unusable, nothing at all."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from runner.harness import TASK, run_script
from scripted_agents import manager, operator, reflector, tap_el, type_el

from mobile_agent.errors import Cancelled, StoreError
from mobile_agent.llm.scripted import ScriptedChatModel
from mobile_agent.memory import Learned, RunRecorder, Status, Store, learn_from_run
from mobile_agent.memory.learning import experience_state, resolve_action

from .conftest import note_spec

NOTES = "com.example.notes"
TIP = "In Notes, New note at the bottom right starts a note and Save stores it."
# The run taps and types by element number, as a model reading the element list does.
NOTE_RUN = [
    manager("Create the note"),
    operator("open_app", {"app": "Notes"}, "open Notes"),
    reflector(),
    tap_el("New note"),
    reflector(),
    type_el("Title", "Groceries"),
    reflector(),
    tap_el("Save"),
    reflector(),
    operator("finish"),
]


def tips_reply(*texts: str, step: int | None = 2) -> dict[str, Any]:
    tips = [{"text": t, "app": NOTES, "source_step": step} for t in texts]
    return {"match": "Role: experience_tips", "reply": json.dumps({"tips": tips})}


def shortcuts_reply(*specs: dict[str, Any]) -> dict[str, Any]:
    return {"match": "Role: experience_shortcuts", "reply": json.dumps({"shortcuts": list(specs)})}


def create_note(**changes: Any) -> dict[str, Any]:
    """The shortcut a reflector would draw from `NOTE_RUN`."""
    spec = note_spec(name="create_note", guard=None).model_dump(mode="json")
    return {**spec, "source_step": 1, **changes}


def recorded_run(store: Store, tmp_path: Path, script: list[Any] = NOTE_RUN) -> str:
    """Run `script` on a fresh in-memory phone with the store recording it; the run's id."""
    recorder = RunRecorder(store, tmp_path)
    run_script(script, listeners=[recorder])
    assert recorder.errors == 0
    return recorder.run_id


def snapshot(store: Store) -> dict[str, list[dict[str, Any]]]:
    tables = ("tips", "shortcuts", "shortcut_versions")
    return {t: store.query(f"SELECT * FROM {t} ORDER BY rowid") for t in tables}


# -- what the reflectors read ---------------------------------------------------------------
def test_each_step_is_read_with_its_target_resolved_to_a_label(
    store: Store, tmp_path: Path
) -> None:
    run_id = recorded_run(store, tmp_path)
    state = experience_state(store, run_id[:6])  # a prefix names the run, as on the CLI
    assert (state.run_id, state.task, state.state) == (run_id, TASK, "succeeded")
    assert [s.replay for s in state.steps] == [
        {"action": "open_app", "args": {"app": "Notes"}},
        {"action": "tap", "args": {"label": "New note"}},
        {"action": "type", "args": {"label": "Title", "text": "Groceries"}},
        {"action": "tap", "args": {"label": "Save"}},
        None,  # finish is no shortcut step
    ]
    stored = store.runs.steps(run_id)
    assert stored[1]["action"]["args"].keys() == {"element"}  # what the operator said
    new_note = state.steps[1]
    assert "description 'New note'" in new_note.target
    assert "resource id 'com.example.notes:id/fab'" in new_note.target
    assert new_note.summary == 'tapped "New note"'  # no element number left
    assert [s.app for s in state.steps[:2]] == ["com.android.launcher3", NOTES]
    assert [s.outcome for s in state.steps] == ["success"] * 4 + ["finished"]


def _el(number: int, bounds: list[int], **fields: Any) -> dict[str, Any]:
    return {"id": number, "bounds": bounds, "text": "", "description": "", **fields}


@pytest.mark.parametrize(
    ("action", "replay"),
    [
        ({"name": "tap", "args": {"x": 50, "y": 50}}, {"action": "tap", "args": {"label": "OK"}}),
        ({"name": "tap", "args": {"element": 2}}, None),  # no text, no description
        ({"name": "tap", "args": {"element": 3}}, None),  # "Cancel" names element 4 first
        ({"name": "tap", "args": {"element": 9}}, None),  # not on the screen
        ({"name": "scroll", "args": {"direction": "down", "element": 1}}, None),
        ({"name": "swipe", "args": {"x1": 1, "y1": 1, "x2": 5, "y2": 5}}, None),
        ({"name": "new_note", "args": {"title": "x"}}, None),  # a shortcut: not nested
        (
            {"name": "type", "args": {"element": 5, "text": "hi", "clear": True}},
            {"action": "type", "args": {"label": "Search", "text": "hi", "clear": True}},
        ),
        ({"name": "back", "args": {}}, {"action": "back", "args": {}}),
    ],
)
def test_targets_are_resolved_only_to_labels_that_find_them_again(
    action: dict[str, Any], replay: dict[str, Any] | None
) -> None:
    elements = [
        _el(1, [0, 0, 1080, 2400], scrollable=True),
        _el(2, [0, 200, 100, 300], clickable=True, resource_id="app:id/icon"),
        _el(3, [0, 300, 100, 400], text="Cancel"),  # plain text …
        _el(4, [0, 400, 100, 500], text="Cancel", clickable=True),  # … and the button
        # a search field holding typed text is named by its hint
        _el(5, [0, 500, 100, 600], text="old", editable=True, extras={"hint": "Search"}),
        _el(6, [0, 0, 100, 100], text="OK", clickable=True),
    ]
    assert resolve_action(action, elements)[0] == replay


# -- learning -----------------------------------------------------------------------------------
def test_what_the_reflectors_propose_is_stored_as_proposed_with_provenance(
    store: Store, tmp_path: Path
) -> None:
    run_id = recorded_run(store, tmp_path)
    model = ScriptedChatModel([tips_reply(TIP), shortcuts_reply(create_note())])
    learned = learn_from_run(store, run_id, model)

    assert learned.rejected == () and learned.model_calls == 2
    assert learned.line() == "learned 1 tip and 1 shortcut (create_note), proposed for review"
    (tip,) = store.tips.all()
    assert (tip.text, tip.app, tip.status) == (TIP, NOTES, Status.PROPOSED)
    assert (tip.source_run, tip.source_step) == (run_id, 2)
    shortcut = store.shortcuts.get("create_note")
    assert (shortcut.status, shortcut.source_run, shortcut.source_step) == (
        Status.PROPOSED,
        run_id,
        1,
    )
    assert learned.tips == (tip,) and learned.shortcuts == (shortcut,)
    # the reflectors were shown the run with its targets named by label
    prompts = [call.last_user_text for call in model.calls]
    assert all('"args": {"label": "New note"}' in p for p in prompts)
    assert not any('"element"' in p for p in prompts)


def test_an_unusable_reply_is_asked_again_once_with_its_problem(
    store: Store, tmp_path: Path
) -> None:
    run_id = recorded_run(store, tmp_path)
    by_number = create_note(
        steps=[{"action": "tap", "args": {"element": 7}}, *create_note()["steps"]]
    )
    model = ScriptedChatModel(
        [tips_reply(), shortcuts_reply(by_number), shortcuts_reply(create_note())]
    )
    learned = learn_from_run(store, run_id, model)
    assert [s.name for s in learned.shortcuts] == ["create_note"] and learned.model_calls == 3
    repair = model.calls[-1].last_user_text
    assert "could not be used" in repair and "names an element by its number" in repair


def test_an_invalid_reflection_changes_nothing(store: Store, tmp_path: Path) -> None:
    run_id = recorded_run(store, tmp_path)
    store.shortcuts.add(note_spec(), status=Status.APPROVED)
    before = snapshot(store)
    unknown = create_note(steps=[{"action": "teleport", "args": {}}, *create_note()["steps"]])
    twin = create_note()  # the same steps as the stored new_note
    model = ScriptedChatModel(
        [
            tips_reply("Tap [7] first."),
            tips_reply("Tap [7] first."),
            shortcuts_reply(unknown),
            shortcuts_reply(twin),
        ]
    )
    learned = learn_from_run(store, run_id, model)

    assert snapshot(store) == before
    assert learned.tips == () and learned.shortcuts == () and learned.model_calls == 4
    assert learned.rejected == (
        "tip 1 ('Tap [7] first.'): names an element by its number; name it by its label",
        "shortcut 1 ('create_note'): it has the same steps as the shortcut 'new_note'",
    )
    assert learned.line().startswith("nothing new learned; refused: tip 1")


def test_a_reflection_the_store_refuses_is_not_stored_at_all(store: Store, tmp_path: Path) -> None:
    run_id = recorded_run(store, tmp_path)
    # the database refuses the shortcut at the moment it is written (a full disk, say)
    store.conn.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.shortcuts "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    before = snapshot(store)
    model = ScriptedChatModel([tips_reply(TIP), shortcuts_reply(create_note())])
    learned = learn_from_run(store, run_id, model)

    assert learned.tips == () and learned.shortcuts == ()
    assert learned.rejected[-1].startswith("nothing was stored: ")
    assert "disk is full" in learned.rejected[-1]
    assert snapshot(store) == before  # the tip, written first, went with the shortcut


def test_a_failed_model_call_proposes_nothing(store: Store, tmp_path: Path) -> None:
    run_id = recorded_run(store, tmp_path)
    model = ScriptedChatModel(
        [{"match": "Role: experience_tips", "error": "provider"}, shortcuts_reply(create_note())]
    )
    learned = learn_from_run(store, run_id, model)
    assert learned.rejected[0].startswith("the experience_tips model call failed")
    assert store.tips.all() == [] and [s.name for s in learned.shortcuts] == ["create_note"]


def test_a_cancelled_learning_ends_at_once(store: Store, tmp_path: Path) -> None:
    run_id = recorded_run(store, tmp_path)
    cancel = threading.Event()
    cancel.set()
    model = ScriptedChatModel([tips_reply(TIP), shortcuts_reply(create_note())])
    with pytest.raises(Cancelled):
        learn_from_run(store, run_id, model, cancel=cancel)
    assert store.tips.all() == [] and store.shortcuts.all() == []


def test_runs_that_teach_nothing_are_not_asked_about(store: Store, tmp_path: Path) -> None:
    model = ScriptedChatModel([])  # any call would fail: there is no reply
    for run_id, kind in (("replayed", "replay"), ("empty", "task")):
        store.runs.start({"id": run_id, "kind": kind, "task": "t", "started_at": "2025"})
        store.runs.finish(run_id, {"state": "succeeded"})
    assert learn_from_run(store, "replayed", model) == Learned(
        "replayed", skipped="a replay run is no task"
    )
    assert learn_from_run(store, "empty", model).skipped == "the run stored no steps"
    assert model.calls == []
    with pytest.raises(StoreError, match="no run matches"):
        learn_from_run(store, "missing", model)


def test_a_tip_already_stored_is_not_stored_again(store: Store, tmp_path: Path) -> None:
    run_id = recorded_run(store, tmp_path)
    old = store.tips.add(TIP, app=NOTES, status=Status.DISABLED)
    # a disabled tip is not shown to the reflector, which proposes it again
    model = ScriptedChatModel([tips_reply(TIP, "Another lesson."), shortcuts_reply()])
    learned = learn_from_run(store, run_id, model)
    assert [t.text for t in learned.tips] == ["Another lesson."]
    assert store.tips.get(old.id or 0).status is Status.DISABLED
