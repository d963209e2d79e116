"""The History: past runs and replays, searchable and sortable, each opened step by step,
and exported as the one-file HTML report.

The view reads the store on the GUI thread (a few small queries); the HTML report, which
encodes every screenshot, is written on a pool thread. It reloads when a run is stored
(`services.runs_changed`) or the settings change (the database may have moved).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QModelIndex,
    Qt,
    QThreadPool,
    Signal,
    SignalInstance,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mobile_agent.errors import MobileAgentError
from mobile_agent.gui.history_models import (
    RUN_ID_ROLE,
    RunDetail,
    RunsFilter,
    RunsModel,
    StepsModel,
    format_cost,
    format_elapsed,
    kind_label,
    load_run,
)
from mobile_agent.gui.step_viewer import StepViewer

if TYPE_CHECKING:
    from mobile_agent.gui.services import Services

log = logging.getLogger(__name__)

_DATE_COLUMN = 8  # RunsModel's "Date"


class HistoryView(QWidget):
    """Past runs (task, kind, device, state, steps, model calls, cost, time, date), the steps
    of the selected one, and the step viewer."""

    exported = Signal(str)  # the path of a report written
    export_failed = Signal(str)  # why a report could not be written

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.detail: RunDetail | None = None
        self._load_error = ""  # why the runs could not be read, while it lasts
        self.runs = RunsModel(self)
        self.filter = RunsFilter(self)
        self.filter.setSourceModel(self.runs)
        self.steps = StepsModel(self)
        self.search = QLineEdit()
        self.count = QLabel()
        self.status = QLabel()
        self.header = QLabel()
        self.export_button = QPushButton("Export as HTML…")
        self.runs_table = _table(self.filter, sortable=True)
        self.steps_table = _table(self.steps, sortable=False)
        self.viewer = StepViewer()
        self._build()
        self._connect()
        self.reload()

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.search.setPlaceholderText("Search task, state, device, kind, id…")
        self.search.setClearButtonEnabled(True)
        refresh = QPushButton("Refresh")
        refresh.setToolTip("Read the runs from the store again")
        refresh.clicked.connect(self.reload)
        self.export_button.setToolTip("Write the selected run as a one-file HTML report")
        self.export_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(refresh)
        self.header.setTextFormat(Qt.TextFormat.PlainText)  # run text is data, never markup
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.runs_table)
        split.addWidget(self._details())
        split.setStretchFactor(1, 1)
        split.setSizes([220, 680])
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(split, 1)
        outer.addWidget(self.status)
        _fit_columns(self.runs_table, stretch=0)
        _fit_columns(self.steps_table, stretch=3)
        self.runs_table.sortByColumn(_DATE_COLUMN, Qt.SortOrder.DescendingOrder)

    def _details(self) -> QWidget:
        """The selected run: its summary, its steps and the step viewer."""
        bar = QHBoxLayout()
        bar.addWidget(self.header, 1)
        bar.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.steps_table)
        lower.addWidget(self.viewer)
        lower.setStretchFactor(1, 1)
        lower.setSizes([480, 920])
        details = QWidget()
        column = QVBoxLayout(details)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(lower, 1)
        return details

    def _connect(self) -> None:
        self.search.textChanged.connect(self._search_changed)
        self.runs_table.selectionModel().selectionChanged.connect(self._run_selected)
        self.steps_table.selectionModel().currentRowChanged.connect(self._step_selected)
        self.export_button.clicked.connect(self._ask_export)
        self.exported.connect(lambda path: self._export_done(f"Wrote {path}"))
        self.export_failed.connect(self._export_done)
        self.services.runs_changed.connect(self.reload)
        self.services.settings_changed.connect(self.reload)

    # -- the runs -----------------------------------------------------------------------
    def reload(self) -> None:
        """Read the runs again, keeping the selected run and step when they are still there."""
        keep_run = self.current_run_id()
        keep_step = self.viewer.shown_step()
        try:
            with self.services.open_store() as store:
                self.runs.load(store)
        except MobileAgentError as exc:
            log.warning("cannot read the runs: %s", exc)
            self.runs.set_rows([])
            self._load_error = f"Cannot read the runs: {exc}"
            self.status.setText(self._load_error)
        else:
            if self._load_error and self.status.text() == self._load_error:
                self.status.clear()
            self._load_error = ""
        self._show_count()
        if keep_run and self._select(keep_run):
            self._show_run(keep_run, keep_step)
        else:
            self._show_run(None)

    def open_run(self, run_id: str) -> bool:
        """Select and show the run `run_id` (a unique prefix is enough), clearing the search
        if it hides the run; False (and a message) when no stored run matches."""
        if self.runs.row_of(run_id) < 0:
            self.reload()
        if self.runs.row_of(run_id) < 0:
            self.status.setText(f"No stored run matches {run_id!r}.")
            return False
        if not self._select(run_id):
            self.search.clear()
            self._select(run_id)
        return True

    def current_run_id(self) -> str | None:
        """The id of the run shown (None when none is)."""
        return self.detail.run_id if self.detail is not None else None

    def _select(self, run_id: str) -> bool:
        """Select the run's row in the table (False when the search hides it)."""
        source = self.runs.index(self.runs.row_of(run_id), 0)
        index = self.filter.mapFromSource(source)
        if not index.isValid():
            return False
        flags = (
            self.runs_table.selectionModel().SelectionFlag.ClearAndSelect
            | self.runs_table.selectionModel().SelectionFlag.Rows
        )
        self.runs_table.selectionModel().setCurrentIndex(index, flags)
        self.runs_table.scrollTo(index)
        return True

    def _search_changed(self, text: str) -> None:
        self.filter.set_search(text)
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self.filter.rowCount(), self.runs.rowCount()
        self.count.setText(f"{total} runs" if shown == total else f"{shown} of {total} runs")

    def _run_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        run_id = indexes[0].data(RUN_ID_ROLE) if indexes else None
        if run_id != self.current_run_id():
            self._show_run(run_id)

    # -- one run --------------------------------------------------------------------------
    def _show_run(self, run_id: str | None, step: int | None = None) -> None:
        """Read the run `run_id` whole and show it at step `step` (or its first step)."""
        self.detail = None
        if run_id:
            try:
                with self.services.open_store() as store:
                    self.detail = load_run(store, run_id)
            except MobileAgentError as exc:
                self.status.setText(f"Cannot read run {run_id}: {exc}")
        detail = self.detail
        self.steps.set_rows(detail.steps if detail else [])
        self.header.setText(_run_summary(detail) if detail else self._hint())
        self.export_button.setEnabled(detail is not None)
        row = self.steps.row_of(step) if step is not None else -1
        row = row if row >= 0 else 0
        if detail and detail.steps:
            self.steps_table.setCurrentIndex(self.steps.index(row, 0))
        else:
            self.viewer.show_step(detail, None)

    def _hint(self) -> str:
        """What the header says when no run is shown."""
        if self.runs.rowCount():
            return "Select a run to see its steps."
        return (
            "No runs stored yet. A task run from the Run tab (or `mobile-agent run`) and a "
            "shortcut replayed from the Library appear here, step by step."
        )

    def _step_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        number = self.steps.row(current.row())["number"] if current.isValid() else None
        self.viewer.show_step(self.detail, number)

    # -- the report -----------------------------------------------------------------------
    def _ask_export(self) -> None:
        run_id = self.current_run_id()
        if run_id is None:
            return
        suggested = str(Path.home() / f"run-{run_id}.html")
        name, _ = QFileDialog.getSaveFileName(
            self, "Export the run as HTML", suggested, "HTML report (*.html)"
        )
        if name:
            self.export_html(Path(name))

    def export_html(self, path: Path) -> None:
        """Write the selected run's HTML report to `path` on a pool thread; `exported` or
        `export_failed` says how it went."""
        run_id = self.current_run_id()
        if run_id is None:
            return
        self.export_button.setEnabled(False)
        self.status.setText(f"Writing {path}…")
        QThreadPool.globalInstance().start(lambda: self._write_report(run_id, path))

    def _write_report(self, run_id: str, path: Path) -> None:
        """On a pool thread: the report written with a connection of its own."""
        from mobile_agent.memory.report import run_html
        from mobile_agent.memory.transfer import write_text

        try:
            with self.services.open_store() as store:
                text = run_html(store, run_id)
            write_text(text, path)
        except Exception as exc:  # a broken screenshot or file: said, not lost on a thread
            if not isinstance(exc, MobileAgentError | OSError):
                log.exception("exporting run %s failed", run_id)
            self._tell(self.export_failed, f"Cannot export run {run_id}: {exc}")
        else:
            self._tell(self.exported, str(path))

    def _tell(self, signal: SignalInstance, text: str) -> None:
        """Emit from the pool thread, unless the view is gone (the window closed)."""
        try:
            signal.emit(text)
        except RuntimeError:
            log.info("the History closed before the report was done: %s", text)

    def _export_done(self, message: str) -> None:
        self.status.setText(message)
        self.export_button.setEnabled(self.detail is not None)


def _run_summary(detail: RunDetail) -> str:
    run = detail.run
    lines = [
        " ".join(str(run.get("task", "")).split()),
        f"{kind_label(run.get('kind', ''))} {run['id']} on {run.get('device') or '?'} — "
        f"{run.get('state', '')}: {run.get('reason') or '—'}",
        f"{run.get('steps', 0)} steps, {run.get('model_calls', 0)} model calls, "
        f"{run.get('input_tokens', 0)} / {run.get('output_tokens', 0)} tokens, "
        f"{format_cost(run.get('cost_usd'))}, {format_elapsed(run.get('elapsed_s'))}",
    ]
    if run.get("answer"):
        lines.append(f"Answer: {run['answer']}")
    if run.get("plan"):
        lines.append("Plan: " + " → ".join(str(p) for p in run["plan"]))
    return "\n".join(lines)


def _fit_columns(table: QTableView, *, stretch: int) -> None:
    """Columns as wide as their contents, but `stretch`, which takes the rest."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def _table(model: QAbstractItemModel, *, sortable: bool) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(sortable)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(False)
    return table
