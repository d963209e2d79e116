"""SIGKILL at random points of runs being recorded: the file stays sound and every step the
recorder reported as stored is there, whole (its screens and model calls with it)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mobile_agent.memory import Store

TRIALS = 60

pytestmark = pytest.mark.slow  # about five seconds
SCRIPT = Path(__file__).with_name("record_steps.py")


class Recorders:
    """The process that forks recording children (`record_steps.py`), driven line by line."""

    def __init__(self, db: Path, data_dir: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(SCRIPT), str(db), str(data_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the recording process ended"
        return line.strip()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture
def recorders(tmp_path: Path) -> Iterator[Recorders]:
    Store.open(tmp_path / "memory.db").close()
    forker = Recorders(tmp_path / "memory.db", tmp_path / "data")
    yield forker
    forker.close()


def _trial(forker: Recorders, run_id: str, rng: random.Random) -> list[int]:
    """Start recording `run_id`, kill it at a random point; the steps it said were stored."""
    forker.send(f"run {run_id}")
    lines = []
    while not (line := forker.read()).startswith("forked "):
        lines.append(line)
    pid = int(line.split()[2])
    for _ in range(rng.randrange(0, 6)):  # some whole steps, then a random moment
        lines.append(forker.read())
    time.sleep(rng.uniform(0, 0.01))
    os.kill(pid, signal.SIGKILL)
    forker.send(f"wait {pid}")
    while (line := forker.read()) != f"reaped {pid}":
        lines.append(line)
    assert not [line for line in lines if "failed" in line]
    return [int(line.split()[2]) for line in lines if line.startswith(f"{run_id} committed ")]


def _check_run(store: Store, run_id: str, promised: list[int], data_dir: Path) -> None:
    stored = [s["number"] for s in store.runs.steps(run_id)]
    assert stored == list(range(1, len(stored) + 1)), run_id  # no holes
    assert set(promised) <= set(stored), (run_id, promised, stored)
    assert len(stored) <= len(promised) + 1  # at most the step in flight besides
    screens = store.runs.screens(run_id)
    calls = store.runs.calls(run_id)
    for number in stored:  # each step whole
        assert [s["phase"] for s in screens if s["step"] == number] == ["before", "after"]
        assert [c["agent"] for c in calls if c["step"] == number] == ["operator", "reflector"]
    for screen in screens:
        assert (data_dir / "runs" / run_id / screen["screenshot"]).is_file()


def test_kill_nine_never_loses_a_committed_step(recorders: Recorders, tmp_path: Path) -> None:
    rng = random.Random(20250101)
    runs = [f"kill{n:02d}" for n in range(TRIALS)]
    promised = [_trial(recorders, run_id, rng) for run_id in runs]
    with Store.open(tmp_path / "memory.db") as store:
        assert store.integrity_check() == ["ok"]
        for run_id, steps in zip(runs, promised, strict=True):
            _check_run(store, run_id, steps, tmp_path / "data")
        started = {r["id"] for r in store.runs.all()}
        assert {run_id for run_id, steps in zip(runs, promised, strict=True) if steps} <= started
    assert sum(map(len, promised)) >= TRIALS  # the kills did land among committed steps
