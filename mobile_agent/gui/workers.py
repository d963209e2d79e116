"""Work off the GUI thread: one serial queue per device, devices in parallel.

    job = services.workers.submit(serial, "run", lambda job: runner.run(task))
    job.on_cancel(runner.stop)          # what cancelling must also do (optional)
    workers.finished.connect(...)       # (job, result), on the GUI thread

Each device serial has its own thread, which runs that device's jobs one after the other,
so two jobs never drive one phone at once, while two phones work side by side. Signals are
emitted on the GUI thread (the worker hands them over through a queued connection), and
`EventBridge` does the same for the events of a run.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from mobile_agent.events import Event

log = logging.getLogger(__name__)

CANCELLED = "cancelled before it started"
_STOP = None  # what tells a worker thread to end
_ids = itertools.count(1)


class Job:
    """One unit of work on one device's queue."""

    def __init__(self, serial: str, name: str, work: Callable[[Job], Any]) -> None:
        self.id = next(_ids)
        self.serial = serial
        self.name = name
        self.work = work
        self.cancel = threading.Event()  # set by cancel_job(); the work must honour it
        self.done = threading.Event()  # set when the job has finished, failed or been dropped
        self.state = "queued"  # queued → running → finished | failed | cancelled
        self.result: Any = None
        self.error = ""
        self._on_cancel: list[Callable[[], Any]] = []
        self._lock = threading.Lock()

    def cancel_job(self) -> None:
        """Ask the job to stop: sets `cancel` and calls what `on_cancel` registered."""
        with self._lock:
            self.cancel.set()
            callbacks = list(self._on_cancel)
        for callback in callbacks:
            try:
                callback()
            except Exception:
                log.exception("cancelling %s", self)

    def on_cancel(self, callback: Callable[[], Any]) -> None:
        """Call `callback` when the job is cancelled (at once if it already is)."""
        with self._lock:
            if not self.cancel.is_set():
                self._on_cancel.append(callback)
                return
        callback()

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the job is over (not on the GUI thread); False on timeout."""
        return self.done.wait(timeout_s)

    def __repr__(self) -> str:
        return f"Job({self.id}, {self.name!r} on {self.serial!r}, {self.state})"


class _Lane:
    """The thread and queue of one device serial."""

    def __init__(self, serial: str, report: Callable[[str, Job, Any], None]) -> None:
        self.serial = serial
        self.report = report
        self.queue: queue.Queue[Job | None] = queue.Queue()
        self.current: Job | None = None
        self.thread = threading.Thread(target=self._loop, name=f"worker-{serial}", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while (job := self.queue.get()) is not _STOP:
            self.current = job
            try:
                self._run(job)
            finally:
                self.current = None
                job.done.set()

    def _run(self, job: Job) -> None:
        if job.cancelled:
            job.state, job.error = "cancelled", CANCELLED
            self.report("failed", job, CANCELLED)
            return
        job.state = "running"
        self.report("started", job, None)
        try:
            result = job.work(job)
        except BaseException as exc:  # the lane lives on for the device's next jobs
            job.state, job.error = "failed", _describe(exc)
            _log_failure(job, exc)
            self.report("failed", job, job.error)
            return
        job.state, job.result = "finished", result
        self.report("finished", job, result)

    def pending(self) -> list[Job]:
        """The jobs waiting in the queue (not the running one)."""
        with self.queue.mutex:
            return [job for job in self.queue.queue if job is not None]


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text else type(exc).__name__


def _log_failure(job: Job, exc: BaseException) -> None:
    from mobile_agent.errors import MobileAgentError

    if isinstance(exc, MobileAgentError):
        log.info("%s failed: %s", job, exc)
    else:
        log.error("%s failed", job, exc_info=exc)


class Workers(QObject):
    """One serial worker queue per device serial; signals on the GUI thread."""

    started = Signal(object)  # Job
    finished = Signal(object, object)  # Job, result
    failed = Signal(object, str)  # Job, error text
    _report = Signal(str, object, object)  # what a worker thread hands over (internal)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        to_gui_thread(self)
        self._lanes: dict[str, _Lane] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._report.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(self, serial: str, name: str, work: Callable[[Job], Any]) -> Job:
        """Queue `work(job)` on `serial`'s worker; it runs after that device's earlier jobs."""
        job = Job(serial, name, work)
        with self._lock:
            if self._closed:
                raise RuntimeError("the workers have been shut down")
            lane = self._lanes.get(serial)
            if lane is None:
                lane = self._lanes[serial] = _Lane(serial, self._hand_over)
            lane.queue.put(job)
        log.debug("queued %s", job)
        return job

    def jobs(self, serial: str | None = None) -> list[Job]:
        """The running and queued jobs (of `serial`, or of every device), oldest first."""
        with self._lock:
            lanes = [self._lanes[serial]] if serial in self._lanes else []
            if serial is None:
                lanes = list(self._lanes.values())
        found: list[Job] = []
        for lane in lanes:
            current = lane.current
            found += [current] if current is not None and not current.done.is_set() else []
            found += lane.pending()
        return found

    def busy(self, serial: str) -> bool:
        """Whether `serial` has a job running or waiting."""
        return bool(self.jobs(serial))

    def cancel(self, serial: str | None = None) -> None:
        """Cancel every running and queued job (of `serial`, or of every device)."""
        for job in self.jobs(serial):
            job.cancel_job()

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Cancel every job, end the worker threads and wait for them at most `timeout_s`."""
        with self._lock:
            self._closed = True
            lanes = list(self._lanes.values())
        self.cancel()
        for lane in lanes:
            lane.queue.put(_STOP)
        deadline = _Deadline(timeout_s)
        for lane in lanes:
            lane.thread.join(deadline.left())
            if lane.thread.is_alive():
                log.warning("the worker of %s did not end within %g s", lane.serial, timeout_s)

    # -- handing results to the GUI thread -------------------------------------------------
    def _hand_over(self, what: str, job: Job, value: Any) -> None:
        """Called on a worker thread: queue the signal for the GUI thread."""
        with contextlib.suppress(RuntimeError):  # the window (and this object) is gone
            self._report.emit(what, job, value)

    @Slot(str, object, object)
    def _deliver(self, what: str, job: Job, value: Any) -> None:
        if what == "started":
            self.started.emit(job)
        elif what == "finished":
            self.finished.emit(job, value)
        else:
            self.failed.emit(job, str(value))


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self._end - time.monotonic())


def to_gui_thread(obj: QObject) -> None:
    """Give `obj` (made on any thread, without a parent) to the GUI thread, where its
    queued slots run."""
    app = QCoreApplication.instance()
    if app is not None and obj.thread() is not app.thread() and obj.parent() is None:
        obj.moveToThread(app.thread())


class EventBridge(QObject):
    """A run `Listener` to call from any thread; `event` is emitted on the GUI thread, in
    the order the events were sent."""

    # a mobile_agent.events.Event; the name shadows QObject.event(), which Qt still finds
    # (a signal is not a Python override of the virtual)
    event = Signal(object)  # type: ignore[assignment]
    _relay = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        to_gui_thread(self)
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def __call__(self, event: Event) -> None:
        with contextlib.suppress(RuntimeError):  # the receiving view is gone
            self._relay.emit(event)

    @Slot(object)
    def _deliver(self, event: Event) -> None:
        self.event.emit(event)
