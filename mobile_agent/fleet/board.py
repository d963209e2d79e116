"""What each device of a batch is doing right now, for the live table (thread-safe)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

from mobile_agent.fleet.tasks import BatchTask


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """One device's line of the live table."""

    device: str
    task: str = ""
    step: int = 0
    state: str = "waiting"
    done: int = 0


class Board:
    """The rows of the live table, updated by the device workers and read by the display."""

    def __init__(self, serials: list[str]) -> None:
        self._lock = threading.Lock()
        self._rows = {s: DeviceRow(s) for s in serials}
        self.total = 0

    def update(self, serial: str, **fields: Any) -> None:
        """Change some fields of `serial`'s row."""
        with self._lock:
            self._rows[serial] = replace(self._rows[serial], **fields)

    def started(self, serial: str, task: BatchTask) -> None:
        """`serial` took `task`."""
        self.update(serial, task=f"#{task.index + 1} {task.task}", step=0, state="running")

    def finished(self, serial: str, outcome: str) -> None:
        """`serial` ended its task with `outcome`."""
        with self._lock:
            row = self._rows[serial]
            self._rows[serial] = replace(row, state=outcome, done=row.done + 1)

    def rows(self) -> list[DeviceRow]:
        """A snapshot of every row, in device order."""
        with self._lock:
            return list(self._rows.values())
