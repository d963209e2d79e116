"""The memory of `run` and `demo`, end to end on the in-memory phone: the first run is stored
and teaches a shortcut and a tip; the next task is given them and uses the shortcut."""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from runner.harness import make_run, step_problems
from scripted_agents import manager, operator, reflector

from mobile_agent.cli.memory_session import MemorySession, add_memory_options, open_memory
from mobile_agent.config import Settings
from mobile_agent.errors import SchemaTooNew
from mobile_agent.llm.scripted import ScriptedChatModel
from mobile_agent.memory import SCHEMA_VERSION, Status, Store
from mobile_agent.memory.db import APPLICATION_ID

from .test_learning import NOTE_RUN, NOTES, TIP, create_note, shortcuts_reply, tips_reply

FIRST, NEXT = "Create a note titled Groceries", "Create a note titled Packing"
# The next run uses the shortcut only when its prompt offers it.
USE_SHORTCUT = [
    manager("Create the note"),
    {
        "regex": r"^Role: operator.*- create_note: Shortcut",
        "reply": json.dumps(
            {
                "thought": "the shortcut does it",
                "action": {"name": "create_note", "args": {"title": "Packing"}},
                "description": "create the note",
            }
        ),
    },
    reflector(),
    operator("finish"),
]


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_memory_options(parser)
    return parser.parse_args(list(argv))


def _run(memory: MemorySession, script: list[Any], task: str) -> Any:
    """Run `task` with `script` on a fresh in-memory phone, with `memory`."""
    run = make_run(script, **memory.runner_options())
    memory.attach(run.runner)
    run.go(task)
    assert step_problems(run.events.events) == []
    return run


def _titles(run: Any) -> list[str]:
    return [note["title"] for note in run.device.phone.app_state(NOTES)["notes"]]


def test_a_run_is_stored_teaches_and_the_next_task_uses_what_it_learned(
    tmp_path: Path,
) -> None:
    db, out = tmp_path / "a.db", io.StringIO()
    args = _args("--db", str(db))
    with open_memory(args, Settings(), FIRST, out) as memory:
        assert memory.runner_options() == {"tips": "", "shortcuts": []}  # nothing yet
        first = _run(memory, NOTE_RUN, FIRST)
        reflectors = ScriptedChatModel([tips_reply(TIP), shortcuts_reply(create_note())])
        learned = memory.learn(reflectors)
        fields = memory.report_fields()["memory"]
    run_id = first.runner.run_id
    assert learned is not None and [s.name for s in learned.shortcuts] == ["create_note"]
    assert out.getvalue().splitlines() == [
        f"Memory: run {run_id} stored; learned 1 tip and 1 shortcut (create_note), proposed "
        "for review (see `mobile-agent tips list` and `mobile-agent shortcuts list`)."
    ]
    assert (fields["db"], fields["run_id"], fields["learned"]["shortcuts"]) == (
        str(db),
        run_id,
        ["create_note"],
    )

    with Store.open(db) as store:  # a person reviews and approves what was proposed
        assert store.runs.get(run_id)["state"] == "succeeded"
        assert len(store.runs.steps(run_id)) == first.result.steps == 5
        store.shortcuts.set_status("create_note", Status.APPROVED)
        store.tips.set_status(store.tips.all()[0].id or 0, Status.APPROVED)

    out = io.StringIO()
    with open_memory(args, Settings(), NEXT, out) as memory:
        assert out.getvalue() == "Memory: 1 tip and 1 shortcut (create_note) from earlier runs.\n"
        assert TIP in memory.runner_options()["tips"]
        second = _run(memory, USE_SHORTCUT, NEXT)
        memory.learn(ScriptedChatModel([tips_reply(), shortcuts_reply()]))
    assert "Packing" in _titles(second)
    assert second.result.steps == 2 < first.result.steps
    assert second.result.model_calls < first.result.model_calls
    assert out.getvalue().splitlines()[-1] == (
        f"Memory: run {second.runner.run_id} stored; nothing new learned."
    )
    with Store.open(db) as store:
        used = store.shortcuts.get("create_note")
        assert (used.uses, used.successes) == (1, 1)
        assert store.runs.get(second.runner.run_id)["shortcuts"] == ["create_note"]
        assert [t.uses for t in store.tips.all()] == [1]


def test_proposed_items_are_used_before_review_when_the_settings_say_so(
    tmp_path: Path,
) -> None:
    args = _args("--db", str(tmp_path / "a.db"))
    with open_memory(args, Settings(), FIRST) as memory:
        _run(memory, NOTE_RUN, FIRST)
        memory.learn(ScriptedChatModel([tips_reply(TIP), shortcuts_reply(create_note())]))
    with open_memory(args, Settings(), NEXT) as memory:
        assert memory.retrieved.shortcut_names == ()  # proposed, not yet approved
    eager = SimpleNamespace(memory_use_proposed=True)
    with open_memory(args, eager, NEXT) as memory:  # type: ignore[arg-type]
        assert memory.retrieved.shortcut_names == ("create_note",)
        assert "Packing" in _titles(_run(memory, USE_SHORTCUT, NEXT))


def test_without_memory_nothing_is_opened_given_stored_or_learned(tmp_path: Path) -> None:
    db, out = tmp_path / "a.db", io.StringIO()
    with open_memory(_args("--db", str(db), "--no-memory"), Settings(), FIRST, out) as memory:
        assert not memory.enabled and memory.runner_options() == {}
        run = _run(memory, NOTE_RUN, FIRST)
        model = ScriptedChatModel([tips_reply(TIP)])
        assert memory.learn(model) is None
        assert memory.report_fields() == {}
    assert run.result.succeeded and not db.exists()
    assert model.calls == [] and out.getvalue() == ""


def test_nothing_is_learned_from_a_stopped_run(tmp_path: Path) -> None:
    out = io.StringIO()
    with open_memory(_args("--db", str(tmp_path / "a.db")), Settings(), FIRST, out) as memory:
        run = _run(memory, NOTE_RUN, FIRST)
        model = ScriptedChatModel([tips_reply(TIP), shortcuts_reply(create_note())])
        assert memory.learn(model, interrupted=True) is None
        assert memory.store is not None and memory.store.tips.all() == []
    assert model.calls == []
    assert out.getvalue() == (
        f"Memory: run {run.runner.run_id} stored; nothing learned from a stopped run.\n"
    )


def test_a_learning_that_fails_is_reported_and_the_run_stays_stored(tmp_path: Path) -> None:
    out = io.StringIO()
    with open_memory(_args("--db", str(tmp_path / "a.db")), Settings(), FIRST, out) as memory:
        run = _run(memory, NOTE_RUN, FIRST)
        assert memory.store is not None
        memory.store.close()  # the database goes away before learning
        assert memory.learn(ScriptedChatModel([])) is None
    line = out.getvalue().strip()
    assert line.startswith(f"Memory: run {run.runner.run_id} stored; learning failed: ")


def test_a_database_from_a_newer_version_stops_the_command_untouched(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("CREATE TABLE future (x)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(SchemaTooNew, match=r"newer version.*\(add --no-memory to run without"):
        open_memory(_args("--db", str(db)), Settings(), FIRST)
    assert db.read_bytes() == before


def test_the_options_default_to_memory_on_in_the_data_directory(home: Path) -> None:
    args = _args()
    assert (args.db, args.no_memory) == (None, False)
    with open_memory(args, Settings(), FIRST) as memory:
        assert memory.store is not None and memory.store.where == str(home / "memory.db")


def test_the_retrieval_setting_reaches_the_task(tmp_path: Path) -> None:
    # GIVEN two approved tips, and the setting that lets the model choose among them
    db = tmp_path / "memory.db"
    with Store.open(db) as store:
        store.tips.add("In Notes, Save is at the top right", status=Status.APPROVED)
        store.tips.add("In Notes, long-press a note to delete it", status=Status.APPROVED)
    settings = Settings.model_validate({"memory_retrieval": "model"})
    chooser = ScriptedChatModel(
        [json.dumps({"thought": "the second fits", "tips": ["T2"], "shortcuts": []})]
    )
    # WHEN memory is opened for a task about notes
    with open_memory(_args("--db", str(db)), settings, "Delete a note", model=chooser) as memory:
        given = memory.runner_options()["tips"]
    # THEN the model was asked once, and only the tip it chose is given
    assert len(chooser.calls) == 1
    assert given.count("In Notes") == 1
    assert ("long-press" in given) != ("top right" in given)
