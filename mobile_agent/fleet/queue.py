"""Which device runs which task: one serial queue per device, fed from a shared pool.

A task pinned to a device (``"device"`` in the tasks file) waits in that device's own
queue; every other task waits in the shared pool, from which whichever device is free takes
the next one. A device runs one task at a time, its own queue first. When a device is lost,
its queue stops: tasks pinned to it end unrun, and the tasks of the pool go on with the
other devices, as they would have anyway. When no device is left, what remains ends unrun.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

from mobile_agent.fleet.tasks import BatchTask


class TaskQueue:
    """The tasks still to run, handed out to devices one at a time (thread-safe)."""

    def __init__(self, tasks: Iterable[BatchTask], serials: Iterable[str]) -> None:
        self._lock = threading.Lock()
        self._alive = list(dict.fromkeys(serials))
        self._own: dict[str, deque[BatchTask]] = {s: deque() for s in self._alive}
        self._pool: deque[BatchTask] = deque()
        self._orphans: list[BatchTask] = []  # pinned to a device that is not in the batch
        for task in tasks:
            if task.device is None:
                self._pool.append(task)
            elif task.device in self._own:
                self._own[task.device].append(task)
            else:
                self._orphans.append(task)

    @property
    def unknown_devices(self) -> list[BatchTask]:
        """Tasks pinned to a device the batch does not run on (they never run)."""
        return list(self._orphans)

    def next_for(self, serial: str) -> BatchTask | None:
        """The next task for `serial` (its own queue first), or None when it has none left."""
        with self._lock:
            if serial not in self._alive:
                return None
            own = self._own[serial]
            if own:
                return own.popleft()
            return self._pool.popleft() if self._pool else None

    def lose(self, serial: str) -> list[BatchTask]:
        """Stop `serial`'s queue; returns the tasks that can no longer run anywhere: those
        pinned to it and, when it was the last device, the whole pool."""
        with self._lock:
            if serial not in self._alive:
                return []
            self._alive.remove(serial)
            stranded = list(self._own.pop(serial))
            if not self._alive:
                stranded += self._pool
                self._pool.clear()
            return stranded

    def pending(self, serial: str) -> int:
        """How many tasks `serial` could still take (its own and the pool's)."""
        with self._lock:
            return len(self._own.get(serial, ())) + len(self._pool)
