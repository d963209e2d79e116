"""The Library tab: the tips and shortcuts of the memory store, to review, edit and share.

    view = LibraryView(services)
    view.open_run.connect(window.show_run)       # "From run" and "Open run in History"

Each tab lists one kind of item (`library_models`): search, a status filter, sorting by any
column, editing in place (double-click: a tip's text and app, a shortcut's description and
precondition; every shortcut change is a new version), approve / disable / delete (delete and
approving a suspect item ask first), import / export of JSON files as the CLI writes them,
and the run an item was learned in. A shortcut can be replayed on a device
(`replay_dialog.ReplayDialog`). Both tabs reload when `services.runs_changed` fires.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mobile_agent.gui.library_details import RUN_SCHEME, shortcut_html, tip_html
from mobile_agent.gui.library_models import (
    ITEM_ROLE,
    LibraryProxy,
    ShortcutsModel,
    StoreTableModel,
    TipsModel,
)
from mobile_agent.memory import Status
from mobile_agent.memory.transfer import ImportReport

if TYPE_CHECKING:
    from mobile_agent.gui.replay_dialog import ReplayDialog
    from mobile_agent.gui.services import Services

log = logging.getLogger(__name__)

JSON_FILES = "JSON files (*.json);;All files (*)"
_ERROR_STYLE = "color: #b22222"
MAX_COLUMN_PX = 320  # the widest a column grows to fit its texts


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask a yes/no question (No is the default); True for yes."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class ItemsPanel(QWidget):
    """One tab of the Library: a searchable, sortable table of one kind of item, its
    details, and the buttons that act on the selected items."""

    open_run = Signal(str)  # the id of the run an item was learned in

    def __init__(
        self, model: StoreTableModel[Any], edit_column: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model, self.edit_column = model, edit_column
        self.proxy = LibraryProxy(model, self)
        self._kept: list[str] = []  # keys of the selection, across a reload
        self._build()
        self._connect()
        self._update()

    # -- building ---------------------------------------------------------------------
    def _build(self) -> None:
        what = self.model.what
        self.search = QLineEdit(placeholderText=f"Search {what}…", clearButtonEnabled=True)
        self.status_filter = QComboBox()
        self.status_filter.addItem("Any status", "")
        for status in Status:
            self.status_filter.addItem(str(status).capitalize(), str(status))
        self.count = QLabel()
        self.table = _table(self.proxy)
        self.details = QTextBrowser(openLinks=False)
        self.message = QLabel(wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.item_actions = QHBoxLayout()  # what acts on the selected items
        self.edit_button = self.add_button("Edit", self.edit)
        self.approve_button = self.add_button("Approve", self.approve)
        self.disable_button = self.add_button("Disable", self.disable)
        self.delete_button = self.add_button("Delete…", self.delete)
        self.run_button = self.add_button("Open source run", self.open_source_run)
        self.as_proposed = QCheckBox("Import as proposed")
        self.as_proposed.setChecked(True)
        self.as_proposed.setToolTip("Imported items wait for your approval before runs use them")
        self.import_button = _button("Import…", self.import_file)
        self.export_button = _button("Export…", self.export_file)
        buttons = QHBoxLayout()
        buttons.addLayout(self.item_actions)
        buttons.addStretch(1)
        for widget in (self.as_proposed, self.import_button, self.export_button):
            buttons.addWidget(widget)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status_filter)
        top.addWidget(self.count)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def add_button(self, text: str, slot: Callable[[], Any]) -> QPushButton:
        """A button acting on the selected items, in the row under the table."""
        button = _button(text, slot)
        self.item_actions.addWidget(button)
        return button

    def _connect(self) -> None:
        self.search.textChanged.connect(self.proxy.set_search)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData())
        )
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.proxy.rowsInserted.connect(lambda *_: self._update())
        self.proxy.rowsRemoved.connect(lambda *_: self._update())
        self.proxy.layoutChanged.connect(lambda *_: self._update())
        self.model.dataChanged.connect(lambda *_: self._update())
        self.model.modelAboutToBeReset.connect(self._keep_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.model.failed.connect(lambda text: self.say(text, error=True))
        self.details.anchorClicked.connect(self._link)

    # -- selection --------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        """The source rows of the selected items, in the order shown."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.proxy.source_row(r) for r in rows]

    def select_key(self, key: str) -> bool:
        """Select the item with this key (a tip's id, a shortcut's name); False if absent."""
        row = self.model.row_of(key)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _keep_selection(self) -> None:
        self._kept = [self.model.key(self.model.item(r)) for r in self.selected_rows()]

    def _restore_selection(self) -> None:
        for key in self._kept:
            row = self.model.row_of(key)
            index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else None
            if index is not None and index.isValid():
                flags = self.table.selectionModel().SelectionFlag
                self.table.selectionModel().select(index, flags.Select | flags.Rows)
        self._kept = []
        self._update()

    def _update(self) -> None:
        rows = self.selected_rows()
        for button in (self.approve_button, self.disable_button, self.delete_button):
            button.setEnabled(bool(rows))
        self.edit_button.setEnabled(len(rows) == 1)
        one = self.model.item(rows[0]) if len(rows) == 1 else None
        self.run_button.setEnabled(bool(one and one.source_run))
        self.count.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()}")
        self.details.setHtml(self._details(rows[0]) if one is not None else "")

    def _details(self, row: int) -> str:
        item, held = self.model.item(row), self.model.held_reason(row)
        if isinstance(self.model, ShortcutsModel):
            return shortcut_html(item, self.model.versions(row), held)
        return tip_html(item, held)

    # -- actions ----------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        """Show a line under the table (red for an error)."""
        self.message.setStyleSheet(_ERROR_STYLE if error else "")
        self.message.setText(text)

    def edit(self) -> None:
        """Start editing the selected item's main text in the table."""
        rows = self.table.selectionModel().selectedRows()
        if len(rows) == 1:
            self.table.edit(self.proxy.index(rows[0].row(), self.edit_column))

    def approve(self) -> bool:
        """Approve the selected items (asking first when one was held as suspect)."""
        rows = self.selected_rows()
        held = [
            f"{self.model.key(self.model.item(r))}: {self.model.held_reason(r) or 'suspect'}"
            for r in rows
            if self.model.item(r).status is Status.SUSPECT
        ]
        if held and not confirm(
            self,
            "Approve suspect items?",
            "These were held because something in them or in the screens they were learned "
            "from tries to instruct the agent:\n\n" + "\n".join(held) + "\n\nApprove them all "
            "the same? Runs will use them.",
        ):
            return False
        return self._set_status(rows, Status.APPROVED)

    def disable(self) -> bool:
        """Disable the selected items (kept, never used)."""
        return self._set_status(self.selected_rows(), Status.DISABLED)

    def _set_status(self, rows: list[int], status: Status) -> bool:
        names = self._names(rows)
        if not rows or not self.model.set_status(rows, status):
            return False
        self.say(f"{status}: {names}")
        return True

    def delete(self) -> bool:
        """Delete the selected items for good, once confirmed."""
        rows = self.selected_rows()
        names = self._names(rows)
        question = f"Delete {len(rows)} {self.model.what} for good?\n\n{names}"
        if not rows or not confirm(self, f"Delete {self.model.what}", question):
            return False
        if not self.model.delete(rows):
            return False
        self.say(f"deleted: {names}")
        return True

    def _names(self, rows: list[int]) -> str:
        return ", ".join(self.model.key(self.model.item(r)) for r in rows)

    def open_source_run(self) -> None:
        """Ask the window to show the run the selected item was learned in."""
        rows = self.selected_rows()
        run = self.model.item(rows[0]).source_run if len(rows) == 1 else None
        if run:
            self.open_run.emit(run)

    def _link(self, url: QUrl) -> None:
        if url.scheme() == RUN_SCHEME and url.path():
            self.open_run.emit(url.path())

    def export_file(self, path: Path | None = None) -> int | None:
        """Write every item to a JSON file (asked for when `path` is None)."""
        what = self.model.what
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, f"Export {what}", f"{what}.json", JSON_FILES
            )
            if not chosen:
                return None
            path = Path(chosen)
        count = self.model.export_to(path)
        if count is not None:
            self.say(f"wrote {count} {what} to {path}")
        return count

    def import_file(self, path: Path | None = None) -> ImportReport | None:
        """Add the items of a JSON file (asked for when `path` is None), all or nothing."""
        what = self.model.what
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, f"Import {what}", "", JSON_FILES)
            if not chosen:
                return None
            path = Path(chosen)
        report = self.model.import_from(path, as_proposed=self.as_proposed.isChecked())
        if report is not None:
            self.say(_import_summary(report, what))
        return report


def _button(text: str, slot: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def _table(proxy: LibraryProxy) -> QTableView:
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    triggers = QAbstractItemView.EditTrigger
    table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMaximumSectionSize(MAX_COLUMN_PX)  # long texts are cut; their tooltip has all
    header.setStretchLastSection(True)
    return table


def _import_summary(report: ImportReport, what: str) -> str:
    text = f"{len(report.added)} {what} added"
    if report.updated:
        text += f", {len(report.updated)} given a new version"
    text += f", {len(report.unchanged)} already stored"
    if report.held:
        text += f"; held as suspect, unused until approved: {', '.join(report.held)}"
    return text


class LibraryView(QWidget):
    """The Library: a "Tips" and a "Shortcuts" tab over the memory store.

    Signal `open_run(str)`: the user asked to see a run (the one an item was learned in, or a
    replay just made); the window shows it in History.
    """

    open_run = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tips_model = TipsModel(services.open_store, self)
        self.shortcuts_model = ShortcutsModel(services.open_store, self)
        self.tips = ItemsPanel(self.tips_model, TipsModel.TEXT)
        self.shortcuts = ItemsPanel(self.shortcuts_model, ShortcutsModel.DESCRIPTION)
        self.replay_button = self.shortcuts.add_button("Replay on device…", self.replay_selected)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tips, "Tips")
        self.tabs.addTab(self.shortcuts, "Shortcuts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.replays: dict[str, ReplayDialog] = {}
        for panel in (self.tips, self.shortcuts):
            panel.open_run.connect(self.open_run)
        self.shortcuts.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.shortcuts_model.modelReset.connect(self._update)
        services.runs_changed.connect(self.reload)
        services.settings_changed.connect(lambda _settings: self.reload())
        self._update()

    def reload(self) -> None:
        """Read the tips and shortcuts again (selections are kept)."""
        self.tips_model.reload()
        self.shortcuts_model.reload()

    def _update(self) -> None:
        self.replay_button.setEnabled(len(self.shortcuts.selected_rows()) == 1)

    def replay_selected(self) -> ReplayDialog | None:
        """Open the replay dialog of the selected shortcut."""
        rows = self.shortcuts.selected_rows()
        if len(rows) != 1:
            return None
        return self.replay(self.shortcuts_model.item(rows[0]).name)

    def replay(self, name: str) -> ReplayDialog | None:
        """Open (or bring back) the dialog that replays the shortcut `name` on a device."""
        from mobile_agent.gui.replay_dialog import ReplayDialog

        row = self.shortcuts_model.row_of(name)
        if row < 0:
            return None
        shortcut = self.shortcuts_model.data(self.shortcuts_model.index(row, 0), ITEM_ROLE)
        dialog = self.replays.get(name)
        if dialog is None:
            dialog = ReplayDialog(self.services, shortcut, self)
            dialog.open_run.connect(self.open_run)
            self.replays[name] = dialog
        elif not dialog.running:
            dialog.set_shortcut(shortcut)
        dialog.show()
        dialog.raise_()
        return dialog
