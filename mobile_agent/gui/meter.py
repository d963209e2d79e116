"""The run's meter: steps, model calls, tokens, cost and time, counted from the run's
events as they arrive (and set from the final summary at the end)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from mobile_agent.events import Event, ModelCalled, RunFinished, RunStarted, StepStarted

FIELDS = ("steps", "calls", "tokens", "cost", "time")
_TITLES = {
    "steps": "Steps",
    "calls": "Model calls",
    "tokens": "Tokens",
    "cost": "Cost",
    "time": "Time",
}


@dataclass
class Counts:
    """What the meter has counted so far."""

    steps: int = 0
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    elapsed_s: float = 0.0

    def texts(self) -> dict[str, str]:
        """The shown text of each field."""
        return {
            "steps": str(self.steps),
            "calls": str(self.calls),
            "tokens": f"{self.input_tokens:,} in / {self.output_tokens:,} out",
            "cost": f"${self.cost_usd:.4f}",
            "time": f"{self.elapsed_s:.1f} s",
        }


class Meter(QWidget):
    """A row of counters fed with `on_event`; the clock ticks while a run is going."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts = Counts()
        self._started: float | None = None  # monotonic time of the run's start, while running
        self._values: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, name in enumerate(FIELDS):
            title = QLabel(_TITLES[name])
            title.setStyleSheet("color: gray;")
            value = QLabel()
            value.setObjectName(f"meter_{name}")
            grid.addWidget(title, 0, column)
            grid.addWidget(value, 1, column)
            self._values[name] = value
        self._clock = QTimer(self)
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._tick)
        self._show()

    def text(self, name: str) -> str:
        """The shown value of one field (`FIELDS`)."""
        return self._values[name].text()

    def reset(self) -> None:
        """Zero every counter and stop the clock."""
        self.counts = Counts()
        self._started = None
        self._clock.stop()
        self._show()

    def on_event(self, event: Event) -> None:
        """Count what `event` says."""
        c = self.counts
        if isinstance(event, RunStarted):
            self.reset()
            self._started = time.monotonic()
            self._clock.start()
        elif isinstance(event, StepStarted):
            c.steps = max(c.steps, event.step)
        elif isinstance(event, ModelCalled):
            c.calls += 1
            c.input_tokens += event.usage.input_tokens
            c.output_tokens += event.usage.output_tokens
            c.cost_usd += event.usage.cost_usd
        elif isinstance(event, RunFinished):
            self._finished(event)
        else:
            return
        self._show()

    def _finished(self, event: RunFinished) -> None:
        s = event.summary
        self._clock.stop()
        self._started = None
        self.counts = Counts(
            s.steps,
            s.model_calls,
            s.usage.input_tokens,
            s.usage.output_tokens,
            s.usage.cost_usd,
            s.elapsed_s,
        )

    def _tick(self) -> None:
        if self._started is not None:
            self.counts.elapsed_s = time.monotonic() - self._started
            self._values["time"].setText(self.counts.texts()["time"])

    def _show(self) -> None:
        for name, text in self.counts.texts().items():
            self._values[name].setText(text)
