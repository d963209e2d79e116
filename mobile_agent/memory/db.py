"""The SQLite file: opened safely, written in `BEGIN IMMEDIATE` transactions.

Before anything writes to an existing file it is inspected by a connection that only
reads: a file that is not SQLite (or is shorter than its pages say) is moved aside and
`CorruptDatabase` raised; a file written by a newer version raises `SchemaTooNew` and is
left byte for byte as it was; another program's database is refused. Only then is it
opened for writing, in WAL mode with a busy timeout and foreign keys on. Connections run in
autocommit mode, so every transaction is explicit: `transaction(conn)` opens
`BEGIN IMMEDIATE` (a savepoint when one is already open).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from mobile_agent.errors import CorruptDatabase, SchemaTooNew, StoreError

log = logging.getLogger(__name__)

APPLICATION_ID = 0x4D41474D  # "MAGM": marks the file as a mobile-agent memory store
BUSY_TIMEOUT_S = 10.0


def connect(path: Path | None) -> sqlite3.Connection:
    """A connection to `path` (None: in memory): autocommit mode, WAL, busy timeout, foreign
    keys. `StoreError` when the file cannot be opened."""
    target = ":memory:" if path is None else str(path)
    try:
        conn = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if path is not None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the memory store {target}: {exc}") from None
    return conn


def inspect_file(path: Path, latest: int) -> int:
    """The schema version of the existing file at `path`, read without writing to it.

    `SchemaTooNew` when a newer version wrote it, `StoreError` when it belongs to another
    program, `CorruptDatabase` (after moving it aside) when it is damaged. (The connection
    may write but only reads: unlike a read-only one it removes the WAL files it needed
    when it closes.)
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the memory store {path}: {exc}") from None
    try:
        version, app_id, tables, pages = _header(conn)
    except sqlite3.OperationalError as exc:
        raise StoreError(f"cannot read the memory store {path}: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise _quarantined(path, str(exc)) from None
    finally:
        conn.close()
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
        raise StoreError(
            f"{path} is not a mobile-agent memory store (it holds another program's tables); "
            "choose another file with --db"
        )
    if pages > path.stat().st_size and not _wal_frames(path):
        raise _quarantined(path, f"the file is shorter than its {pages} bytes of pages")
    if version > latest:
        raise SchemaTooNew(
            f"{path} was written by a newer version of mobile-agent (schema version {version}; "
            f"this version knows up to {latest}). Upgrade mobile-agent to use it; the file "
            "was left untouched."
        )
    return version


def _header(conn: sqlite3.Connection) -> tuple[int, int, list[str], int]:
    """Schema version, application id, table names and the size its pages should take.
    (Cheap checks only: a full integrity check reads the whole file.)"""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    ]
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    return version, app_id, tables, pages * size


def _wal_frames(path: Path) -> bool:
    """Whether a WAL file with content sits beside `path` (then the main file may be
    shorter than the database until the next checkpoint)."""
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def _quarantined(path: Path, reason: str) -> CorruptDatabase:
    """Move a damaged file (and its WAL files) aside; the error that says where."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        path.rename(target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
    except OSError as exc:
        log.error("the damaged memory store %s could not be moved aside: %s", path, exc)
        return CorruptDatabase(f"{path} is damaged ({reason}) and could not be moved aside: {exc}")
    log.error("the memory store %s is damaged (%s); moved to %s", path, reason, target)
    return CorruptDatabase(
        f"{path} is damaged ({reason}); it was moved to {target} and a new store will be "
        "created on the next start"
    )


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: `BEGIN IMMEDIATE` … `COMMIT` (rolled back on any exception),
    or a savepoint inside a transaction already open."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT nested")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO SAVEPOINT nested")
                conn.execute("RELEASE SAVEPOINT nested")
            raise
        conn.execute("RELEASE SAVEPOINT nested")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def backup(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy of the database behind `conn` at `target`."""
    copy = sqlite3.connect(str(target))
    try:
        conn.backup(copy)
    finally:
        copy.close()
    return target
