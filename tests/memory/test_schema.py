"""The file: WAL and busy timeout, migrations that keep every row, and files that must not
be used — from a newer version, damaged, or another program's — handled without harm."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlite_utils

from mobile_agent.errors import CorruptDatabase, SchemaTooNew, StoreError
from mobile_agent.memory import SCHEMA_VERSION, FtsRetriever, Status, Store
from mobile_agent.memory.db import APPLICATION_ID, connect
from mobile_agent.memory.schema import MIGRATIONS, migrate

TABLES = ("tips", "shortcuts", "shortcut_versions", "runs", "steps", "screens", "model_calls")


def _pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def test_a_new_file_is_current_in_wal_mode_and_marked_as_ours(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
        assert store.query("PRAGMA busy_timeout")[0]["timeout"] >= 5000
        assert store.query("PRAGMA foreign_keys")[0]["foreign_keys"] == 1
    assert _pragma(db_path, "journal_mode") == "wal"
    assert _pragma(db_path, "application_id") == APPLICATION_ID


def test_the_file_opens_in_sqlite_utils_with_full_text_search(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.tips.add("Save a note with the Save button", status=Status.APPROVED)
    db = sqlite_utils.Database(db_path)
    assert set(TABLES) <= set(db.table_names())
    assert db["tips"].detect_fts() == "tips_fts"  # how sqlite-utils and Datasette find it
    assert db["shortcuts"].detect_fts() == "shortcuts_fts"
    assert [row["text"] for row in db["tips"].search("saving")] == [
        "Save a note with the Save button"
    ]
    db.close()


def _version_one(path: Path) -> None:
    """A database as the first schema version left it, with a row in every table."""
    conn = connect(path)
    migrate(conn, path, MIGRATIONS[:1])
    rows = [
        "INSERT INTO tips (text, app, status, created_at, updated_at) "
        "VALUES ('Wi-Fi is under Network', '', 'approved', 't', 't')",
        "INSERT INTO shortcuts (name, description, steps, status, created_at, updated_at) "
        """VALUES ('go_home', 'Go home', '[{"action":"home","args":{}}]', 'approved', 't', 't')""",
        "INSERT INTO shortcut_versions (shortcut_id, version, description, steps, created_at) "
        """VALUES (1, 1, 'Go home', '[{"action":"home","args":{}}]', 't')""",
        "INSERT INTO runs (id, task, started_at) VALUES ('r1', 'Turn on Wi-Fi', 't')",
        "INSERT INTO steps (run_id, number, started_at, finished_at) VALUES ('r1', 1, 't', 't')",
        "INSERT INTO screens (run_id, step, seq, phase) VALUES ('r1', 1, 1, 'before')",
        "INSERT INTO model_calls (run_id, step, agent, called_at) "
        "VALUES ('r1', 1, 'operator', 't')",
    ]
    for sql in rows:
        conn.execute(sql)
    conn.close()


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        conn.close()


def test_migration_from_the_first_version_keeps_every_row(db_path: Path) -> None:
    _version_one(db_path)
    before = _dump(db_path)
    assert _pragma(db_path, "user_version") == 1
    with Store.open(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        found = FtsRetriever(store).retrieve("turn wi-fi on, then go home")
        assert [t.text for t in found.tips] == ["Wi-Fi is under Network"]  # indexed old rows
        assert found.shortcut_names == ("go_home",)
    assert _dump(db_path) == before
    assert all(before.values())
    backup = db_path.with_name("memory.db.v1.bak")
    assert _pragma(backup, "user_version") == 1
    assert _dump(backup) == before


def test_a_failing_migration_changes_nothing(db_path: Path) -> None:
    _version_one(db_path)
    broken = (*MIGRATIONS, ("CREATE TABLE extra (x)", "INSERT INTO nowhere VALUES (1)"))
    conn = connect(db_path)
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        migrate(conn, db_path, broken)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # not even version 2
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "extra" not in tables and "tips_fts" not in tables
    conn.close()


def _newer(path: Path) -> bytes:
    with Store.open(path) as store:
        store.tips.add("a tip from the future")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    return path.read_bytes()


def test_a_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    original = _newer(db_path)
    with pytest.raises(
        SchemaTooNew, match=rf"newer version of mobile-agent \(schema version {SCHEMA_VERSION + 1}"
    ):
        Store.open(db_path)
    assert db_path.read_bytes() == original
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["memory.db"]


def test_a_damaged_file_is_moved_aside_and_a_new_one_made(db_path: Path) -> None:
    garbage = b"this is not a database at all " * 200
    db_path.write_bytes(garbage)
    with pytest.raises(CorruptDatabase, match="moved to"):
        Store.open(db_path)
    moved = [p for p in db_path.parent.iterdir() if ".corrupt-" in p.name]
    assert [p.read_bytes() for p in moved] == [garbage]
    with Store.open(db_path) as store:
        assert store.tips.all() == []


def test_a_truncated_file_is_moved_aside(db_path: Path) -> None:
    with Store.open(db_path) as store:
        for n in range(300):
            store.tips.add(f"tip number {n} " + "x" * 200)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptDatabase):
        Store.open(db_path)
    assert not db_path.exists()


def test_another_programs_database_is_refused_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    original = db_path.read_bytes()
    with pytest.raises(StoreError, match="not a mobile-agent memory store"):
        Store.open(db_path)
    assert db_path.read_bytes() == original


def test_reading_a_missing_file_does_not_create_it(db_path: Path) -> None:
    with Store.open(db_path, create=False) as store:
        assert store.tips.all() == []
    assert not db_path.exists()


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path)


def test_two_processes_worth_of_writers_wait_for_each_other(db_path: Path) -> None:
    stores = [Store.open(db_path), Store.open(db_path)]

    def write(store: Store, who: int) -> None:
        for n in range(40):
            with store.write():
                store.tips.add(f"writer {who} tip {n}")

    workers = [threading.Thread(target=write, args=(s, i)) for i, s in enumerate(stores)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(stores[0].tips.all()) == 80
    assert stores[1].integrity_check() == ["ok"]
    for s in stores:
        s.close()


def test_the_default_file_is_in_the_data_directory(home: Path) -> None:
    with Store.open() as store:
        assert store.path == home / "memory.db"
    assert (home / "memory.db").is_file()


def test_the_settings_name_the_file(tmp_path: Path) -> None:
    from mobile_agent.memory import memory_settings

    class Configured:  # a settings object once `memory_db` and friends are declared
        memory_db = str(tmp_path / "elsewhere.db")
        memory_use_proposed = True

    settings = memory_settings(Configured())
    assert (settings.use_proposed, settings.tips) == (True, 5)
    with Store.open(settings=settings) as store:
        assert store.path == tmp_path / "elsewhere.db"
