"""How responsive the GUI thread stays during a run: a timer due every few milliseconds
records how late each tick comes (`LoopProbe`), while the scripted demo runs in the Run tab
of a real window (`measure_demo_runs`). `mobile-agent bench gui` prints the result.
"""

from __future__ import annotations

import logging
import math
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

TARGET_P99_MS = 50.0


@dataclass(frozen=True)
class LoopStats:
    """How late the probe's ticks came, in milliseconds past when they were due."""

    interval_ms: float
    ticks: int
    duration_s: float
    p50_late_ms: float
    p99_late_ms: float
    max_late_ms: float
    longest_stall_ms: float  # the longest time between two ticks

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(values: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0–100) of `values`, nearest rank; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


class LoopProbe(QObject):
    """A precise timer on the GUI thread that notes the gap between its ticks."""

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.gaps_ms: list[float] = []
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self._started = 0.0
        self._stopped = 0.0

    def start(self) -> None:
        self.gaps_ms.clear()
        self._started = self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._stopped = time.perf_counter()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps_ms.append((now - self._last) * 1000)
        self._last = now

    def stats(self) -> LoopStats:
        """What the ticks so far say."""
        late = [max(0.0, gap - self.interval_ms) for gap in self.gaps_ms]
        return LoopStats(
            interval_ms=self.interval_ms,
            ticks=len(self.gaps_ms),
            duration_s=round((self._stopped or time.perf_counter()) - self._started, 3),
            p50_late_ms=round(percentile(late, 50), 2),
            p99_late_ms=round(percentile(late, 99), 2),
            max_late_ms=round(max(late, default=0.0), 2),
            longest_stall_ms=round(max(self.gaps_ms, default=0.0), 2),
        )


@dataclass
class GuiLoopReport:
    """The loop's latency over the runs, and what the runs did."""

    stats: LoopStats
    states: list[str] = field(default_factory=list)
    events: int = 0
    frames: int = 0

    @property
    def ok(self) -> bool:
        """Every run succeeded and the p99 is within the target."""
        runs_ok = bool(self.states) and all(s == "succeeded" for s in self.states)
        return runs_ok and self.stats.p99_late_ms <= TARGET_P99_MS

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.stats.to_dict(),
            "target_p99_ms": TARGET_P99_MS,
            "runs": self.states,
            "events": self.events,
            "frames": self.frames,
            "ok": self.ok,
        }


def measure_demo_runs(
    runs: int = 1, interval_ms: int = 5, *, home: Path | None = None, timeout_s: float = 300.0
) -> GuiLoopReport:
    """Run the scripted demo `runs` times in the Run tab of a main window (over the data
    directory `home`, default a temporary one) while a `LoopProbe` watches the loop."""
    if home is not None:
        return _measure(runs, interval_ms, home, timeout_s)
    with tempfile.TemporaryDirectory(prefix="mobile-agent-gui-bench-") as tmp:
        return _measure(runs, interval_ms, Path(tmp), timeout_s)


def _measure(runs: int, interval_ms: int, home: Path, timeout_s: float) -> GuiLoopReport:
    from mobile_agent.gui.run_view import RunView
    from mobile_agent.gui.services import Services
    from mobile_agent.gui.window import MainWindow

    app = QApplication.instance() or QApplication(["mobile-agent-bench"])
    services = Services(home)
    window = MainWindow(services)
    report = GuiLoopReport(LoopProbe(interval_ms).stats())
    try:
        window.show()
        window.show_tab("Run")
        view = window.view("Run")
        assert isinstance(view, RunView), "the Run view could not be loaded"
        view.bridge.event.connect(lambda _e: _count(report, "events"))
        view.frames.frame.connect(lambda _f: _count(report, "frames"))
        view.run_finished.connect(lambda e: report.states.append(e.state.value))
        probe = LoopProbe(interval_ms)
        probe.start()
        for number in range(runs):
            _one_run(view, number, timeout_s)
        probe.stop()
        report.stats = probe.stats()
    finally:
        window.close()
        services.shutdown(timeout_s=15)
        app.processEvents()
    return report


def _count(report: GuiLoopReport, name: str) -> None:
    setattr(report, name, getattr(report, name) + 1)


def _one_run(view: Any, number: int, timeout_s: float) -> None:
    """The demo once, waiting (in the event loop) for its job to end."""
    loop = QEventLoop()
    view.job_ended.connect(loop.quit)
    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    limit.start(round(timeout_s * 1000))
    try:
        if view.run_demo() is None:
            raise RuntimeError("the demo could not start: a run is still going")
        loop.exec()
    finally:
        limit.stop()
        view.job_ended.disconnect(loop.quit)
    if view.run is not None:
        view.stop()
        raise TimeoutError(f"run {number + 1} did not end within {timeout_s:g} s")
