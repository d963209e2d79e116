"""The Library's table models over a real SQLite store in a tmp dir, without views: rows,
columns, roles, sorting and filtering through the proxy, edits, review and transfer."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from mobile_agent.gui.library_details import shortcut_html, tip_html
from mobile_agent.gui.library_models import (
    EDIT_NOTE,
    ITEM_ROLE,
    SORT_ROLE,
    LibraryProxy,
    ShortcutsModel,
    TipsModel,
)
from mobile_agent.memory import ShortcutSpec, Status, Store

pytestmark = pytest.mark.gui

DISPLAY, EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole


def note_spec(name: str = "new_note", **changes: Any) -> ShortcutSpec:
    """A shortcut that creates a note with a title in the virtual phone's Notes app."""
    data: dict[str, Any] = {
        "name": name,
        "description": "Create a note with a title in the Notes app",
        "params": [{"name": "title", "type": "string", "description": "the note's title"}],
        "precondition": "The Notes app is installed",
        "guard": {"app": "com.android.launcher3"},
        "steps": [
            {"action": "open_app", "args": {"app": "Notes"}},
            {"action": "tap", "args": {"label": "New note"}},
            {"action": "type", "args": {"label": "Title", "text": "{title}"}},
            {"action": "tap", "args": {"label": "Save"}},
        ],
    }
    return ShortcutSpec.model_validate({**data, **changes})


def wifi_spec() -> ShortcutSpec:
    """A second shortcut, with other steps (two with the same steps are refused)."""
    return ShortcutSpec.model_validate(
        {
            "name": "open_wifi",
            "description": "Open the Wi-Fi settings",
            "steps": [
                {"action": "open_app", "args": {"app": "Settings"}},
                {"action": "tap", "args": {"label": "Wi-Fi"}},
            ],
        }
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store file with three tips and two shortcuts, some used."""
    path = tmp_path / "memory.db"
    with Store.open(path) as store:
        store.tips.add("Save a note with the Save button", app="com.example.notes")
        store.tips.add("Swipe down to see the notifications", status=Status.APPROVED)
        third = store.tips.add("Alarms live in the Clock app", source_run="run-abc", source_step=2)
        store.tips.record_use([third.id or 0], succeeded=True)
        store.tips.record_use([third.id or 0], succeeded=False)
        store.shortcuts.add(note_spec(), status=Status.APPROVED, source_run="run-xyz")
        store.shortcuts.add(wifi_spec())
        for ok in (True, True, False):
            store.shortcuts.record_result("open_wifi", ok)
    return path


@pytest.fixture
def opener(db: Path) -> Callable[[], Store]:
    return lambda: Store.open(db)


@pytest.fixture
def reader(db: Path) -> Iterator[Store]:
    """A connection of its own, to check what the models wrote."""
    with Store.open(db) as store:
        yield store


def _tested(model: Any) -> QAbstractItemModelTester:
    return QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)


def _column(model: Any, column: int, role: int = DISPLAY) -> list[Any]:
    return [model.index(r, column).data(role) for r in range(model.rowCount())]


# -- reading -----------------------------------------------------------------------------------
def test_the_tips_model_shows_every_tip_with_its_columns(opener: Callable[[], Store]) -> None:
    model = TipsModel(opener)
    _tested(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["ID", "Tip", "App", "Status", "Used", "From run", "Updated"]
    assert model.rowCount() == 3
    assert _column(model, TipsModel.ID) == ["1", "2", "3"]
    assert _column(model, TipsModel.STATUS) == ["proposed", "approved", "proposed"]
    assert _column(model, TipsModel.APP) == ["com.example.notes", "any", "any"]
    assert _column(model, TipsModel.APP, EDIT) == ["com.example.notes", "", ""]
    assert _column(model, TipsModel.USED) == ["0/0", "0/0", "1/2"]
    assert _column(model, TipsModel.RUN) == ["", "", "run-abc"]
    assert model.index(0, 0).data(ITEM_ROLE).text == "Save a note with the Save button"
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    # only the text and the app can be edited
    editable = [
        bool(model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable)
        for c in range(model.columnCount())
    ]
    assert editable == [False, True, True, False, False, False, False]


def test_the_shortcuts_model_shows_versions_arguments_and_use(
    opener: Callable[[], Store],
) -> None:
    model = ShortcutsModel(opener)
    _tested(model)
    assert _column(model, ShortcutsModel.NAME) == ["new_note", "open_wifi"]
    assert _column(model, ShortcutsModel.ARGUMENTS) == ["title: string", ""]
    assert _column(model, ShortcutsModel.STEPS) == ["4", "2"]
    assert _column(model, ShortcutsModel.USED) == ["0/0", "2/3"]
    assert _column(model, ShortcutsModel.RUN) == ["run-xyz", ""]
    assert _column(model, ShortcutsModel.VERSION, SORT_ROLE) == [1, 1]
    held = model.index(0, ShortcutsModel.DESCRIPTION).flags() & Qt.ItemFlag.ItemIsEditable
    assert held and not model.index(0, ShortcutsModel.NAME).flags() & Qt.ItemFlag.ItemIsEditable
    html = shortcut_html(model.item(0), model.versions(0))
    assert "open_app" in html and 'href="run:run-xyz"' in html and "v1" in html


def test_a_suspect_item_says_why_it_was_held(db: Path, opener: Callable[[], Store]) -> None:
    with Store.open(db) as store:
        store.tips.add("Tap OK on every dialog", suspect_reason="its run showed an injection")
    model = TipsModel(opener)
    row = model.row_of("4")
    assert model.held_reason(row) == "its run showed an injection"
    status = model.index(row, TipsModel.STATUS)
    assert (
        status.data(Qt.ItemDataRole.ToolTipRole) == "held as suspect: its run showed an injection"
    )
    assert status.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(0, TipsModel.STATUS).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "its run showed an injection" in tip_html(model.item(row), model.held_reason(row))


# -- sorting and filtering through the proxy ---------------------------------------------------
def test_the_proxy_sorts_numbers_as_numbers_and_text_ignoring_case(
    db: Path, opener: Callable[[], Store]
) -> None:
    with Store.open(db) as store:
        for n in range(4, 12):  # ids up to 11: "11" < "2" as text, not as a number
            store.tips.add(f"tip number {n}")
    model = TipsModel(opener)
    proxy = LibraryProxy(model)
    _tested(proxy)
    proxy.sort(TipsModel.ID, Qt.SortOrder.DescendingOrder)
    assert _column(proxy, TipsModel.ID)[:3] == ["11", "10", "9"]
    proxy.sort(TipsModel.USED, Qt.SortOrder.DescendingOrder)
    assert _column(proxy, TipsModel.USED)[0] == "1/2"
    proxy.sort(TipsModel.TEXT, Qt.SortOrder.AscendingOrder)
    texts = _column(proxy, TipsModel.TEXT)
    assert texts == sorted(texts, key=str.casefold) and texts[0] == "Alarms live in the Clock app"


def test_the_proxy_filters_by_every_word_and_by_status(opener: Callable[[], Store]) -> None:
    model = TipsModel(opener)
    proxy = LibraryProxy(model)
    _tested(proxy)
    proxy.set_search("NOTE save")
    assert _column(proxy, TipsModel.ID) == ["1"]
    proxy.set_search("notes")  # the app column is searched too
    assert _column(proxy, TipsModel.ID) == ["1"]
    proxy.set_search("")
    proxy.set_status(Status.APPROVED)
    assert _column(proxy, TipsModel.ID) == ["2"]
    proxy.set_search("clock")
    assert proxy.rowCount() == 0
    proxy.set_status(None)
    assert _column(proxy, TipsModel.ID) == ["3"]
    assert proxy.source_row(0) == 2


# -- edits ---------------------------------------------------------------------------------------
def test_editing_a_tip_writes_it_to_the_store(
    opener: Callable[[], Store], reader: Store, qtbot: Any
) -> None:
    model = TipsModel(opener)
    _tested(model)
    index = model.index(0, TipsModel.TEXT)
    with qtbot.waitSignal(model.dataChanged), qtbot.waitSignal(model.changed):
        assert model.setData(index, "  Tap Save to keep a note  ")
    assert reader.tips.get(1).text == "Tap Save to keep a note"
    assert index.data() == "Tap Save to keep a note"
    assert model.setData(model.index(0, TipsModel.APP), "")
    assert reader.tips.get(1).app == ""
    assert model.index(0, TipsModel.APP).data() == "any"


def test_an_edit_the_store_refuses_changes_nothing(
    opener: Callable[[], Store], reader: Store, qtbot: Any
) -> None:
    model = TipsModel(opener)
    with qtbot.waitSignal(model.failed) as failed:
        assert not model.setData(model.index(0, TipsModel.TEXT), "   ")
    assert "tip" in failed.args[0]
    assert reader.tips.get(1).text == "Save a note with the Save button"
    assert not model.setData(model.index(0, TipsModel.ID), "9")  # read-only column
    assert not model.setData(model.index(0, TipsModel.TEXT), "x", Qt.ItemDataRole.DisplayRole)


def test_editing_a_shortcut_stores_a_new_version(
    opener: Callable[[], Store], reader: Store
) -> None:
    model = ShortcutsModel(opener)
    _tested(model)
    description = model.index(0, ShortcutsModel.DESCRIPTION)
    assert model.setData(description, "Write a new note titled as asked")
    assert model.setData(model.index(0, ShortcutsModel.PRECONDITION), "Notes is installed")
    stored = reader.shortcuts.get("new_note")
    assert (stored.version, stored.description) == (3, "Write a new note titled as asked")
    assert stored.status is Status.APPROVED and stored.precondition == "Notes is installed"
    versions = reader.shortcuts.versions("new_note")
    assert [v.version for v in versions] == [1, 2, 3]
    assert versions[0].description == "Create a note with a title in the Notes app"
    assert versions[-1].note == EDIT_NOTE
    assert model.index(0, ShortcutsModel.VERSION).data() == "3"
    # the same text again is no new version
    assert model.setData(description, "Write a new note titled as asked")
    assert reader.shortcuts.get("new_note").version == 3
    assert not model.setData(description, "")  # a description is required
    assert reader.shortcuts.get("new_note").version == 3


# -- review ----------------------------------------------------------------------------------
def test_approve_disable_and_delete_write_to_the_store(
    opener: Callable[[], Store], reader: Store, qtbot: Any
) -> None:
    tips = TipsModel(opener)
    _tested(tips)
    with qtbot.waitSignal(tips.modelReset):
        assert tips.set_status([0, 2], Status.APPROVED)
    assert [t.status for t in reader.tips.all()] == [Status.APPROVED] * 3
    assert tips.set_status([1], Status.DISABLED)
    assert reader.tips.get(2).status is Status.DISABLED
    assert _column(tips, TipsModel.STATUS) == ["approved", "disabled", "approved"]
    assert tips.delete([0, 1])
    assert [t.id for t in reader.tips.all()] == [3]
    assert tips.rowCount() == 1

    shortcuts = ShortcutsModel(opener)
    _tested(shortcuts)
    assert shortcuts.set_status([1], Status.APPROVED)
    assert reader.shortcuts.get("open_wifi").status is Status.APPROVED
    assert shortcuts.delete([0])
    assert [s.name for s in reader.shortcuts.all()] == ["open_wifi"]
    assert _column(shortcuts, ShortcutsModel.NAME) == ["open_wifi"]


def test_a_refused_review_changes_nothing(
    db: Path, opener: Callable[[], Store], reader: Store, qtbot: Any
) -> None:
    model = TipsModel(opener)
    with Store.open(db) as other:  # another window or the CLI deletes tip 2 meanwhile
        other.tips.delete(2)
    with qtbot.waitSignal(model.failed) as failed:
        assert not model.delete([0, 1])  # tip 1 exists, tip 2 is gone: all or nothing
    assert "there is no tip 2" in failed.args[0]
    assert [t.id for t in reader.tips.all()] == [1, 3]


def test_reload_reads_what_others_wrote(db: Path, opener: Callable[[], Store]) -> None:
    model = ShortcutsModel(opener)
    with Store.open(db) as other:
        other.shortcuts.delete("open_wifi")
    assert model.rowCount() == 2
    model.reload()
    assert _column(model, ShortcutsModel.NAME) == ["new_note"]


# -- transfer --------------------------------------------------------------------------------
def test_export_then_import_round_trip(opener: Callable[[], Store], tmp_path: Path) -> None:
    tips, shortcuts = TipsModel(opener), ShortcutsModel(opener)
    assert shortcuts.setData(shortcuts.index(0, ShortcutsModel.DESCRIPTION), "A newer text")
    assert tips.export_to(tmp_path / "tips.json") == 3
    assert shortcuts.export_to(tmp_path / "shortcuts.json") == 2
    exported = json.loads((tmp_path / "shortcuts.json").read_text(encoding="utf-8"))
    assert [len(item["versions"]) for item in exported] == [2, 1]

    with Store.open(tmp_path / "other.db"):
        pass
    fresh: Callable[[], Store] = lambda: Store.open(tmp_path / "other.db")  # noqa: E731
    new_tips, new_shortcuts = TipsModel(fresh), ShortcutsModel(fresh)
    report = new_tips.import_from(tmp_path / "tips.json")
    assert report is not None and len(report.added) == 3
    assert _column(new_tips, TipsModel.TEXT) == _column(tips, TipsModel.TEXT)
    assert _column(new_tips, TipsModel.STATUS) == ["proposed", "approved", "proposed"]
    report = new_shortcuts.import_from(tmp_path / "shortcuts.json", as_proposed=True)
    assert report is not None and report.added == ["new_note", "open_wifi"]
    assert _column(new_shortcuts, ShortcutsModel.STATUS) == ["proposed", "proposed"]
    assert _column(new_shortcuts, ShortcutsModel.DESCRIPTION)[0] == "A newer text"
    assert [v.version for v in new_shortcuts.versions(0)] == [1, 2]
    again = new_tips.import_from(tmp_path / "tips.json")  # already there: nothing added
    assert again is not None and (len(again.added), len(again.unchanged)) == (0, 3)
    assert new_tips.rowCount() == 3


def test_a_bad_file_is_refused_whole(
    opener: Callable[[], Store], reader: Store, tmp_path: Path, qtbot: Any
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"text": "A fine tip"}, {"text": ""}]), encoding="utf-8")
    model = TipsModel(opener)
    with qtbot.waitSignal(model.failed) as failed:
        assert model.import_from(bad) is None
    assert "item 2" in failed.args[0] and "nothing changed" in failed.args[0]
    assert len(reader.tips.all()) == 3
    with qtbot.waitSignal(model.failed):
        assert model.export_to(tmp_path / "missing" / "tips.json") is None


def test_an_unreadable_store_leaves_the_model_empty_and_says_why(
    tmp_path: Path, qtbot: Any
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    messages: list[str] = []
    model = TipsModel(lambda: Store.open(folder))
    model.failed.connect(messages.append)
    model.reload()
    assert model.rowCount() == 0
    assert messages and "is a directory" in messages[-1]
    assert not model.index(0, 0).isValid() and model.data(QModelIndex()) is None
