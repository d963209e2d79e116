"""Runs recorded into a real store for the History's tests: a scripted agent run and a
shortcut replay on the in-memory phone, stored by `RunRecorder`. (This module holds no
tests.)"""

from __future__ import annotations

from pathlib import Path

from memory_device import MemoryDevice
from scripted_agents import ElementScript, manager, operator, reflector, tap_el, with_notes

from mobile_agent.bench.prompts import EVERY_AGENT
from mobile_agent.config import Settings
from mobile_agent.events import FinalState
from mobile_agent.memory import RunRecorder, ShortcutSpec, Status, Store
from mobile_agent.runner import RunLimits, Runner
from mobile_agent.runner.replay import replay_stored

TASK = "Open Notes and start a note"
NOTE_SHORTCUT = {
    "name": "new_note",
    "description": "Create a note with a title in the Notes app",
    "params": [{"name": "title", "type": "string"}],
    "steps": [
        {"action": "open_app", "args": {"app": "Notes"}},
        {"action": "tap", "args": {"label": "New note"}},
        {"action": "type", "args": {"label": "Title", "text": "{title}"}},
        {"action": "tap", "args": {"label": "Save"}},
    ],
}


def record_run(store: Store, data_dir: Path, task: str = TASK) -> str:
    """A three-step scripted run (open Notes, tap "New note", finish), stored; its id."""
    script = [
        manager("Open Notes", ["Open Notes", "Start a note"]),
        operator("open_app", {"app": "Notes"}, "open Notes"),
        reflector(),
        tap_el("New note"),
        reflector("success", feedback="the editor is open"),
        operator("finish"),
    ]
    runner = Runner(
        MemoryDevice(),
        ElementScript(with_notes(script)),
        settings=Settings.model_validate(
            {"ocr_policy": "never", "agent_images": [], **EVERY_AGENT}
        ),
        limits=RunLimits(settle_max_s=0.0),
        listeners=[RunRecorder(store, data_dir)],
    )
    result = runner.run(task)
    assert result.state is FinalState.SUCCEEDED, result.reason
    return runner.run_id


def record_replay(store: Store, data_dir: Path, title: str = "Groceries") -> str:
    """The `new_note` shortcut replayed on the in-memory phone, stored as a run; its id."""
    if not any(s.name == "new_note" for s in store.shortcuts.all()):
        store.shortcuts.add(ShortcutSpec.model_validate(NOTE_SHORTCUT), status=Status.APPROVED)
    result = replay_stored(store, "new_note", {"title": title}, MemoryDevice(), data_dir)
    assert result.ok, result.reason
    return result.run_id
