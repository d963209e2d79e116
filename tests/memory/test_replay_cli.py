"""`mobile-agent shortcuts run` as a user runs it (a process of its own), on two virtual phones
of different sizes at once, through a private adb server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port, run_adb

from mobile_agent.cli import main
from mobile_agent.memory import Status, Store
from virtual_phone.server import VirtualPhoneServer

from .conftest import note_spec

pytestmark = pytest.mark.e2e

NOTES = "com.example.notes"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, with this test's environment (its adb server and data directory)."""
    return subprocess.run(
        [sys.executable, "-m", "mobile_agent", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=dict(os.environ),
    )


@pytest.fixture
def two_phones(empty_adb_server: int) -> Iterator[list[VirtualPhoneServer]]:
    """A 1080x2400 and a 720x1600 virtual phone, both attached to a fresh adb server."""
    servers = [
        VirtualPhoneServer(port=free_port()).start(),
        VirtualPhoneServer(port=free_port(), size=(720, 1600)).start(),
    ]
    try:
        for server in servers:
            out = run_adb("connect", server.serial)
            assert b"connected" in out.stdout, out
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_replay_on_every_attached_phone_at_once(
    two_phones: list[VirtualPhoneServer], tmp_path: Path
) -> None:
    db = tmp_path / "memory.db"
    with Store.open(db) as store:
        store.shortcuts.add(note_spec(), status=Status.APPROVED)
    command = ("shortcuts", "run", "new_note", "--arg", "title=Groceries", "--db", str(db))

    done = _cli(*command, "--device", "all")

    assert done.returncode == 0, done.stderr
    for server, size in zip(two_phones, ("1080x2400", "720x1600"), strict=True):
        [line] = [line for line in done.stdout.splitlines() if server.serial in line]
        assert size in line and "passed" in line and "4/4" in line
        assert "Groceries" in [n["title"] for n in server.phone.app_state(NOTES)["notes"]]

    # Notes is now in front on both phones: the guard (the home screen) stops both
    again = _cli(*command, "--device", "all", "--json")
    assert again.returncode == 1
    results = json.loads(again.stdout)
    assert sorted(r["device"] for r in results) == sorted(s.serial for s in two_phones)
    assert all(r["guard"] and r["steps"] == [] and not r["ok"] for r in results)

    runs = json.loads(_cli("runs", "list", "--json", "--db", str(db)).stdout)
    assert sorted((r["kind"], r["state"]) for r in runs) == [
        ("replay", "failed"),
        ("replay", "failed"),
        ("replay", "succeeded"),
        ("replay", "succeeded"),
    ]
    listed = json.loads(_cli("shortcuts", "list", "--json", "--db", str(db)).stdout)
    assert (listed[0]["uses"], listed[0]["successes"]) == (2, 2)  # the guard misses not counted


def test_bad_arguments_and_unknown_shortcuts_exit_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "memory.db"
    with Store.open(db) as store:
        store.shortcuts.add(note_spec(), status=Status.APPROVED)
    cases = {
        ("new_note",): "missing argument 'title' (string: the note's title)",
        ("new_note", "--arg", "title=a", "--arg", "size=3"): "unknown argument 'size'",
        ("new_note", "--arg", "title"): "'title' is not NAME=VALUE",
        ("new_note", "--arg", "title=a", "--arg", "title=b"): "--arg title is given twice",
        ("no_such_shortcut",): "no_such_shortcut",
    }
    for args, message in cases.items():
        argv = ["shortcuts", "run", *args, "--db", str(db), "--device", "emulator-5554"]
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's own usage errors
            code = exit_.code
        out, err = capsys.readouterr()
        assert code in (1, 2) and message in err and out == "", (args, code, err)
    with Store.open(db) as store:
        assert store.runs.all() == [] and store.shortcuts.get("new_note").uses == 0
