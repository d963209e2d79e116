"""The workers: one serial queue per device, devices in parallel, cancel, failures, signals
on the GUI thread, shutdown; and the event bridge."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThread

from mobile_agent.events import NotesUpdated, StepStarted
from mobile_agent.gui.workers import CANCELLED, EventBridge, Job, Workers

pytestmark = pytest.mark.gui


@pytest.fixture
def workers(qapp: Any) -> Iterator[Workers]:
    made = Workers()
    try:
        yield made
    finally:
        made.shutdown(timeout_s=5)


def _record(workers: Workers) -> list[tuple[str, Job, Any, bool]]:
    """Every signal as (name, job, value, emitted on the GUI thread)."""
    seen: list[tuple[str, Job, Any, bool]] = []
    gui = QThread.currentThread()

    def on(name: str) -> Any:
        return lambda job, value=None: seen.append(
            (name, job, value, QThread.currentThread() == gui)
        )

    workers.started.connect(on("started"))
    workers.finished.connect(on("finished"))
    workers.failed.connect(on("failed"))
    return seen


def test_jobs_of_one_device_run_in_order_one_at_a_time(qtbot: Any, workers: Workers) -> None:
    order: list[int] = []
    overlap = threading.Event()
    running = threading.Lock()

    def work(n: int) -> Any:
        def run(job: Job) -> int:
            if not running.acquire(blocking=False):
                overlap.set()
                return n
            try:
                time.sleep(0.02)
                order.append(n)
            finally:
                running.release()
            return n

        return run

    jobs = [workers.submit("phone-a", f"job {n}", work(n)) for n in range(5)]
    with qtbot.waitSignals([workers.finished] * 5, timeout=5000):
        pass
    assert order == [0, 1, 2, 3, 4]
    assert not overlap.is_set()
    assert [j.result for j in jobs] == [0, 1, 2, 3, 4]
    assert all(j.state == "finished" for j in jobs)


def test_two_devices_work_in_parallel(qtbot: Any, workers: Workers) -> None:
    both = threading.Barrier(2, timeout=3)

    def meet(job: Job) -> str:
        both.wait()  # only returns when the other device's job is running at the same time
        return threading.current_thread().name

    a = workers.submit("phone-a", "a", meet)
    b = workers.submit("phone-b", "b", meet)
    with qtbot.waitSignals([workers.finished, workers.finished], timeout=5000):
        pass
    assert a.state == b.state == "finished"
    assert a.result != b.result  # each device has its own thread


def test_signals_arrive_on_the_gui_thread(qtbot: Any, workers: Workers) -> None:
    seen = _record(workers)
    ok = workers.submit("p", "ok", lambda job: 42)
    bad = workers.submit("p", "bad", lambda job: 1 / 0)
    qtbot.waitUntil(lambda: len(seen) == 4, timeout=5000)
    assert [(name, job) for name, job, _, _ in seen] == [
        ("started", ok),
        ("finished", ok),
        ("started", bad),
        ("failed", bad),
    ]
    assert seen[1][2] == 42
    assert all(on_gui for *_, on_gui in seen)


def test_a_failed_job_signals_failed_with_its_error_and_the_queue_goes_on(
    qtbot: Any, workers: Workers
) -> None:
    def boom(job: Job) -> None:
        raise ValueError("the phone said no")

    with qtbot.waitSignal(workers.failed, timeout=5000) as failed:
        bad = workers.submit("p", "boom", boom)
    assert failed.args == [bad, "the phone said no"]
    assert bad.state == "failed" and bad.error == "the phone said no"
    with qtbot.waitSignal(workers.finished, timeout=5000) as done:
        workers.submit("p", "after", lambda job: "still working")
    assert done.args[1] == "still working"


def test_cancel_stops_the_running_job_and_drops_the_queued_one(
    qtbot: Any, workers: Workers
) -> None:
    entered = threading.Event()
    stopped_by: list[str] = []
    ran: list[str] = []

    def long(job: Job) -> str:
        job.on_cancel(lambda: stopped_by.append("callback"))
        entered.set()
        while not job.cancel.wait(0.01):
            pass
        return "stopped"

    seen = _record(workers)
    running = workers.submit("p", "long", long)
    queued = workers.submit("p", "queued", lambda job: ran.append("queued"))
    assert entered.wait(3)
    assert workers.busy("p") and workers.jobs("p") == [running, queued]
    queued.cancel_job()
    running.cancel_job()
    qtbot.waitUntil(lambda: queued.done.is_set() and running.done.is_set(), timeout=5000)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert running.result == "stopped" and stopped_by == ["callback"]
    assert ran == []  # the queued job never ran
    assert queued.state == "cancelled"
    assert ("failed", queued, CANCELLED, True) in seen
    assert not workers.busy("p")


def test_on_cancel_after_the_cancel_runs_at_once(workers: Workers) -> None:
    job = Job("p", "j", lambda job: None)
    job.cancel_job()
    called: list[int] = []
    job.on_cancel(lambda: called.append(1))
    assert called == [1]


def test_shutdown_cancels_running_jobs_waits_for_them_and_refuses_new_ones(
    qtbot: Any, workers: Workers
) -> None:
    entered = threading.Event()

    def long(job: Job) -> str:
        entered.set()
        job.cancel.wait(10)
        return "ended"

    job = workers.submit("p", "long", long)
    other = workers.submit("q", "long", long)
    assert entered.wait(3)
    started = time.monotonic()
    workers.shutdown(timeout_s=5)
    assert time.monotonic() - started < 2
    assert job.cancelled and other.cancelled
    assert job.done.is_set() and other.done.is_set()
    assert all(not t.is_alive() for t in threading.enumerate() if t.name.startswith("worker-p"))
    with pytest.raises(RuntimeError, match="shut down"):
        workers.submit("p", "late", lambda job: None)


def test_the_gui_thread_is_free_while_a_job_runs(qtbot: Any, workers: Workers) -> None:
    release = threading.Event()
    workers.submit("p", "blocker", lambda job: release.wait(5))
    ticks: list[float] = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    qtbot.wait(200)
    timer.stop()
    release.set()
    assert len(ticks) >= 5  # the event loop kept running while the worker was blocked


def test_the_event_bridge_delivers_events_in_order_on_the_gui_thread(qtbot: Any) -> None:
    bridge = EventBridge()
    gui = QThread.currentThread()
    got: list[tuple[Any, bool]] = []
    bridge.event.connect(lambda e: got.append((e, QThread.currentThread() == gui)))
    events = [StepStarted(run_id="r", step=n) for n in range(1, 50)]
    events.append(NotesUpdated(run_id="r", step=49, notes="done"))

    def send() -> None:
        for event in events:
            bridge(event)

    thread = threading.Thread(target=send)
    thread.start()
    thread.join(5)
    qtbot.waitUntil(lambda: len(got) == len(events), timeout=5000)
    assert [e for e, _ in got] == events
    assert all(on_gui for _, on_gui in got)


def test_a_bridge_made_on_a_worker_thread_still_delivers_on_the_gui_thread(
    qtbot: Any,
) -> None:
    box: dict[str, EventBridge] = {}
    thread = threading.Thread(target=lambda: box.setdefault("bridge", EventBridge()))
    thread.start()
    thread.join(5)
    bridge = box["bridge"]
    got: list[Any] = []
    bridge.event.connect(got.append)
    event = StepStarted(run_id="r", step=1)
    threading.Thread(target=bridge, args=(event,)).start()
    qtbot.waitUntil(lambda: got == [event], timeout=5000)
