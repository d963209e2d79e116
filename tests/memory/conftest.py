"""Fixtures of the memory store tests: a fresh store in memory or in a file, and a
shortcut spec that replays on the virtual phone's Notes app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mobile_agent.memory import MemorySettings, ShortcutSpec, Store


def note_spec(**changes: Any) -> ShortcutSpec:
    """A valid shortcut: create a note with a title in Notes."""
    data: dict[str, Any] = {
        "name": "new_note",
        "description": "Create a note with a title in the Notes app",
        "params": [{"name": "title", "type": "string", "description": "the note's title"}],
        "precondition": "The Notes app is installed",
        "guard": {"app": "com.android.launcher3"},
        "steps": [
            {"action": "open_app", "args": {"app": "Notes"}},
            {"action": "tap", "args": {"label": "New note"}},
            {"action": "type", "args": {"label": "Title", "text": "{title}"}},
            {"action": "tap", "args": {"label": "Save"}},
        ],
    }
    return ShortcutSpec.model_validate({**data, **changes})


@pytest.fixture
def store() -> Iterator[Store]:
    """An empty store in memory."""
    with Store.memory() as fresh:
        yield fresh


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database file goes (not yet created)."""
    return tmp_path / "memory.db"


@pytest.fixture
def file_store(db_path: Path) -> Iterator[Store]:
    """An empty store in a file, demoting shortcuts after two failures in a row."""
    with Store.open(db_path, settings=MemorySettings(demote_after=2)) as fresh:
        yield fresh
