"""The settings of the memory store, read in one place with their defaults.

`memory_settings(settings)` reads the `memory_*` fields of `mobile_agent.config.Settings`
when they are declared there, and falls back to the defaults below otherwise, so the store
works the same before and after those fields exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DB_NAME = "memory.db"


@dataclass(frozen=True)
class MemorySettings:
    """How the store is found and how retrieval and demotion behave."""

    db_path: Path | None = None  # None = memory.db in the data directory
    use_proposed: bool = False  # offer proposed items before a person approves them
    tips: int = 5  # most tips given to one task
    shortcuts: int = 3  # most shortcuts given to one task
    demote_after: int = 3  # consecutive failures after which a shortcut is demoted

    def resolved_db_path(self) -> Path:
        """The database file: `db_path`, or memory.db in the data directory."""
        return self.db_path if self.db_path is not None else default_db_path()


_FIELDS = {
    "memory_db": "db_path",
    "memory_use_proposed": "use_proposed",
    "memory_tips": "tips",
    "memory_shortcuts": "shortcuts",
    "memory_demote_after": "demote_after",
}


def memory_settings(settings: Any = None) -> MemorySettings:
    """The memory settings found on `settings` (a `Settings`, or None for the defaults)."""
    values: dict[str, Any] = {}
    for name, attr in _FIELDS.items():
        value = getattr(settings, name, None) if settings is not None else None
        if value is None or value == "":
            continue
        values[attr] = Path(value).expanduser() if attr == "db_path" else value
    return MemorySettings(**values)


def default_db_path() -> Path:
    """memory.db in the data directory (`MOBILE_AGENT_HOME`), which is created if needed."""
    from mobile_agent.config import home_dir

    return home_dir() / DB_NAME
