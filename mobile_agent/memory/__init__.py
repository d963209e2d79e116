"""The memory store: tips, shortcuts, runs and steps in one SQLite file (sqlite-utils).

    from mobile_agent.memory import FtsRetriever, RunRecorder, Store

    store = Store.open()                                  # or Store.open("a.db")
    found = FtsRetriever(store).retrieve(task)            # approved tips and shortcuts
    recorder = RunRecorder(store, home_dir(), retrieved=found)
    Runner(device, models, tips=found.tips_text(), shortcuts=found.runner_shortcuts(),
           listeners=[recorder]).run(task)
    learned = learn_from_run(store, recorder.run_id, reflector_model)   # proposed items

See docs/adr/0009-memory-store.md for the schema, migrations and durability rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mobile_agent.memory.guards import ElementSelector, Guard, check_guard
from mobile_agent.memory.models import (
    ParamSpec,
    ShortcutSpec,
    ShortcutVersion,
    Status,
    StepSpec,
    StoredShortcut,
    Tip,
)
from mobile_agent.memory.recorder import RunRecorder
from mobile_agent.memory.retrieval import FtsRetriever, Retrieved, Retriever, fts_query
from mobile_agent.memory.schema import LATEST as SCHEMA_VERSION
from mobile_agent.memory.settings import MemorySettings, default_db_path, memory_settings
from mobile_agent.memory.store import Store
from mobile_agent.memory.transfer import (
    ImportReport,
    export_shortcuts,
    export_tips,
    import_shortcuts,
    import_tips,
)
from mobile_agent.memory.validation import shortcut_problems

if TYPE_CHECKING:
    from mobile_agent.memory.learning import Learned, learn_from_run

_LEARNING = ("Learned", "learn_from_run")

__all__ = [
    "SCHEMA_VERSION",
    "ElementSelector",
    "FtsRetriever",
    "Guard",
    "ImportReport",
    "Learned",
    "MemorySettings",
    "ParamSpec",
    "Retrieved",
    "Retriever",
    "RunRecorder",
    "ShortcutSpec",
    "ShortcutVersion",
    "Status",
    "StepSpec",
    "Store",
    "StoredShortcut",
    "Tip",
    "check_guard",
    "default_db_path",
    "export_shortcuts",
    "export_tips",
    "fts_query",
    "import_shortcuts",
    "import_tips",
    "learn_from_run",
    "memory_settings",
    "shortcut_problems",
]


def __getattr__(name: str) -> Any:
    """`Learned` and `learn_from_run`, loaded on first use: learning brings in the agents
    and the models, which the store itself does not need."""
    if name in _LEARNING:
        from mobile_agent.memory import learning

        return getattr(learning, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
