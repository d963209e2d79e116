"""The memory store: tips, shortcuts, runs and steps in one SQLite file (sqlite-utils).

    from mobile_agent.memory import FtsRetriever, RunRecorder, Store

    store = Store.open()                                  # or Store.open("a.db")
    found = FtsRetriever(store).retrieve(task)            # approved tips and shortcuts
    recorder = RunRecorder(store, home_dir(), retrieved=found)
    Runner(device, models, tips=found.tips_text(), shortcuts=found.runner_shortcuts(),
           listeners=[recorder]).run(task)
    learned = learn_from_run(store, recorder.run_id, reflector_model)   # proposed items

    retriever = make_retriever(store, settings, model=manager_model)   # as the settings say
    EmbeddingRetriever(store, "~/models/all-MiniLM-L6-v2")   # a local sentence-transformers model
    ModelRetriever(store, model)                              # the model picks among FTS results

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
from mobile_agent.memory.retrieval import (
    FtsRetriever,
    Retrieved,
    Retriever,
    fts_query,
    make_retriever,
)
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
    from mobile_agent.memory.chosen import ModelRetriever
    from mobile_agent.memory.embeddings import EmbeddingRetriever
    from mobile_agent.memory.learning import Learned, learn_from_run

_LAZY = {
    "Learned": "learning",
    "learn_from_run": "learning",
    "ModelRetriever": "chosen",
    "EmbeddingRetriever": "embeddings",
}

__all__ = [
    "SCHEMA_VERSION",
    "ElementSelector",
    "EmbeddingRetriever",
    "FtsRetriever",
    "Guard",
    "ImportReport",
    "Learned",
    "MemorySettings",
    "ModelRetriever",
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
    "make_retriever",
    "memory_settings",
    "shortcut_problems",
]


def __getattr__(name: str) -> Any:
    """`Learned`, `learn_from_run`, `ModelRetriever` and `EmbeddingRetriever`, loaded on
    first use: they bring in the agents, the models or numpy, which the store itself does
    not need."""
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f"mobile_agent.memory.{_LAZY[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
