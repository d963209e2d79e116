"""Table models of the History: the stored runs, the steps of one run, and what a step holds.

`RunsModel` and `StepsModel` are plain `QAbstractTableModel`s over rows read from the store
(`store.runs`); `RunsFilter` sorts them by their raw values and filters them by a search.
`RunDetail` is one run read whole (steps, screens, model calls) for the step viewer.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

if TYPE_CHECKING:
    from mobile_agent.memory.store import Store

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the raw value a column sorts by
RUN_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the run's id, on every column
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # the text a search looks in (casefolded)
RUNS_SHOWN = 1000  # most runs read from the store

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_GOOD = QColor("#17702a")
_BAD = QColor("#b00020")


# -- formatting ----------------------------------------------------------------------------
def kind_label(kind: str) -> str:
    """How a run's kind is shown: "run" for an agent task, "replay" for a shortcut replay."""
    return "run" if kind in ("task", "") else kind


def format_cost(usd: float | None) -> str:
    """Dollars with four decimals."""
    return f"${usd or 0.0:.4f}"


def format_elapsed(seconds: float | None) -> str:
    """A duration: "0.4 s", "12 s", "3 min 05 s", "1 h 02 min"."""
    s = float(seconds or 0.0)
    if s < 10:
        return f"{s:.1f} s"
    if s < 60:
        return f"{s:.0f} s"
    minutes, secs = divmod(round(s), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_date(iso: str | None) -> str:
    """A stored UTC timestamp in local time, to the minute ("" when missing)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:16].replace("T", " ")
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def action_text(action: dict[str, Any] | None) -> str:
    """An action as `name {args}` ("—" when there is none)."""
    if not action:
        return "—"
    args = json.dumps(action.get("args") or {}, ensure_ascii=False)
    return f"{action.get('name', '?')} {args}"


def state_color(state: str) -> QColor | None:
    """Green for a success, red for a failure, nothing otherwise."""
    if state in ("succeeded", "success", "finished"):
        return _GOOD
    if state in ("", "running"):
        return None
    return _BAD


# -- runs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column: its header, the row key it shows, and whether it holds a number."""

    header: str
    key: str
    numeric: bool = False


class _RowsModel(QAbstractTableModel):
    """A read-only table over a list of dicts, one per row."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section].header
        return None

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show these rows instead of the current ones."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> dict[str, Any]:
        """The row at `number` (as read from the store)."""
        return self._rows[number]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column.key)
        if role == SORT_ROLE:
            return self.sort_value(row, column.key)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return _RIGHT
        return self.extra(row, column.key, role)

    def display(self, row: dict[str, Any], key: str) -> str:
        """The text of one cell."""
        value = row.get(key)
        return "" if value is None else str(value)

    def sort_value(self, row: dict[str, Any], key: str) -> Any:
        """The value a cell sorts by."""
        value = row.get(key)
        return "" if value is None else value

    def extra(self, row: dict[str, Any], key: str, role: int) -> Any:
        """Any other role of one cell."""
        return None


class RunsModel(_RowsModel):
    """The stored runs, newest first: task, kind, device, state, steps, model calls, cost,
    time and date."""

    COLUMNS = (
        Column("Task", "task"),
        Column("Kind", "kind"),
        Column("Device", "device"),
        Column("State", "state"),
        Column("Steps", "steps", numeric=True),
        Column("Model calls", "model_calls", numeric=True),
        Column("Cost", "cost_usd", numeric=True),
        Column("Time", "elapsed_s", numeric=True),
        Column("Date", "started_at"),
    )

    def load(self, store: Store, limit: int = RUNS_SHOWN) -> None:
        """Read the newest `limit` runs from `store`."""
        self.set_rows(store.runs.all(limit=limit))

    def row_of(self, run_id: str) -> int:
        """The row of the run `run_id`, or of the only run whose id starts with it (-1)."""
        ids = [r["id"] for r in self._rows]
        if run_id in ids:
            return ids.index(run_id)
        matches = [n for n, i in enumerate(ids) if run_id and i.startswith(run_id)]
        return matches[0] if len(matches) == 1 else -1

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "kind":
            return kind_label(row.get("kind", ""))
        if key == "cost_usd":
            return format_cost(row.get("cost_usd"))
        if key == "elapsed_s":
            return format_elapsed(row.get("elapsed_s"))
        if key == "started_at":
            return format_date(row.get("started_at"))
        if key == "task":
            return " ".join(str(row.get("task", "")).split())
        return super().display(row, key)

    def sort_value(self, row: dict[str, Any], key: str) -> Any:
        if key == "kind":
            return kind_label(row.get("kind", ""))
        if key in ("task", "device", "state"):
            return str(row.get(key) or "").casefold()
        return super().sort_value(row, key)

    def extra(self, row: dict[str, Any], key: str, role: int) -> Any:
        if role == RUN_ID_ROLE:
            return row["id"]
        if role == SEARCH_ROLE:
            return _haystack(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _run_tooltip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "state":
            color = state_color(str(row.get("state", "")))
            return QBrush(color) if color is not None else None
        return None


def _haystack(row: dict[str, Any]) -> str:
    parts = (
        row.get("task"),
        kind_label(row.get("kind", "")),
        row.get("device"),
        row.get("state"),
        row.get("id"),
        row.get("reason"),
        row.get("answer"),
        format_date(row.get("started_at")),
    )
    return " ".join(str(p) for p in parts if p).casefold()


def _run_tooltip(row: dict[str, Any], key: str) -> str | None:
    if key == "task":
        return f"{row.get('task', '')}\n\nrun {row.get('id', '')}"
    if key == "state":
        return str(row.get("reason") or "") or None
    if key == "steps" and row.get("failed_steps"):
        return f"{row['failed_steps']} failed"
    if key == "model_calls":
        return f"{row.get('input_tokens', 0)} tokens in, {row.get('output_tokens', 0)} out"
    if key == "started_at":
        return f"started {row.get('started_at', '')}\nfinished {row.get('finished_at') or '—'}"
    return None


class RunsFilter(QSortFilterProxyModel):
    """Runs sorted by their raw values and kept when every word of the search is found in
    the task, kind, device, state, id, reason, answer or date."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_search(self, text: str) -> None:
        """Keep only the runs matching every word of `text` (all runs when it is blank)."""
        words = tuple(text.casefold().split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def search(self) -> str:
        """The current search, as words joined by spaces."""
        return " ".join(self._words)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        source = self.sourceModel()
        haystack = str(source.data(source.index(source_row, 0, source_parent), SEARCH_ROLE))
        return all(word in haystack for word in self._words)


# -- steps ---------------------------------------------------------------------------------
class StepsModel(_RowsModel):
    """The steps of one run: number, outcome, action, description, verdict, model calls,
    tokens, cost and time."""

    COLUMNS = (
        Column("#", "number", numeric=True),
        Column("Outcome", "outcome"),
        Column("Action", "action"),
        Column("Description", "description"),
        Column("Verdict", "verdict"),
        Column("Calls", "model_calls", numeric=True),
        Column("Tokens", "tokens", numeric=True),
        Column("Cost", "cost_usd", numeric=True),
        Column("Time", "time", numeric=True),
    )

    def row_of(self, number: int) -> int:
        """The row of step `number` (-1 when it is not there)."""
        return next((n for n, s in enumerate(self._rows) if s["number"] == number), -1)

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "action":
            return action_text(row.get("action"))
        if key == "tokens":
            return f"{row.get('input_tokens', 0)} / {row.get('output_tokens', 0)}"
        if key == "cost_usd":
            return format_cost(row.get("cost_usd"))
        if key == "time":
            return f"{_step_ms(row):.0f} ms"
        if key == "description":
            return " ".join(str(row.get("description", "")).split())
        return super().display(row, key)

    def sort_value(self, row: dict[str, Any], key: str) -> Any:
        if key == "action":
            return action_text(row.get("action"))
        if key == "tokens":
            return int(row.get("input_tokens", 0)) + int(row.get("output_tokens", 0))
        if key == "time":
            return _step_ms(row)
        return super().sort_value(row, key)

    def extra(self, row: dict[str, Any], key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and key in ("outcome", "verdict"):
            color = state_color(str(row.get(key, "")))
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and key in ("description", "action", "verdict"):
            text = {
                "description": row.get("description"),
                "action": action_text(row.get("action")),
                "verdict": row.get("feedback"),
            }[key]
            return str(text) if text else None
        return None


def _step_ms(row: dict[str, Any]) -> float:
    timings = row.get("timings") or {}
    return float(timings.get("total_ms", 0.0)) if isinstance(timings, dict) else 0.0


# -- one run, whole ------------------------------------------------------------------------
@dataclass(frozen=True)
class Shot:
    """One screen of a step as the viewer shows it."""

    label: str  # "before", "after", or "acted on (step 2, after)"
    path: Path | None  # the screenshot file (None when none was stored)
    elements: list[dict[str, Any]]
    acted_on: bool  # the screen the step's action was chosen on: the action is drawn on it


@dataclass
class RunDetail:
    """A run with its steps, screens and model calls, as the store holds them."""

    run: dict[str, Any]
    steps: list[dict[str, Any]] = field(default_factory=list)
    screens: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)

    @property
    def run_id(self) -> str:
        """The run's id."""
        return str(self.run["id"])

    def step(self, number: int) -> dict[str, Any] | None:
        """Step `number`, if it was stored."""
        return next((s for s in self.steps if s["number"] == number), None)

    def calls_of(self, number: int) -> list[dict[str, Any]]:
        """The model calls of step `number`, in order."""
        return _grouped(self.calls)[number]

    def shots_of(self, number: int) -> list[Shot]:
        """The screens of step `number`, the one its action was chosen on first: its own
        "before" screen, or else the last screen an earlier step saw (a step acts on the
        screen the previous one ended on unless it looks again)."""
        own = _grouped(self.screens)[number]
        shots = [self._shot(s, s["phase"], s["phase"] == "before") for s in own]
        if own and own[0]["phase"] == "before":
            return shots
        earlier = [s for s in self.screens if s["step"] < number and s["phase"] != "during"]
        if earlier:
            last = earlier[-1]
            label = f"acted on (step {last['step']}, {last['phase']})"
            shots.insert(0, self._shot(last, label, True))
        return shots

    def _shot(self, screen: dict[str, Any], label: str, acted_on: bool) -> Shot:
        base = self.run.get("dir") or ""
        name = screen.get("screenshot") or ""
        path = Path(base) / name if base and name else None
        return Shot(label, path, list(screen.get("elements") or []), acted_on)


def _grouped(rows: list[dict[str, Any]]) -> defaultdict[int, list[dict[str, Any]]]:
    grouped: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["step"]].append(row)
    return grouped


def load_run(store: Store, run_id: str) -> RunDetail:
    """The run `run_id` (a unique prefix is enough) read whole; `StoreError` when no run or
    more than one matches."""
    run = store.runs.get(run_id)
    return RunDetail(
        run=run,
        steps=store.runs.steps(run["id"]),
        screens=store.runs.screens(run["id"]),
        calls=store.runs.calls(run["id"]),
    )
