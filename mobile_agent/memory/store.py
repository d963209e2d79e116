"""`Store`: one SQLite file holding tips, shortcuts, runs and steps.

    store = Store.open()                      # memory.db in the data directory
    store = Store.open("a.db")                # any file; created and migrated when needed
    with store.write():                       # one BEGIN IMMEDIATE transaction
        ...
    store.tips.add("Save a note with the Save button", app="com.example.notes")
    store.shortcuts.add(spec)
    store.runs.all()

The store is safe to share between threads (one lock around its connection) and between
processes (WAL, a busy timeout, `BEGIN IMMEDIATE` writes). The file is plain SQLite made
with sqlite-utils: it opens in `sqlite-utils` and Datasette, full-text search included.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from mobile_agent.errors import StoreError
from mobile_agent.memory.db import connect, inspect_file, transaction
from mobile_agent.memory.run_store import Runs
from mobile_agent.memory.schema import LATEST, migrate
from mobile_agent.memory.settings import MemorySettings
from mobile_agent.memory.shortcut_store import Shortcuts
from mobile_agent.memory.tip_store import Tips

log = logging.getLogger(__name__)


class Store:
    """Tips, shortcuts, runs and steps in one SQLite database."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path | None, settings: MemorySettings | None = None
    ) -> None:
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.path = path
        self.settings = settings or MemorySettings()
        self.lock = threading.RLock()
        self.tips = Tips(self)
        self.shortcuts = Shortcuts(self)
        self.runs = Runs(self)

    @classmethod
    def open(
        cls,
        path: Path | str | None = None,
        *,
        settings: MemorySettings | None = None,
        create: bool = True,
    ) -> Store:
        """The store in `path` (default: the settings' database, else memory.db in the data
        directory), migrated to the current schema.

        With `create=False` a missing file is not created: the store is then empty and in
        memory (for commands that only read). `SchemaTooNew`, `CorruptDatabase` and
        `StoreError` say why a file cannot be used.
        """
        settings = settings or MemorySettings()
        file = Path(path).expanduser() if path is not None else settings.resolved_db_path()
        if not file.exists():
            if not create:
                return cls.memory(settings)
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create {file.parent}: {exc.strerror or exc}") from None
        elif file.is_dir():
            raise StoreError(f"{file} is a directory, not a database file")
        else:
            inspect_file(file, LATEST)
        conn = connect(file)
        try:
            migrate(conn, file)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"cannot prepare the memory store {file}: {exc}") from None
        return cls(conn, file, settings)

    @classmethod
    def memory(cls, settings: MemorySettings | None = None) -> Store:
        """An empty store in memory (tests, dry runs)."""
        conn = connect(None)
        migrate(conn, None)
        return cls(conn, None, settings)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (a WAL checkpoint happens when the last one closes)."""
        with self.lock:
            self.conn.close()

    @property
    def where(self) -> str:
        """The file's path, or ':memory:'."""
        return str(self.path) if self.path is not None else ":memory:"

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction (`BEGIN IMMEDIATE`; a savepoint when nested): all or nothing.

        SQLite failures become `StoreError`.
        """
        with self.lock:
            try:
                with transaction(self.conn):
                    yield self.db
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write the memory store {self.where}: {exc}") from None

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Rows of a read-only query, as dicts."""
        with self.lock:
            try:
                return list(self.db.query(sql, params))
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the memory store {self.where}: {exc}") from None

    def integrity_check(self) -> list[str]:
        """SQLite's integrity check: `["ok"]` when the file is sound."""
        return [row["integrity_check"] for row in self.query("PRAGMA integrity_check")]

    def schema_version(self) -> int:
        """The schema version of the open database."""
        return int(self.query("PRAGMA user_version")[0]["user_version"])
