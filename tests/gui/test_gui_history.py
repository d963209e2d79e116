"""The History view: a recorded run listed, opened step by step with its screenshot,
overlays, prompts and verdicts, kept current when runs are stored, and exported as HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from mobile_agent.config import write_file_values
from mobile_agent.gui.history import HistoryView
from mobile_agent.gui.services import Services

from .history_runs import TASK, record_replay, record_run

pytestmark = pytest.mark.gui


@pytest.fixture
def run_id(services: Services) -> str:
    """A scripted run recorded in the services' store (files in its data directory)."""
    with services.open_store() as store:
        return record_run(store, services.home)


@pytest.fixture
def view(services: Services, run_id: str, qtbot: Any) -> HistoryView:
    shown = HistoryView(services)
    qtbot.addWidget(shown)
    shown.resize(1400, 900)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _select_step(view: HistoryView, number: int) -> None:
    view.steps_table.setCurrentIndex(view.steps.index(view.steps.row_of(number), 0))


def test_the_viewer_shows_a_finished_run_step_by_step(view: HistoryView, run_id: str) -> None:
    assert view.runs.rowCount() == 1 and view.count.text() == "1 runs"
    assert view.open_run(run_id[:6])
    assert view.current_run_id() == run_id
    assert TASK in view.header.text() and "succeeded" in view.header.text()
    viewer = view.viewer

    assert viewer.shown_step() == 1
    frame = viewer.screen_view.frame
    assert frame is not None and not frame.image.isNull()
    assert frame.size == (1080, 2400) and len(frame.elements) > 3
    assert viewer.shots.currentText() == "before"
    assert viewer.prompt.toPlainText().startswith("## system\nRole: operator")
    assert '"open_app"' in viewer.reply.toPlainText()
    assert viewer.fact("Verdict") == "success"
    assert viewer.fact("Action") == 'open_app {"app": "Notes"}\nopen Notes'
    assert viewer.fact("Result") == "opened Notes"
    assert viewer.fact("Subgoal") == "Open Notes"
    assert "model calls" in viewer.fact("Usage")
    assert viewer.elements.rowCount() == len(frame.elements)

    agents = [viewer.calls.item(r).text().split(" ")[0] for r in range(viewer.calls.count())]
    assert agents == ["manager", "operator", "reflector", "notetaker"]
    viewer.calls.setCurrentRow(agents.index("reflector"))
    assert "Role: reflector" in viewer.prompt.toPlainText()

    _select_step(view, 2)
    assert viewer.shown_step() == 2
    assert viewer.fact("Verdict") == "success the editor is open"
    assert viewer.shots.currentText() == "acted on (step 1, after)"


def test_the_action_is_drawn_where_it_landed(view: HistoryView, run_id: str, qtbot: Any) -> None:
    view.open_run(run_id)
    _select_step(view, 2)  # tap "New note", by its number on the screen it acted on
    screen = view.viewer.screen_view
    assert screen.target is not None and screen.target.label == "New note"
    assert screen.gesture is not None and screen.gesture.start == screen.target.bounds.center

    qtbot.wait(10)
    shot = screen.grab().toImage()
    box = screen.target.bounds
    dot = screen.to_widget(*screen.gesture.start).toPoint()
    edge = screen.to_widget(box.x1, (box.y1 + box.y2) / 2).toPoint()
    for at in (dot, edge):  # the dot of the tap, the box of the element it aimed at
        color = shot.pixelColor(at)
        assert color.red() > 200 and color.green() < 90 and color.blue() < 100, (at, color)

    view.viewer.shots.setCurrentIndex(1)  # the screen after the tap: nothing drawn on it
    assert view.viewer.shots.currentText() == "after"
    assert screen.gesture is None and screen.target is None


def test_choosing_an_element_outlines_it(view: HistoryView, run_id: str) -> None:
    view.open_run(run_id)
    table = view.viewer.elements
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "Notes")
    table.setCurrentCell(row, 0)
    highlight = view.viewer.screen_view.highlight
    assert highlight is not None and highlight.text == "Notes"
    assert highlight.id == int(table.item(row, 0).text())


def test_a_search_hides_runs_and_opening_one_clears_it(
    view: HistoryView, services: Services, run_id: str
) -> None:
    with services.open_store() as store:
        replay_id = record_replay(store, services.home)
    view.reload()
    assert view.runs.rowCount() == 2

    view.search.setText("replay groceries")
    assert view.filter.rowCount() == 1 and view.count.text() == "1 of 2 runs"
    assert view.open_run(run_id)
    assert view.search.text() == "" and view.filter.rowCount() == 2
    assert view.current_run_id() == run_id

    assert view.open_run(replay_id)
    assert view.steps.rowCount() == 4
    assert view.viewer.fact("Action").startswith('open_app {"app": "Notes"}')

    assert not view.open_run("no-such-run")
    assert "No stored run matches 'no-such-run'" in view.status.text()
    assert view.current_run_id() == replay_id


def test_a_stored_run_appears_when_runs_change(
    view: HistoryView, services: Services, run_id: str
) -> None:
    view.open_run(run_id)
    _select_step(view, 3)
    with services.open_store() as store:
        other = record_run(store, services.home, task="Open Notes again")
    assert view.runs.rowCount() == 1  # not read until told

    services.runs_changed.emit()
    assert view.runs.rowCount() == 2
    assert view.runs.row_of(other) >= 0
    assert view.current_run_id() == run_id and view.viewer.shown_step() == 3  # kept


def test_the_run_is_exported_as_html(
    view: HistoryView, run_id: str, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not view.export_button.isEnabled()  # no run chosen yet
    view.open_run(run_id)
    target = tmp_path / "report.html"
    asked: list[str] = []

    def save_as(*args: Any) -> tuple[str, str]:
        asked.append(args[2])
        return str(target), "HTML report (*.html)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(view.exported, timeout=20_000) as done:
        view.export_button.click()

    assert done.args == [str(target)]
    assert asked and asked[0].endswith(f"run-{run_id}.html")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and TASK in page
    assert "Role: operator" in page
    assert view.status.text() == f"Wrote {target}"
    assert view.export_button.isEnabled()


def test_an_export_that_cannot_be_written_says_why(
    view: HistoryView, run_id: str, tmp_path: Path, qtbot: Any
) -> None:
    view.open_run(run_id)
    with qtbot.waitSignal(view.export_failed, timeout=20_000) as failed:
        view.export_html(tmp_path / "missing" / "report.html")
    assert failed.args[0].startswith(f"Cannot export run {run_id}: cannot write")
    assert view.status.text() == failed.args[0]
    assert not (tmp_path / "missing").exists()


def test_an_empty_history_says_how_to_fill_it(services: Services, qtbot: Any) -> None:
    view = HistoryView(services)
    qtbot.addWidget(view)
    assert view.runs.rowCount() == 0 and view.count.text() == "0 runs"
    assert view.current_run_id() is None
    assert "No runs stored yet" in view.header.text() and "Run tab" in view.header.text()
    assert not view.export_button.isEnabled()
    assert view.viewer.screen_view.frame is None
    assert view.runs_table.isSortingEnabled()
    assert view.runs_table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_a_step_whose_screenshot_is_gone_still_shows_the_rest(
    view: HistoryView, services: Services, run_id: str
) -> None:
    for png in (services.home / "runs" / run_id).glob("*.png"):
        png.unlink()
    view.open_run(run_id)
    screen = view.viewer.screen_view
    assert screen.frame is None and screen.gesture is None
    assert view.viewer.fact("Verdict") == "success"
    assert view.viewer.elements.rowCount() > 3  # the stored elements are still listed
    view.viewer.numbers.setChecked(False)
    assert not screen.show_elements


def test_the_history_follows_the_database_named_in_the_settings(
    view: HistoryView, services: Services, tmp_path: Path
) -> None:
    assert view.runs.rowCount() == 1
    write_file_values({"memory_db": str(tmp_path / "elsewhere.db")}, services.config_path())
    services.reload_settings()
    assert view.runs.rowCount() == 0 and view.current_run_id() is None
    assert "No runs stored yet" in view.header.text()


def test_a_store_that_cannot_be_read_is_said_and_forgotten_once_fixed(
    view: HistoryView, services: Services, tmp_path: Path
) -> None:
    write_file_values({"memory_db": str(tmp_path)}, services.config_path())  # a directory
    services.reload_settings()
    assert view.runs.rowCount() == 0
    assert view.status.text().startswith("Cannot read the runs:")
    assert "is a directory" in view.status.text()

    write_file_values({}, services.config_path())
    services.reload_settings()
    assert view.runs.rowCount() == 1 and view.status.text() == ""
