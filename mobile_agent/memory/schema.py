"""The schema and its migrations.

The schema version is SQLite's `user_version`. Each migration is a list of statements that
turns version N-1 into N; `migrate` runs every pending one and sets the new version in the
same `BEGIN IMMEDIATE` transaction, so a failing migration leaves the file as it was. A file
that already holds data is copied (SQLite's backup API) before it is migrated.

Version 1: tips, shortcuts with their versions, runs, steps, screens and model calls.
Version 2: full-text indexes of tips and shortcuts (FTS5, Porter stemming), kept current by
triggers, named as sqlite-utils and Datasette expect (`tips_fts`, `shortcuts_fts`).
Version 3: `embeddings`, the cache of item embeddings (one row per item and model, with the
digest of the text it embeds); deleting a tip or a shortcut deletes its rows.
Version 4: `suspects`, why a tip or a shortcut was held as `suspect` (one row per item, kept
once a person approves it; deleting the item deletes its row).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from mobile_agent.memory.db import APPLICATION_ID, backup, transaction

log = logging.getLogger(__name__)

_V1 = (
    """CREATE TABLE tips (
        id INTEGER PRIMARY KEY,
        text TEXT NOT NULL,
        app TEXT NOT NULL DEFAULT '',
        norm TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'proposed',
        source_run TEXT,
        source_step INTEGER,
        uses INTEGER NOT NULL DEFAULT 0,
        successes INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX tips_status ON tips (status)",
    "CREATE INDEX tips_norm ON tips (app, norm)",
    """CREATE TABLE shortcuts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL DEFAULT 1,
        description TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '[]',
        precondition TEXT NOT NULL DEFAULT '',
        guard TEXT,
        steps TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'proposed',
        uses INTEGER NOT NULL DEFAULT 0,
        successes INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        failure_streak INTEGER NOT NULL DEFAULT 0,
        source_run TEXT,
        source_step INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX shortcuts_steps ON shortcuts (steps)",
    """CREATE TABLE shortcut_versions (
        id INTEGER PRIMARY KEY,
        shortcut_id INTEGER NOT NULL REFERENCES shortcuts (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        description TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '[]',
        precondition TEXT NOT NULL DEFAULT '',
        guard TEXT,
        steps TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        source_run TEXT,
        source_step INTEGER,
        created_at TEXT NOT NULL,
        UNIQUE (shortcut_id, version)
    )""",
    """CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'task',
        task TEXT NOT NULL,
        device TEXT NOT NULL DEFAULT '',
        models TEXT NOT NULL DEFAULT '{}',
        settings TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'running',
        reason TEXT NOT NULL DEFAULT '',
        answer TEXT NOT NULL DEFAULT '',
        steps INTEGER NOT NULL DEFAULT 0,
        failed_steps INTEGER NOT NULL DEFAULT 0,
        model_calls INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        elapsed_s REAL NOT NULL DEFAULT 0,
        plan TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '',
        tips TEXT NOT NULL DEFAULT '[]',
        shortcuts TEXT NOT NULL DEFAULT '[]',
        dir TEXT NOT NULL DEFAULT '',
        started_at TEXT NOT NULL,
        finished_at TEXT
    )""",
    "CREATE INDEX runs_started ON runs (started_at)",
    """CREATE TABLE steps (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        plan TEXT NOT NULL DEFAULT '[]',
        subgoal TEXT NOT NULL DEFAULT '',
        thought TEXT NOT NULL DEFAULT '',
        action TEXT,
        description TEXT NOT NULL DEFAULT '',
        executed_ok INTEGER,
        summary TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        verdict TEXT NOT NULL DEFAULT '',
        feedback TEXT NOT NULL DEFAULT '',
        subgoal_completed INTEGER NOT NULL DEFAULT 0,
        notes TEXT,
        outcome TEXT NOT NULL DEFAULT '',
        ok INTEGER NOT NULL DEFAULT 0,
        phase TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        model_calls INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        timings TEXT NOT NULL DEFAULT '{}',
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        PRIMARY KEY (run_id, number)
    )""",
    """CREATE TABLE screens (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        phase TEXT NOT NULL,
        package TEXT NOT NULL DEFAULT '',
        activity TEXT NOT NULL DEFAULT '',
        screenshot TEXT NOT NULL DEFAULT '',
        hierarchy TEXT NOT NULL DEFAULT '',
        elements TEXT NOT NULL DEFAULT '[]',
        ocr_used INTEGER NOT NULL DEFAULT 0,
        timings TEXT NOT NULL DEFAULT '{}',
        FOREIGN KEY (run_id, step) REFERENCES steps (run_id, number) ON DELETE CASCADE
    )""",
    "CREATE INDEX screens_step ON screens (run_id, step)",
    """CREATE TABLE model_calls (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        agent TEXT NOT NULL,
        model TEXT NOT NULL DEFAULT '',
        attempt INTEGER NOT NULL DEFAULT 1,
        ok INTEGER NOT NULL DEFAULT 1,
        latency_s REAL NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        prompt TEXT NOT NULL DEFAULT '',
        reply TEXT NOT NULL DEFAULT '',
        called_at TEXT NOT NULL,
        FOREIGN KEY (run_id, step) REFERENCES steps (run_id, number) ON DELETE CASCADE
    )""",
    "CREATE INDEX model_calls_step ON model_calls (run_id, step)",
)


def _fts(table: str, columns: Sequence[str]) -> tuple[str, ...]:
    """An external-content FTS5 index of `table`, filled from its rows, with triggers."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    delete = f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});"
    insert = f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});"
    return (
        f"CREATE VIRTUAL TABLE {fts} USING FTS5 ({cols}, "
        f"tokenize='porter unicode61', content=\"{table}\")",
        f"INSERT INTO {fts} (rowid, {cols}) SELECT rowid, {cols} FROM {table}",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
    )


_V2 = (
    *_fts("tips", ("text", "app")),
    *_fts("shortcuts", ("name", "description", "precondition")),
)

_V3 = (
    """CREATE TABLE embeddings (
        kind TEXT NOT NULL,
        item_id INTEGER NOT NULL,
        model TEXT NOT NULL,
        digest TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kind, item_id, model)
    )""",
    "CREATE TRIGGER tips_embeddings_ad AFTER DELETE ON tips BEGIN "
    "DELETE FROM embeddings WHERE kind = 'tip' AND item_id = old.id; END",
    "CREATE TRIGGER shortcuts_embeddings_ad AFTER DELETE ON shortcuts BEGIN "
    "DELETE FROM embeddings WHERE kind = 'shortcut' AND item_id = old.id; END",
)

_V4 = (
    """CREATE TABLE suspects (
        kind TEXT NOT NULL,
        item_id INTEGER NOT NULL,
        reason TEXT NOT NULL,
        held_at TEXT NOT NULL,
        PRIMARY KEY (kind, item_id)
    )""",
    "CREATE TRIGGER tips_suspects_ad AFTER DELETE ON tips BEGIN "
    "DELETE FROM suspects WHERE kind = 'tip' AND item_id = old.id; END",
    "CREATE TRIGGER shortcuts_suspects_ad AFTER DELETE ON shortcuts BEGIN "
    "DELETE FROM suspects WHERE kind = 'shortcut' AND item_id = old.id; END",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3, _V4)
LATEST = len(MIGRATIONS)


def migrate(
    conn: sqlite3.Connection,
    path: Path | None,
    migrations: Sequence[Sequence[str]] = MIGRATIONS,
) -> int:
    """Bring the database up to `len(migrations)`; returns the version it had before.

    All pending migrations and the version bump run in one transaction. A file that already
    held a schema is backed up first, next to it (`NAME.vN.bak`).
    """
    found = _version(conn)
    target = len(migrations)
    if found >= target:
        return found
    if found > 0 and path is not None:
        copy = backup(conn, path.with_name(f"{path.name}.v{found}.bak"))
        log.info("backed up the memory store before migrating it: %s", copy)
    with transaction(conn):
        current = _version(conn)  # another process may have migrated it meanwhile
        for number in range(current + 1, target + 1):
            for statement in migrations[number - 1]:
                conn.execute(statement)
            log.info("memory store schema migrated to version %d", number)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {target}")
    return found


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])
