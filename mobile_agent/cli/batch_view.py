"""What `mobile-agent batch` shows: a live table on a terminal, else one line per task
start and end; then one line per task, or the JSON list."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from mobile_agent.cli.args import shorten

if TYPE_CHECKING:
    from rich.table import Table

    from mobile_agent.fleet import Batch, BatchTask, TaskResult

_TASK_CHARS = 48
_REFRESH_PER_S = 4


class LinePrinter:
    """One line as each task starts and as it ends (for logs and pipes)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._lock = threading.Lock()

    def started(self, serial: str, task: BatchTask) -> None:
        self._say(f"[{serial}] started #{task.index + 1}: {shorten(task.task, 80)}")

    def ended(self, result: TaskResult) -> None:
        self._say(f"[{result.device or '-'}] {result_line(result)}")

    def _say(self, line: str) -> None:
        with self._lock:
            print(line, file=self.out, flush=True)


@contextlib.contextmanager
def live_table(batch: Batch, out: IO[str]) -> Iterator[None]:
    """Redraw the board of `batch` on `out` (a terminal) until the block ends."""
    from rich.console import Console
    from rich.live import Live

    console = Console(file=out)
    with Live(
        get_renderable=lambda: _table(batch),
        console=console,
        refresh_per_second=_REFRESH_PER_S,
        transient=False,
    ):
        yield


def _table(batch: Batch) -> Table:
    from rich.table import Table

    rows = batch.board.rows()
    finished = sum(row.done for row in rows)
    table = Table(title=f"batch: {finished}/{batch.board.total} tasks done", title_justify="left")
    for column in ("device", "task", "step", "state", "done"):
        table.add_column(column, justify="right" if column in ("step", "done") else "left")
    for row in rows:
        task = shorten(row.task, _TASK_CHARS) if row.task else "-"
        table.add_row(row.device, task, str(row.step or "-"), row.state, str(row.done))
    return table


def result_line(result: TaskResult) -> str:
    """`#2 succeeded  4 steps  12.3 s  run 20260101-…  Create a note…`"""
    parts = [f"#{result.task.index + 1} {result.outcome}"]
    if result.outcome != "not_run":
        parts += [f"{result.steps} steps", f"{result.duration_s:.1f} s"]
    if result.run_id:
        parts.append(f"run {result.run_id}")
    parts.append(shorten(result.task.task, 60))
    line = "  ".join(parts)
    if result.reason and not result.succeeded:
        line += f"  ({shorten(result.reason, 120)})"
    return line


def report(batch: Batch, results: list[TaskResult], *, as_json: bool, out: IO[str]) -> None:
    """The end of a batch: one line per task (or the JSON list on stdout), and the totals."""
    if as_json:
        print(json.dumps([r.to_json() for r in results], indent=2))
        return
    print("", file=out)
    for result in results:
        print(f"{result.device or '-':<22} {result_line(result)}", file=out)
    for serial, why in batch.lost.items():
        print(f"Device {serial} was lost: {shorten(why, 160)}", file=out)
    good = sum(r.succeeded for r in results)
    print(f"{good} of {len(results)} tasks succeeded.", file=out)
