"""The memory store: tips, shortcuts, runs and steps in one SQLite file (sqlite-utils).

    from mobile_agent.memory import FtsRetriever, RunRecorder, Store

    store = Store.open()                                  # or Store.open("a.db")
    found = FtsRetriever(store).retrieve(task)            # approved tips and shortcuts
    recorder = RunRecorder(store, home_dir(), retrieved=found)
    Runner(device, models, tips=found.tips_text(), shortcuts=found.runner_shortcuts(),
           listeners=[recorder]).run(task)

See docs/adr/0009-memory-store.md for the schema, migrations and durability rules.
"""

from __future__ import annotations

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

__all__ = [
    "SCHEMA_VERSION",
    "ElementSelector",
    "FtsRetriever",
    "Guard",
    "ImportReport",
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
    "memory_settings",
    "shortcut_problems",
]
