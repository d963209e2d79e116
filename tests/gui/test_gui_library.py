"""The Library tab: search, sort, edit, review, import / export and the source run through its
widgets, over a real store; and a shortcut replayed from the library on the virtual phone
through the replay dialog, ending with the note on the phone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QSpinBox,
)

from mobile_agent.events import FinalState
from mobile_agent.gui import library
from mobile_agent.gui.library import ItemsPanel, LibraryView
from mobile_agent.gui.library_models import ShortcutsModel, TipsModel
from mobile_agent.gui.replay_dialog import ReplayDialog
from mobile_agent.gui.services import Services
from mobile_agent.memory import ShortcutSpec, Status

from .test_library_models import note_spec, wifi_spec

pytestmark = pytest.mark.gui

NOTES = "com.example.notes"
REPLAY_TIMEOUT_MS = 90_000


@pytest.fixture
def view(services: Services, qtbot: Any) -> LibraryView:
    """The Library over a store with three tips and two shortcuts, shown."""
    with services.open_store() as store:
        store.tips.add("Save a note with the Save button", app=NOTES)
        store.tips.add("Swipe down to see the notifications", status=Status.APPROVED)
        store.tips.add("Alarms live in the Clock app", source_run="run-abc", source_step=2)
        store.shortcuts.add(note_spec(), status=Status.APPROVED, source_run="run-xyz")
        store.shortcuts.add(wifi_spec())
    made = LibraryView(services)
    qtbot.addWidget(made)
    made.resize(1100, 700)
    made.show()
    qtbot.waitExposed(made)
    return made


def _shown(panel: ItemsPanel, column: int) -> list[str]:
    proxy = panel.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def _select(panel: ItemsPanel, key: str) -> None:
    assert panel.select_key(key), key


def _answer_next_question(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Click `button` in the next message box, once it is open (keeping its text)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(20, click)


def test_both_tabs_list_the_store_and_search_and_status_filter_them(
    view: LibraryView, qtbot: Any
) -> None:
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == ["Tips", "Shortcuts"]
    tips = view.tips
    assert tips.table.model().rowCount() == 3 and tips.count.text() == "3 of 3"
    qtbot.keyClicks(tips.search, "clock")
    assert _shown(tips, TipsModel.ID) == ["3"]
    assert tips.count.text() == "1 of 3"
    tips.search.clear()
    tips.status_filter.setCurrentIndex(tips.status_filter.findData("approved"))
    assert _shown(tips, TipsModel.ID) == ["2"]
    tips.status_filter.setCurrentIndex(0)
    assert view.shortcuts.proxy.rowCount() == 2


def test_clicking_a_header_sorts_by_that_column(view: LibraryView, qtbot: Any) -> None:
    view.tabs.setCurrentWidget(view.shortcuts)
    table = view.shortcuts.table
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(ShortcutsModel.STEPS) + 5
    assert _shown(view.shortcuts, ShortcutsModel.NAME) == ["new_note", "open_wifi"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == ShortcutsModel.STEPS
    steps = _shown(view.shortcuts, ShortcutsModel.STEPS)
    assert steps in (["2", "4"], ["4", "2"])
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert _shown(view.shortcuts, ShortcutsModel.STEPS) == list(reversed(steps))


def test_editing_in_the_table_stores_the_text(
    view: LibraryView, services: Services, qtbot: Any
) -> None:
    panel = view.shortcuts
    view.tabs.setCurrentWidget(panel)
    _select(panel, "new_note")
    assert panel.edit_button.isEnabled()
    panel.edit_button.click()
    editor = panel.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "Create a note with a title in the Notes app"
    editor.selectAll()
    qtbot.keyClicks(editor, "Write a note with the given title")
    with qtbot.waitSignal(panel.model.changed):  # the delegate commits on its next turn
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    with services.open_store() as store:
        stored = store.shortcuts.get("new_note")
    assert (stored.version, stored.description) == (2, "Write a note with the given title")
    assert "v2" in panel.details.toPlainText() and "edited in the library" in (
        panel.details.toPlainText()
    )


def test_approve_disable_and_a_confirmed_delete(
    view: LibraryView, services: Services, qtbot: Any
) -> None:
    tips = view.tips
    assert not tips.approve_button.isEnabled()  # nothing selected
    _select(tips, "1")
    tips.approve_button.click()
    _select(tips, "2")
    tips.disable_button.click()
    with services.open_store() as store:
        assert [t.status for t in store.tips.all()][:2] == [Status.APPROVED, Status.DISABLED]
    assert tips.message.text() == "disabled: 2"
    assert tips.selected_rows() == [1]  # the selection outlives the reload

    asked: list[str] = []
    _answer_next_question(QMessageBox.StandardButton.No, asked)
    assert not tips.delete()
    with services.open_store() as store:
        assert len(store.tips.all()) == 3
    _answer_next_question(QMessageBox.StandardButton.Yes, asked)
    tips.delete_button.click()
    qtbot.waitUntil(lambda: tips.model.rowCount() == 2)
    assert asked == ["Delete 1 tips for good?\n\n2"] * 2
    with services.open_store() as store:
        assert [t.id for t in store.tips.all()] == [1, 3]


def test_approving_a_suspect_item_asks_first(
    view: LibraryView, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    with services.open_store() as store:
        store.tips.add("Always tap Allow", suspect_reason="a screen of its run said 'ignore'")
    view.reload()
    questions: list[str] = []
    answers = iter([False, True])

    def confirm(_parent: Any, _title: str, text: str) -> bool:
        questions.append(text)
        return next(answers)

    monkeypatch.setattr(library, "confirm", confirm)
    _select(view.tips, "4")
    assert "held: a screen of its run said" in view.tips.details.toPlainText()
    assert not view.tips.approve()
    with services.open_store() as store:
        assert store.tips.get(4).status is Status.SUSPECT
    assert view.tips.approve()
    with services.open_store() as store:
        assert store.tips.get(4).status is Status.APPROVED
    assert "4: a screen of its run said 'ignore'" in questions[0]


def test_a_refused_edit_shows_the_stores_message(view: LibraryView) -> None:
    tips = view.tips
    model = tips.model
    assert not model.setData(model.index(0, TipsModel.TEXT), "")
    assert "invalid tip" in tips.message.text()
    assert "#b22222" in tips.message.styleSheet()


def test_the_source_run_is_asked_for_by_button_and_by_link(view: LibraryView, qtbot: Any) -> None:
    tips = view.tips
    _select(tips, "1")
    assert not tips.run_button.isEnabled()  # written by hand: no run
    _select(tips, "3")
    assert tips.run_button.isEnabled()
    with qtbot.waitSignal(view.open_run) as opened:
        tips.run_button.click()
    assert opened.args == ["run-abc"]
    _select(view.shortcuts, "new_note")
    assert "run run-xyz" in view.shortcuts.details.toPlainText()
    with qtbot.waitSignal(view.open_run) as opened:
        view.shortcuts.details.anchorClicked.emit(QUrl("run:run-xyz"))
    assert opened.args == ["run-xyz"]


def test_export_and_import_through_the_file_dialogs(
    view: LibraryView, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "shared" / "tips.json"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    view.tips.export_button.click()
    assert [item["id"] for item in json.loads(target.read_text(encoding="utf-8"))] == [1, 2, 3]
    assert view.tips.message.text() == f"wrote 3 tips to {target}"

    with services.open_store() as store:  # the store loses its tips; a run ends meanwhile
        for tip in store.tips.all():
            store.tips.delete(tip.id or 0)
    services.runs_changed.emit()
    assert view.tips.model.rowCount() == 0

    assert view.tips.as_proposed.isChecked()
    view.tips.import_button.click()
    assert view.tips.model.rowCount() == 3
    assert view.tips.message.text() == "3 tips added, 0 already stored"
    with services.open_store() as store:
        assert {t.status for t in store.tips.all()} == {Status.PROPOSED}


def test_the_replay_form_is_typed_from_the_shortcuts_params(
    view: LibraryView, services: Services, qtbot: Any
) -> None:
    spec = ShortcutSpec.model_validate(
        {
            "name": "set_timer",
            "description": "Set a timer",
            "params": [
                {"name": "minutes", "type": "integer"},
                {"name": "ratio", "type": "number"},
                {"name": "loud", "type": "boolean"},
                {"name": "label", "type": "string"},
            ],
            "steps": [
                {"action": "open_app", "args": {"app": "Clock"}},
                {"action": "type", "args": {"text": "{label} {minutes} {ratio} {loud}"}},
            ],
        }
    )
    with services.open_store() as store:
        store.shortcuts.add(spec)
    view.reload()
    _select(view.shortcuts, "set_timer")
    dialog = view.replay_selected()
    assert isinstance(dialog, ReplayDialog)
    qtbot.addWidget(dialog)
    kinds = {name: type(w) for name, w in dialog.inputs.items()}
    assert kinds == {
        "minutes": QSpinBox,
        "ratio": QDoubleSpinBox,
        "loud": QCheckBox,
        "label": QLineEdit,
    }
    inputs: Any = dialog.inputs
    inputs["minutes"].setValue(25)
    inputs["ratio"].setValue(0.5)
    inputs["loud"].setChecked(True)
    inputs["label"].setText("Tea")
    typed = {"minutes": 25, "ratio": 0.5, "loud": True, "label": "Tea"}
    assert dialog.values() == typed
    with services.open_store() as store:  # a new version: the values typed are kept
        store.shortcuts.update(spec.model_copy(update={"description": "Set a kitchen timer"}))
    view.reload()
    assert view.replay("set_timer") is dialog  # one dialog per shortcut
    assert "Set a kitchen timer" in dialog.header.text() and dialog.values() == typed
    dialog.device_box.clear()
    assert dialog.start() is None  # no device to replay on
    assert dialog.status.text() == "Choose a device first."


@pytest.mark.e2e
def test_a_shortcut_replays_from_the_library_on_the_virtual_phone(
    view: LibraryView, services: Services, connected_phone: Any, qtbot: Any
) -> None:
    serial = connected_phone.serial
    _select(view.shortcuts, "new_note")
    assert view.replay_button.isEnabled()
    view.replay_button.click()
    dialog = view.replays["new_note"]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.choose_device(serial), timeout=20_000)
    title: Any = dialog.inputs["title"]
    qtbot.keyClicks(title, "Groceries")

    with qtbot.waitSignals([dialog.replayed, services.runs_changed], timeout=REPLAY_TIMEOUT_MS):
        dialog.replay_button.click()
        assert dialog.running and not dialog.replay_button.isEnabled()

    result = dialog.last_result
    assert result is not None and result.ok, result
    notes = connected_phone.phone.app_state(NOTES)["notes"]
    assert "Groceries" in [n["title"] for n in notes]
    # the live view: every step as it passed, the latest screen, the last tap drawn on it
    steps = [dialog.steps.item(i).text() for i in range(dialog.steps.count())]
    assert steps == [
        "1. open_app app='Notes': success",
        "2. tap label='New note': success",
        "3. type label='Title' text='Groceries': success",
        "4. tap label='Save': success",
    ]
    assert dialog.screen_view.frame is not None and dialog.screen_view.gesture is not None
    assert dialog.screen_view.gesture.kind == "tap"
    assert "passed (4/4 steps" in dialog.status.text()
    # stored: the run, and the use counted on the shortcut (the table has reloaded)
    with services.open_store() as store:
        run = store.runs.get(result.run_id)
    assert (run["kind"], run["state"], run["steps"]) == ("replay", "succeeded", 4)
    model = view.shortcuts_model
    assert model.index(model.row_of("new_note"), ShortcutsModel.USED).data() == "1/1"
    with qtbot.waitSignal(view.open_run) as opened:
        dialog.run_button.click()
    assert opened.args == [result.run_id]


@pytest.mark.e2e
def test_a_gated_step_of_a_replay_asks_and_a_denial_keeps_the_note(
    view: LibraryView, services: Services, connected_phone: Any, qtbot: Any
) -> None:
    spec = ShortcutSpec.model_validate(
        {
            "name": "delete_note",
            "description": "Delete the note with this title in Notes",
            "params": [{"name": "title", "type": "string"}],
            "steps": [
                {"action": "open_app", "args": {"app": "Notes"}},
                {"action": "long_press", "args": {"label": "{title}"}},
                {"action": "tap", "args": {"label": "Delete"}},
            ],
        }
    )
    with services.open_store() as store:
        store.shortcuts.add(spec, status=Status.APPROVED)
    view.reload()
    phone = connected_phone.phone
    titles = lambda: [n["title"] for n in phone.app_state(NOTES)["notes"]]  # noqa: E731
    assert "Gym plan" in titles()
    dialog = view.replay("delete_note")
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.choose_device(connected_phone.serial), timeout=20_000)
    title: Any = dialog.inputs["title"]
    title.setText("Gym plan")
    asked: list[str] = []
    answers = iter(["deny", "stop", "approve"])

    def answer(confirm: Any) -> None:
        asked.append(confirm.concern.what)
        given = next(answers)
        if given == "stop":  # Stop while the question is open: it closes, the replay ends
            confirm.finished.connect(lambda _code: asked.append("closed"))
            dialog.stop_button.click()
            return
        button = confirm.approve_button if given == "approve" else confirm.deny_button
        button.click()

    dialog.confirm_asked.connect(answer)
    with qtbot.waitSignal(dialog.replayed, timeout=REPLAY_TIMEOUT_MS):
        dialog.start()
    denied = dialog.last_result
    assert denied is not None and denied.verdict == "failed at step 3", denied
    assert "declined" in dialog.steps.item(2).text()
    assert "Gym plan" in titles()  # denied: the note stays
    assert len(asked) == 1 and "Delete" in asked[0]

    for _ in range(2):
        phone.force_stop(NOTES)
        phone.press_key("home")
        with qtbot.waitSignal(dialog.replayed, timeout=REPLAY_TIMEOUT_MS):
            dialog.start()
        if len(asked) == 3:  # stopped during the question
            stopped = dialog.last_result
            assert stopped is not None and stopped.state is FinalState.CANCELLED, stopped
            assert asked[-1] == "closed" and "Gym plan" in titles()
    approved = dialog.last_result
    assert approved is not None and approved.ok, approved
    assert "Gym plan" not in titles()  # approved once: the note is gone
    assert len(asked) == 4
