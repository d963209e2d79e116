"""Stop, pause and resume from any thread, and model calls that a stop abandons at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from mobile_agent.errors import Cancelled

T = TypeVar("T")


class Control:
    """Thread-safe run control. The runner checks it between phases (`checkpoint`)."""

    def __init__(self) -> None:
        self.cancel = threading.Event()  # set by stop(): handed to model calls and actions
        self._running = threading.Event()
        self._running.set()
        self._lock = threading.Lock()
        self._waiters: set[threading.Event] = set()

    @property
    def stopped(self) -> bool:
        return self.cancel.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set() and not self.stopped

    def stop(self) -> None:
        """Ask the run to end: cancels an in-flight model call; no further action starts."""
        with self._lock:
            self.cancel.set()
            self._running.set()
            waiters = list(self._waiters)
        for waiter in waiters:
            waiter.set()

    def pause(self) -> None:
        """Hold the run at its next checkpoint (a model call in flight completes)."""
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def checkpoint(self) -> bool:
        """Wait while paused; True when the run should stop."""
        self._running.wait()
        return self.stopped

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` in a worker thread; raise `Cancelled` as soon as stop() is called.

        A backend that ignores the cancel event is abandoned in its (daemon) thread.
        """
        done = threading.Event()
        box: dict[str, object] = {}

        def work() -> None:
            try:
                box["value"] = fn()
            except BaseException as exc:  # handed to the caller's thread below
                box["error"] = exc
            finally:
                done.set()

        with self._lock:
            if self.stopped:
                raise Cancelled("the run was stopped")
            self._waiters.add(done)
        try:
            threading.Thread(target=work, name="model-call", daemon=True).start()
            done.wait()
        finally:
            with self._lock:
                self._waiters.discard(done)
        if "error" in box:
            raise box["error"]  # type: ignore[misc]
        if "value" not in box:
            raise Cancelled("the run was stopped during a model call")
        return box["value"]  # type: ignore[return-value]
