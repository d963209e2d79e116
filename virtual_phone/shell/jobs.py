"""Long-running shell commands that other commands can see and signal: `ps` lists them,
`kill` / `pkill` deliver a signal (a command decides what each signal does to it)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

SIGHUP, SIGINT, SIGKILL, SIGTERM = 1, 2, 9, 15


@dataclass
class Job:
    """One running command: its process name and id, and the signal it received."""

    name: str
    pid: int
    loop: asyncio.AbstractEventLoop
    signalled: asyncio.Event = field(default_factory=asyncio.Event)
    signal: int | None = None


class JobTable:
    """The shell's running long commands (thread-safe: `ps` and `kill` run on workers)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: list[Job] = []

    def start(self, name: str, pid: int) -> Job:
        """Register the calling command (on the event loop) as a running process."""
        job = Job(name, pid, asyncio.get_running_loop())
        with self._lock:
            self._jobs.append(job)
        return job

    def finish(self, job: Job) -> None:
        with self._lock:
            if job in self._jobs:
                self._jobs.remove(job)

    def running(self) -> list[Job]:
        with self._lock:
            return list(self._jobs)

    def send(self, pid: int, signal: int) -> bool:
        """Deliver a signal to a job by pid; False when no job has that pid."""
        with self._lock:
            jobs = [job for job in self._jobs if job.pid == pid]
        for job in jobs:
            if signal:
                job.signal = signal
                job.loop.call_soon_threadsafe(job.signalled.set)
        return bool(jobs)
