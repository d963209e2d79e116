"""Running a batch: one worker thread per device, each running its tasks one after another.

The caller says how to open a device (`OpenDevice`) and how to run one task on it
(`RunTask`, which builds a runner the way `mobile-agent run` does); this module decides
who runs what (`TaskQueue`), keeps the live `Board`, and turns every task into one
`TaskResult`. A device that cannot be opened, or whose task ends `device_lost`, stops its
queue; the other devices go on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mobile_agent.errors import DeviceError, MobileAgentError
from mobile_agent.events import FinalState, RunStarted, StepStarted
from mobile_agent.fleet.board import Board
from mobile_agent.fleet.queue import TaskQueue
from mobile_agent.fleet.tasks import BatchTask

if TYPE_CHECKING:
    from mobile_agent.device.base import Device
    from mobile_agent.events import Event, RunResult

log = logging.getLogger(__name__)

NOT_RUN = "not_run"
DEVICE_LOST = FinalState.DEVICE_LOST.value


@dataclass(frozen=True, slots=True)
class TaskResult:
    """How one task of a batch ended."""

    task: BatchTask
    device: str
    outcome: str  # a `FinalState` value, or "not_run"
    steps: int = 0
    duration_s: float = 0.0
    run_id: str = ""
    reason: str = ""

    @property
    def succeeded(self) -> bool:
        return self.outcome == FinalState.SUCCEEDED.value

    def to_json(self) -> dict[str, Any]:
        """The JSON form `batch --json` prints."""
        return {
            "index": self.task.index + 1,
            "task": self.task.task,
            "device": self.device,
            "outcome": self.outcome,
            "steps": self.steps,
            "duration_s": round(self.duration_s, 3),
            "run_id": self.run_id or None,
            "reason": self.reason,
        }


class TaskWatch:
    """Given to `RunTask`: pass it every run event (`add_listener`), and the runner's stop
    (`on_stop`) as soon as there is a runner."""

    def __init__(self, board: Board, serial: str) -> None:
        self.board = board
        self.serial = serial
        self.run_id = ""
        self._lock = threading.Lock()
        self._stop: Callable[[], None] | None = None
        self._stopped = False

    def __call__(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.run_id = event.run_id
        elif isinstance(event, StepStarted):
            self.board.update(self.serial, step=event.step)

    def on_stop(self, stop: Callable[[], None]) -> None:
        """How to stop the run; called at once when a stop came before the runner."""
        with self._lock:
            self._stop = stop
            stopped = self._stopped
        if stopped:
            stop()

    def stop(self) -> None:
        """Stop the run (now, or as soon as `on_stop` gives the way)."""
        with self._lock:
            self._stopped = True
            stop = self._stop
        if stop is not None:
            stop()


OpenDevice = Callable[[str, ExitStack], "Device"]
RunTask = Callable[["Device", BatchTask, TaskWatch], "RunResult"]


class Batch:
    """Tasks over devices: `run()` blocks until every task has a result; `stop()` (from any
    thread) stops the runs in flight and hands out nothing more. `on_start(serial, task)` and
    `on_result(result)` are called on the workers' threads as tasks start and end."""

    def __init__(
        self,
        tasks: Iterable[BatchTask],
        serials: list[str],
        open_device: OpenDevice,
        run_task: RunTask,
        *,
        on_start: Callable[[str, BatchTask], None] | None = None,
        on_result: Callable[[TaskResult], None] | None = None,
    ) -> None:
        self.tasks = list(tasks)
        self.serials = list(dict.fromkeys(serials))
        self.board = Board(self.serials)
        self.board.total = len(self.tasks)
        self.lost: dict[str, str] = {}  # serial → why it was lost
        self._open, self._run_task = open_device, run_task
        self._on_start, self._on_result = on_start, on_result
        self._queue = TaskQueue(self.tasks, self.serials)
        self._results: list[TaskResult] = []
        self._lock = threading.Lock()
        self._watches: dict[str, TaskWatch] = {}
        self._stopped = threading.Event()
        self.done = threading.Event()
        for task in self._queue.unknown_devices:
            self._add(
                TaskResult(task, task.device or "", NOT_RUN, reason="not a device of this batch")
            )

    def start(self) -> list[threading.Thread]:
        """Start one worker thread per device; `done` is set when all have ended."""
        threads = [
            threading.Thread(target=self._work, args=(s,), name=f"batch-{s}", daemon=True)
            for s in self.serials
        ]
        for thread in threads:
            thread.start()
        threading.Thread(target=self._finish, args=(threads,), daemon=True).start()
        return threads

    def run(self) -> list[TaskResult]:
        """Run every task and return the results in file order."""
        self.start()
        self.done.wait()
        return self.results()

    def results(self) -> list[TaskResult]:
        """The results so far, in file order; after a stop, the tasks not run are included."""
        with self._lock:
            seen = {r.task.index for r in self._results}
            missing = [
                TaskResult(t, t.device or "", NOT_RUN, reason="the batch was stopped")
                for t in self.tasks
                if t.index not in seen
            ]
            return sorted([*self._results, *missing], key=lambda r: r.task.index)

    def stop(self) -> None:
        """Stop the runs in flight (after their step) and start no more tasks."""
        self._stopped.set()
        with self._lock:
            watches = list(self._watches.values())
        for watch in watches:
            watch.stop()

    def _finish(self, threads: list[threading.Thread]) -> None:
        for thread in threads:
            thread.join()
        self.done.set()

    def _work(self, serial: str) -> None:
        with ExitStack() as stack:
            self.board.update(serial, state="connecting")
            try:
                device = self._open(serial, stack)
            except MobileAgentError as exc:
                self._lose(serial, f"could not be used: {exc}")
                return
            self.board.update(serial, state="idle")
            while not self._stopped.is_set() and (task := self._queue.next_for(serial)):
                result = self._run_one(device, serial, task)
                if result.outcome == DEVICE_LOST:
                    self._lose(serial, result.reason)
                    return
            self.board.update(serial, state="finished" if not self._stopped.is_set() else "stopped")

    def _run_one(self, device: Device, serial: str, task: BatchTask) -> TaskResult:
        watch = TaskWatch(self.board, serial)
        with self._lock:
            self._watches[serial] = watch
        if self._stopped.is_set():  # a stop between taking the task and here
            watch.stop()
        self.board.started(serial, task)
        if self._on_start is not None:
            self._on_start(serial, task)
        started = time.monotonic()
        try:
            run = self._run_task(device, task, watch)
            outcome, steps, reason = run.state.value, run.steps, run.reason
        except DeviceError as exc:
            outcome, steps, reason = DEVICE_LOST, 0, str(exc)
        except MobileAgentError as exc:
            outcome, steps, reason = FinalState.FAILED.value, 0, str(exc)
        except Exception as exc:  # one task's bug must not end the other devices' work
            log.exception("task %d on %s failed unexpectedly", task.index + 1, serial)
            outcome, steps, reason = FinalState.FAILED.value, 0, f"internal error: {exc!r}"
        finally:
            with self._lock:
                self._watches.pop(serial, None)
        result = TaskResult(
            task, serial, outcome, steps, time.monotonic() - started, watch.run_id, reason
        )
        self._add(result)
        self.board.finished(serial, outcome)
        return result

    def _lose(self, serial: str, reason: str) -> None:
        log.warning("device %s lost: %s", serial, reason)
        self.lost[serial] = reason
        self.board.update(serial, state="lost")
        for task in self._queue.lose(serial):
            why = f"device {serial} was lost" if task.device else "no device was left"
            self._add(TaskResult(task, task.device or "", NOT_RUN, reason=why))

    def _add(self, result: TaskResult) -> None:
        with self._lock:
            self._results.append(result)
        if self._on_result is not None:
            self._on_result(result)
