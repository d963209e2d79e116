"""Table models of the Library: the tips and shortcuts of the memory store, for Qt views.

    tips = TipsModel(services.open_store)        # any callable giving a new Store (closed after)
    proxy = LibraryProxy(tips)                   # search, status filter and sorting
    tips.setData(tips.index(0, TipsModel.TEXT), "Tap Save to keep a note")
    tips.set_status([0], Status.APPROVED); tips.delete([0])
    tips.export_to(path); tips.import_from(path, as_proposed=True)

A model reads its whole table on `reload()` (the store is small and local). Every change goes
through the store's own operations, so a shortcut's edit is stored as a new version, then the
item is read back (an edit) or the table reloaded (anything else). A write the store refuses
changes nothing and emits `failed` with the store's message; `changed` follows every write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import ValidationError
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from mobile_agent.errors import StoreError, describe_validation_error
from mobile_agent.memory import (
    ShortcutSpec,
    ShortcutVersion,
    Status,
    Store,
    StoredShortcut,
    Tip,
)
from mobile_agent.memory.transfer import (
    ImportReport,
    export_shortcuts,
    export_tips,
    import_shortcuts,
    import_tips,
    read_items,
    write_json,
)

log = logging.getLogger(__name__)

ITEM_ROLE = Qt.ItemDataRole.UserRole  # the Tip or StoredShortcut of the row
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # what the column sorts by (numbers as numbers)
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's searchable text, case folded
EDIT_NOTE = "edited in the library"  # kept with a shortcut version made by an edit
_STATUS_COLOURS = {Status.SUSPECT: QColor(178, 34, 34), Status.DISABLED: QColor(128, 128, 128)}

Item = TypeVar("Item", Tip, StoredShortcut)
Index = QModelIndex | QPersistentModelIndex
Opener = Callable[[], Store]


@dataclass(frozen=True)
class Column(Generic[Item]):
    """One column: its title, what it shows, what it sorts by, and the field an edit sets."""

    title: str
    show: Callable[[Item], str]
    sort: Callable[[Item], Any] | None = None  # default: the shown text, case folded
    field: str = ""  # the item's field an edit of this column changes ("" = read-only)


def _used(item: Tip | StoredShortcut) -> str:
    return f"{item.successes}/{item.uses}"


def _used_key(item: Tip | StoredShortcut) -> int:
    return item.uses * 1_000_000 + item.successes


def _run(item: Tip | StoredShortcut) -> str:
    return item.source_run or ""


def _updated(item: Tip | StoredShortcut) -> str:
    """When the item last changed, to the minute (UTC)."""
    return item.updated_at[:16].replace("T", " ")


class StoreTableModel(QAbstractTableModel, Generic[Item]):
    """The items of one kind in the store, one row each (see the module docstring)."""

    columns: ClassVar[Sequence[Column[Any]]] = ()
    what = "items"  # in messages: "tips", "shortcuts"

    failed = Signal(str)  # a write was refused: the store's message
    changed = Signal()  # a write went through (and the model shows it)

    def __init__(self, open_store: Opener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open = open_store
        self._items: list[Item] = []
        self._held: dict[str, str] = {}  # key → why it was held as suspect
        self.reload()

    # -- reading ------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every item again from the store."""
        try:
            with self._open() as store:
                items = self._load(store)
                held = {self.key(i): self._held_reason(store, i) for i in items if _suspect(i)}
        except StoreError as exc:
            log.error("cannot read the %s: %s", self.what, exc)
            self.failed.emit(str(exc))
            items, held = [], {}
        self.beginResetModel()
        self._items, self._held = items, held
        self.endResetModel()

    def item(self, row: int) -> Item:
        """The item shown in `row`."""
        return self._items[row]

    def items(self) -> list[Item]:
        """Every item, in the model's order."""
        return list(self._items)

    def row_of(self, key: str) -> int:
        """The row of the item with this key (`key(item)`), or -1."""
        return next((r for r, i in enumerate(self._items) if self.key(i) == key), -1)

    def held_reason(self, row: int) -> str:
        """Why the item in `row` was held as suspect ("" when it was not)."""
        return self._held.get(self.key(self._items[row]), "")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title if 0 <= section < len(self.columns) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        item, column = self._items[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(item)
        if role == Qt.ItemDataRole.EditRole:
            return str(getattr(item, column.field)) if column.field else column.show(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _STATUS_COLOURS.get(item.status)
        if role == ITEM_ROLE:
            return item
        if role == SORT_ROLE:
            return column.sort(item) if column.sort else column.show(item).casefold()
        if role == SEARCH_ROLE:
            return self._search_text(item)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].field:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _tooltip(self, item: Item, column: Column[Any]) -> str:
        reason = self._held.get(self.key(item), "")
        if column.title == "Status" and reason:
            return f"held as suspect: {reason}"
        return column.show(item)

    def _search_text(self, item: Item) -> str:
        return " ".join(c.show(item) for c in self.columns).casefold()

    # -- writing ------------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Edit the item's field of this column in the store; False (and `failed`) when the
        store refuses the value."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        column = self.columns[index.column()]
        if not column.field:
            return False
        row = index.row()
        item = self._items[row]
        if str(value).strip() == str(getattr(item, column.field)).strip():
            return True  # nothing to store (no new version for an unchanged text)
        edited = self._with_store(lambda store: self._edit(store, item, column.field, str(value)))
        if edited is None:
            return False
        self._items[row] = edited
        left, right = self.index(row, 0), self.index(row, len(self.columns) - 1)
        self.dataChanged.emit(left, right)
        self.changed.emit()
        return True

    def set_status(self, rows: Sequence[int], status: Status) -> bool:
        """Approve, disable or re-propose the items in `rows` (all or none)."""
        chosen = [self._items[r] for r in rows]

        def change(store: Store) -> None:
            with store.write():
                for item in chosen:
                    self._set_status(store, item, status)

        return self._write_and_reload(change)

    def delete(self, rows: Sequence[int]) -> bool:
        """Remove the items in `rows` from the store for good (all or none)."""
        chosen = [self._items[r] for r in rows]

        def remove(store: Store) -> None:
            with store.write():
                for item in chosen:
                    self._delete(store, item)

        return self._write_and_reload(remove)

    def export_to(self, path: Path) -> int | None:
        """Write every item to `path` as the CLI's export does; how many (None on failure)."""
        written: int | None = self._with_store(
            lambda store: _export_file(self._export(store), path)
        )
        return written

    def import_from(self, path: Path, *, as_proposed: bool = False) -> ImportReport | None:
        """Add the items of a file written by an export, all or nothing (as proposed, when
        asked: suspect ones stay suspect); what was done, or None when refused."""
        status = Status.PROPOSED if as_proposed else None

        def load(store: Store) -> ImportReport:
            return self._import(store, read_items(path), str(path), status)

        report: ImportReport | None = self._with_store(load)
        if report is not None:
            self.reload()
            self.changed.emit()
        return report

    def _write_and_reload(self, change: Callable[[Store], None]) -> bool:
        def work(store: Store) -> bool:
            change(store)
            return True

        done = self._with_store(work) is not None
        if done:
            self.reload()
            self.changed.emit()
        return done

    def _with_store(self, work: Callable[[Store], Any]) -> Any:
        """`work(store)` on a new connection; None (and `failed`) when the store refuses."""
        try:
            with self._open() as store:
                return work(store)
        except StoreError as exc:
            log.info("the store refused a change of %s: %s", self.what, exc)
            self.failed.emit(str(exc))
            return None

    # -- per kind -----------------------------------------------------------------------
    @staticmethod
    def key(item: Item) -> str:
        """What names the item across reloads (a tip's id, a shortcut's name)."""
        raise NotImplementedError

    def _load(self, store: Store) -> list[Item]:
        raise NotImplementedError

    def _held_reason(self, store: Store, item: Item) -> str:
        raise NotImplementedError

    def _edit(self, store: Store, item: Item, field: str, value: str) -> Item:
        raise NotImplementedError

    def _set_status(self, store: Store, item: Item, status: Status) -> None:
        raise NotImplementedError

    def _delete(self, store: Store, item: Item) -> None:
        raise NotImplementedError

    def _export(self, store: Store) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _import(
        self, store: Store, items: list[Any], source: str, status: Status | None
    ) -> ImportReport:
        raise NotImplementedError


def _suspect(item: Tip | StoredShortcut) -> bool:
    return item.status is Status.SUSPECT


def _export_file(items: list[dict[str, Any]], path: Path) -> int:
    write_json(items, path)
    return len(items)


class TipsModel(StoreTableModel[Tip]):
    """The tips of the store; the text and the app are editable."""

    ID, TEXT, APP, STATUS, USED, RUN, UPDATED = range(7)
    what = "tips"
    columns: ClassVar[Sequence[Column[Any]]] = (
        Column[Tip]("ID", lambda t: str(t.id), sort=lambda t: t.id),
        Column[Tip]("Tip", lambda t: t.text, field="text"),
        Column[Tip]("App", lambda t: t.app or "any", field="app"),
        Column[Tip]("Status", lambda t: str(t.status)),
        Column[Tip]("Used", _used, sort=_used_key),
        Column[Tip]("From run", _run),
        Column[Tip]("Updated", _updated, sort=lambda t: t.updated_at),
    )

    @staticmethod
    def key(item: Tip) -> str:
        return str(item.id)

    def _load(self, store: Store) -> list[Tip]:
        return store.tips.all()

    def _held_reason(self, store: Store, item: Tip) -> str:
        return store.tips.held_reason(_tip_id(item))

    def _edit(self, store: Store, item: Tip, field: str, value: str) -> Tip:
        return store.tips.edit(_tip_id(item), **{field: value})

    def _set_status(self, store: Store, item: Tip, status: Status) -> None:
        store.tips.set_status(_tip_id(item), status)

    def _delete(self, store: Store, item: Tip) -> None:
        store.tips.delete(_tip_id(item))

    def _export(self, store: Store) -> list[dict[str, Any]]:
        return export_tips(store)

    def _import(
        self, store: Store, items: list[Any], source: str, status: Status | None
    ) -> ImportReport:
        return import_tips(store, items, source=source, status=status)


def _tip_id(tip: Tip) -> int:
    if tip.id is None:  # never for a stored tip
        raise StoreError("this tip is not stored")
    return tip.id


def _arguments(shortcut: StoredShortcut) -> str:
    return ", ".join(f"{p.name}: {p.type}" for p in shortcut.params)


class ShortcutsModel(StoreTableModel[StoredShortcut]):
    """The shortcuts of the store; the description and the precondition are editable, and
    every edit is stored as a new version."""

    NAME, DESCRIPTION, STATUS, VERSION, ARGUMENTS, STEPS, USED, PRECONDITION, RUN, UPDATED = range(
        10
    )
    what = "shortcuts"
    columns: ClassVar[Sequence[Column[Any]]] = (
        Column[StoredShortcut]("Name", lambda s: s.name),
        Column[StoredShortcut]("Description", lambda s: s.description, field="description"),
        Column[StoredShortcut]("Status", lambda s: str(s.status)),
        Column[StoredShortcut]("Version", lambda s: str(s.version), sort=lambda s: s.version),
        Column[StoredShortcut]("Arguments", _arguments),
        Column[StoredShortcut]("Steps", lambda s: str(len(s.steps)), sort=lambda s: len(s.steps)),
        Column[StoredShortcut]("Used", _used, sort=_used_key),
        Column[StoredShortcut]("Precondition", lambda s: s.precondition, field="precondition"),
        Column[StoredShortcut]("From run", _run),
        Column[StoredShortcut]("Updated", _updated, sort=lambda s: s.updated_at),
    )

    @staticmethod
    def key(item: StoredShortcut) -> str:
        return item.name

    def _load(self, store: Store) -> list[StoredShortcut]:
        return store.shortcuts.all()

    def versions(self, row: int) -> list[ShortcutVersion]:
        """Every version of the shortcut in `row`, oldest first ([] when unreadable)."""
        name = self._items[row].name
        found: list[ShortcutVersion] | None = self._with_store(
            lambda store: store.shortcuts.versions(name)
        )
        return found or []

    def _held_reason(self, store: Store, item: StoredShortcut) -> str:
        return store.shortcuts.held_reason(item.name)

    def _edit(self, store: Store, item: StoredShortcut, field: str, value: str) -> StoredShortcut:
        current = store.shortcuts.get(item.name)
        try:
            spec = ShortcutSpec.model_validate({**current.spec().model_dump(), field: value})
        except ValidationError as exc:
            raise StoreError(
                f"invalid shortcut: {describe_validation_error(exc, 'shortcut')}"
            ) from None
        return store.shortcuts.update(spec, note=EDIT_NOTE)

    def _set_status(self, store: Store, item: StoredShortcut, status: Status) -> None:
        store.shortcuts.set_status(item.name, status)

    def _delete(self, store: Store, item: StoredShortcut) -> None:
        store.shortcuts.delete(item.name)

    def _export(self, store: Store) -> list[dict[str, Any]]:
        return export_shortcuts(store)

    def _import(
        self, store: Store, items: list[Any], source: str, status: Status | None
    ) -> ImportReport:
        return import_shortcuts(store, items, source=source, status=status)


class LibraryProxy(QSortFilterProxyModel):
    """Sorting (numbers as numbers) and filtering of a library model: every word of the
    search must appear in the row, and the row must have the chosen status (if any)."""

    def __init__(self, source: StoreTableModel[Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._status: Status | None = None
        self.setSortRole(SORT_ROLE)
        self.setSourceModel(source)

    def set_search(self, text: str) -> None:
        """Show only the rows holding every word of `text` (case ignored)."""
        self._refilter(lambda: setattr(self, "_words", text.casefold().split()))

    def set_status(self, status: Status | str | None) -> None:
        """Show only the rows with `status` (None or "": any)."""
        chosen = Status(status) if status else None
        self._refilter(lambda: setattr(self, "_status", chosen))

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(QSortFilterProxyModel, "Direction"):  # Qt 6.10 and later
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def source_row(self, row: int) -> int:
        """The source model's row shown as `row` here."""
        return self.mapToSource(self.index(row, 0)).row()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        item = model.data(index, ITEM_ROLE)
        if self._status is not None and item.status != self._status:
            return False
        text = str(model.data(index, SEARCH_ROLE))
        return all(word in text for word in self._words)
