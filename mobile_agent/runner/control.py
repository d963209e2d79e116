"""Stop, pause and resume a run from any thread, also before its runner exists."""

from __future__ import annotations

import threading
from typing import Protocol


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


class Pausable(Protocol):
    """What `RunHandle` controls: a `Runner` (or anything with its three controls)."""

    def stop(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...


class RunHandle:
    """Stop, pause and resume for a run whose runner may not exist yet: what was asked
    before `hand_over` applies to the runner at once. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runner: Pausable | None = None
        self._stopped = self._paused = False

    @property
    def paused(self) -> bool:
        return self._paused

    def stop(self) -> None:
        """Stop the run now, or as soon as its runner is handed over."""
        with self._lock:
            self._stopped = True
            runner = self._runner
        if runner is not None:
            runner.stop()

    def pause(self) -> None:
        """Hold the run at its next checkpoint (once there is a runner)."""
        with self._lock:
            self._paused = True
            runner = self._runner
        if runner is not None:
            runner.pause()

    def resume(self) -> None:
        """Let a paused run go on."""
        with self._lock:
            self._paused = False
            runner = self._runner
        if runner is not None:
            runner.resume()

    def hand_over(self, runner: Pausable) -> None:
        """Make `runner` the one the controls reach, applying what was asked before."""
        with self._lock:
            self._runner = runner
            stopped, paused = self._stopped, self._paused
        if stopped:
            runner.stop()
        if paused:
            runner.pause()

    def release(self) -> None:
        """The run is over: forget its runner and what was asked of it."""
        with self._lock:
            self._runner, self._stopped, self._paused = None, False, False
