"""The `tips`, `shortcuts` and `runs` commands: bad input ends in one clear line and leaves
the store alone; export and import round-trip; review commands change what they say."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mobile_agent.cli import main
from mobile_agent.memory import SCHEMA_VERSION, Status, Store

from .conftest import note_spec

# exactly the file of the bad-input example: a bad item, then JSON cut short
BAD = (
    '[{"name": "Broken", "steps": [{"action": "Teleport", "args": {"x": "far"}}]}, '
    '{"nonsense": true'
)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "mobile_agent", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _stock(path: Path) -> None:
    with Store.open(path) as store:
        store.shortcuts.add(note_spec(), status=Status.APPROVED)
        store.shortcuts.update(note_spec(description="Make a note"), note="v2")
        store.tips.add("Save with the Save button", app="com.example.notes")


def test_a_bad_import_exits_non_zero_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _stock(tmp_path / "a.db")
    (tmp_path / "bad.json").write_text(BAD, encoding="utf-8")
    listing = ("shortcuts", "list", "--json", "--db", str(tmp_path / "a.db"))
    before = _run(capsys, *listing)
    done = _cli("shortcuts", "import", "bad.json", "--db", "a.db", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("error: bad.json is not valid JSON")
    assert "Traceback" not in done.stderr + done.stdout
    assert before[0] == 0 and json.loads(before[1])[0]["name"] == "new_note"
    assert _run(capsys, *listing) == before


def test_export_and_import_round_trip_through_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, fresh = str(tmp_path / "a.db"), str(tmp_path / "fresh.db")
    _stock(tmp_path / "a.db")
    for kind in ("shortcuts", "tips"):
        path = str(tmp_path / f"{kind}.json")
        assert _run(capsys, kind, "export", path, "--db", old)[0] == 0
        assert _run(capsys, kind, "import", path, "--db", fresh)[0] == 0
        lists = [_run(capsys, kind, "list", "--json", "--db", db) for db in (old, fresh)]
        assert lists[0] == lists[1]
        assert json.loads(lists[0][1])


def test_a_newer_database_is_refused_by_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _stock(tmp_path / "a.db")
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    original = (tmp_path / "a.db").read_bytes()
    for command in (("tips", "list"), ("shortcuts", "approve", "new_note"), ("runs", "show", "r")):
        code, _, err = _run(capsys, *command, "--db", str(tmp_path / "a.db"))
        assert code == 1 and "written by a newer version of mobile-agent" in err, command
    assert (tmp_path / "a.db").read_bytes() == original


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_review_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "m.db")
    assert _run(capsys, "tips", "add", "Use the search box", "--db", db)[1] == "tip 1 (proposed)\n"
    assert _run(capsys, "tips", "approve", "1", "--db", db)[0] == 0
    code, out, _ = _run(capsys, "tips", "list", "--status", "approved", "--db", db)
    assert code == 0 and "Use the search box" in out and "approved" in out
    assert _run(capsys, "tips", "edit", "1", "--text", "Search first", "--db", db)[0] == 0
    code, out, _ = _run(capsys, "tips", "show", "1", "--json", "--db", db)
    assert json.loads(out)["text"] == "Search first"
    assert _run(capsys, "tips", "delete", "1", "--db", db)[0] == 0
    code, _, err = _run(capsys, "tips", "show", "1", "--db", db)
    assert code == 1 and err == "error: there is no tip 1 (see `mobile-agent tips list`)\n"


def test_shortcut_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "m.db"
    _stock(db)
    code, out, _ = _run(capsys, "shortcuts", "show", "new_note", "--db", str(db))
    assert code == 0 and "v1" in out and "v2  " in out and "type {" in out
    guard = '{"app": "com.example.notes"}'
    code, out, _ = _run(
        capsys,
        "shortcuts",
        "edit",
        "new_note",
        "--guard",
        guard,
        "--note",
        "from inside Notes",
        "--db",
        str(db),
    )
    assert (code, out) == (0, "new_note: stored as version 3\n")
    assert _run(capsys, "shortcuts", "disable", "new_note", "--db", str(db))[0] == 0
    code, out, _ = _run(capsys, "shortcuts", "list", "--json", "--db", str(db))
    [item] = json.loads(out)
    assert (item["status"], item["version"], item["guard"]["app"]) == (
        "disabled",
        3,
        "com.example.notes",
    )
    code, _, err = _run(capsys, "shortcuts", "edit", "new_note", "--guard", "{}", "--db", str(db))
    assert code == 1 and "a guard needs app, element or keyboard" in err


def test_reading_commands_do_not_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "missing.db"
    assert _run(capsys, "shortcuts", "list", "--json", "--db", str(db)) == (0, "[]\n", "")
    assert _run(capsys, "runs", "list", "--db", str(db))[1] == "No runs stored.\n"
    assert not db.exists()
