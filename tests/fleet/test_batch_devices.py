"""`mobile-agent batch` over three virtual phones, one of them killed in the middle of a task.

The phones are served in this process and `adb connect`-ed to the session's adb server; the
command runs as a user runs it (another process) with the scripted demo model.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli.cli_helpers import read_until, run_cli, start_cli
from conftest import free_port, run_adb

from mobile_agent.memory import Store
from virtual_phone.server import VirtualPhoneServer


@pytest.fixture(scope="module")
def phones() -> Iterator[list[VirtualPhoneServer]]:
    servers = [VirtualPhoneServer(port=free_port(), seed=0).start() for _ in range(3)]
    try:
        for server in servers:
            assert b"connected" in run_adb("connect", server.serial).stdout
        yield servers
    finally:
        for server in servers:
            run_adb("disconnect", server.serial)
            server.stop()


def _tasks_file(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "tasks.txt"
    lines = [f"Write the groceries note, round {i}" for i in range(count)]
    path.write_text("# six notes\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_phone_lost_mid_run_ends_its_task_and_the_others_take_the_rest(
    phones: list[VirtualPhoneServer], tmp_path: Path
) -> None:
    db = tmp_path / "memory.db"
    serials = [p.serial for p in phones]
    victim = phones[1]
    proc = start_cli(
        "batch", str(_tasks_file(tmp_path, 6)), "--scripted", "--json", "--db", str(db),
        "--device", *serials,
    )  # fmt: skip
    try:
        read_until(proc.stderr, f"[{victim.serial}] started #")
        victim.stop()  # the phone goes away while its first task runs
        out, err = proc.communicate(timeout=240)
    finally:
        proc.kill()
    results = json.loads(out)
    assert proc.returncode == 1, err
    assert [r["index"] for r in results] == [1, 2, 3, 4, 5, 6]
    lost = [r for r in results if r["outcome"] == "device_lost"]
    assert [r["device"] for r in lost] == [victim.serial], err
    others = [r for r in results if r is not lost[0]]
    assert {r["outcome"] for r in others} == {"succeeded"}, err
    assert {r["device"] for r in others} <= {phones[0].serial, phones[2].serial}
    assert all(r["steps"] >= 1 and r["duration_s"] > 0 for r in others)
    assert f"Device {victim.serial} was lost" not in out  # the JSON stays JSON
    # every run, the lost one too, is in the memory store under the id the result names
    with Store.open(db) as store:
        stored = {run["id"]: run for run in store.runs.all()}
    assert {r["run_id"] for r in results} <= set(stored)
    assert len(stored) == 6
    for result in others:
        assert stored[result["run_id"]]["task"] == result["task"]


def test_lines_per_task_and_the_exit_status_of_an_all_good_batch(
    phones: list[VirtualPhoneServer], tmp_path: Path
) -> None:
    alive = [phones[0].serial, phones[2].serial]  # the other test may have killed phones[1]
    tasks = tmp_path / "tasks.json"
    pinned = {"task": "Write the groceries note", "device": alive[0], "max_steps": 8}
    tasks.write_text(json.dumps([pinned, "Write it again"]), encoding="utf-8")
    done = run_cli("batch", str(tasks), "--scripted", "--no-memory", "--device", *alive[:2])
    assert done.returncode == 0, done.stderr
    ends = [line for line in done.stdout.splitlines() if " succeeded  " in line]
    assert len(ends) == 4  # as each task ends, and again in the summary
    assert ends[-2].startswith(alive[0]) and "#1 succeeded" in ends[-2]
    assert "2 of 2 tasks succeeded." in done.stdout


def test_ctrl_c_stops_the_runs_in_flight_and_starts_no_more(
    phones: list[VirtualPhoneServer], tmp_path: Path
) -> None:
    serials = [phones[0].serial, phones[2].serial]  # the first test may have killed phones[1]
    tasks = _tasks_file(tmp_path, 6)
    proc = start_cli(
        "batch", str(tasks), "--scripted", "--no-memory", "--json", "--device", *serials
    )
    try:
        read_until(proc.stderr, "started #")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    results = json.loads(out)
    assert len(results) == 6
    outcomes = [r["outcome"] for r in results]
    assert "cancelled" in outcomes
    assert outcomes.count("not_run") >= 3
    assert all(r["reason"] == "the batch was stopped" for r in results if r["outcome"] == "not_run")


def test_bad_tasks_file_and_device_choice_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"task": "a", "steps": 3}]', encoding="utf-8")
    done = run_cli("batch", str(bad), "--scripted")
    assert done.returncode == 1
    assert "entry 1: unknown key 'steps'" in done.stderr
    good = _tasks_file(tmp_path, 1)
    mixed = run_cli("batch", str(good), "--scripted", "--device", "all", "emulator-5554")
    assert mixed.returncode == 2
    assert "--device takes 'all' or serials, not both" in mixed.stderr
