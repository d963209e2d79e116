"""Stop, pause and resume a run from any thread."""

from __future__ import annotations

import threading


class Control:
    """Thread-safe run control. The runner checks it between phases (`checkpoint`)."""

    def __init__(self) -> None:
        self.cancel = threading.Event()  # set by stop(): handed to model calls and actions
        self._running = threading.Event()
        self._running.set()

    @property
    def stopped(self) -> bool:
        return self.cancel.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set() and not self.stopped

    def stop(self) -> None:
        """Ask the run to end: cancels an in-flight model call; no further action starts."""
        self.cancel.set()
        self._running.set()

    def pause(self) -> None:
        """Hold the run at its next checkpoint (a model call in flight completes)."""
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def checkpoint(self) -> bool:
        """Wait while paused; True when the run should stop."""
        while not self._running.wait(0.25) and not self.stopped:
            pass
        return self.stopped
