"""The History's table models over a real store holding recorded runs, without views."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from mobile_agent.gui.history_models import (
    RUN_ID_ROLE,
    SORT_ROLE,
    RunsFilter,
    RunsModel,
    StepsModel,
    format_date,
    format_elapsed,
    load_run,
)
from mobile_agent.memory import Store

from .history_runs import TASK, record_replay, record_run

pytestmark = pytest.mark.gui

COLUMNS = ["Task", "Kind", "Device", "State", "Steps", "Model calls", "Cost", "Time", "Date"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "memory.db") as opened:
        yield opened


def _add_run(store: Store, run_id: str, task: str, **fields: Any) -> None:
    """A finished run row written through the store's own API (no steps)."""
    started = fields.pop("started_at", "2024-05-01T10:00:00.000Z")
    store.runs.start({"id": run_id, "task": task, "device": "emulator-5554", "started_at": started})
    store.runs.finish(run_id, {"state": "failed", **fields})


def _column(model: Any, name: str, role: int = Qt.ItemDataRole.DisplayRole) -> list[Any]:
    col = COLUMNS.index(name)
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


def _tested(model: Any) -> QAbstractItemModelTester:
    return QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)


def test_the_runs_model_shows_a_recorded_run_and_a_replay(store: Store, tmp_path: Path) -> None:
    run_id = record_run(store, tmp_path)
    replay_id = record_replay(store, tmp_path)
    model = RunsModel()
    _tested(model)
    model.load(store)

    assert model.rowCount() == 2 and model.columnCount() == len(COLUMNS)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert headers == COLUMNS
    assert _column(model, "Task") == ["replay shortcut new_note(title='Groceries')", TASK]
    assert _column(model, "Kind") == ["replay", "run"]
    assert _column(model, "Device") == ["memory-phone", "memory-phone"]
    assert _column(model, "State") == ["succeeded", "succeeded"]
    assert _column(model, "Steps") == ["4", "3"]
    stored = store.runs.get(run_id)
    assert model.index(1, COLUMNS.index("Model calls")).data() == str(stored["model_calls"])
    assert stored["model_calls"] >= 6  # manager, operator, reflector, notetaker …
    assert _column(model, "Cost") == ["$0.0000", "$0.0000"]
    assert _column(model, "Date")[1] == format_date(stored["started_at"])
    assert _column(model, "Task", RUN_ID_ROLE) == [replay_id, run_id]
    assert model.row_of(run_id) == 1 and model.row_of(replay_id[:5]) == 0
    assert model.row_of("no-such-run") == -1


def test_runs_sort_by_their_values_not_their_text(store: Store) -> None:
    _add_run(store, "a", "cheap", cost_usd=0.5, steps=12, elapsed_s=75.0)
    _add_run(store, "b", "dear", cost_usd=10.25, steps=2, elapsed_s=9.0)
    _add_run(store, "c", "middling", cost_usd=9.5, steps=3, elapsed_s=600.0)
    model = RunsModel()
    model.load(store)
    proxy = RunsFilter()
    proxy.setSourceModel(model)
    _tested(proxy)

    proxy.sort(COLUMNS.index("Cost"), Qt.SortOrder.AscendingOrder)
    assert _column(proxy, "Task") == ["cheap", "middling", "dear"]
    assert _column(proxy, "Cost") == ["$0.5000", "$9.5000", "$10.2500"]
    proxy.sort(COLUMNS.index("Steps"), Qt.SortOrder.DescendingOrder)
    assert _column(proxy, "Task") == ["cheap", "middling", "dear"]
    proxy.sort(COLUMNS.index("Time"), Qt.SortOrder.AscendingOrder)
    assert _column(proxy, "Time") == ["9.0 s", "1 min 15 s", "10 min 00 s"]
    proxy.sort(COLUMNS.index("Task"), Qt.SortOrder.DescendingOrder)
    assert _column(proxy, "Task") == ["middling", "dear", "cheap"]
    assert proxy.index(0, COLUMNS.index("Cost")).data(SORT_ROLE) == 9.5


def test_runs_sort_by_date_newest_first(store: Store) -> None:
    _add_run(store, "old", "old", started_at="2023-01-02T03:04:05.000Z")
    _add_run(store, "new", "new", started_at="2025-06-07T08:09:10.000Z")
    _add_run(store, "mid", "mid", started_at="2024-03-04T05:06:07.000Z")
    model = RunsModel()
    model.load(store)
    proxy = RunsFilter()
    proxy.setSourceModel(model)

    proxy.sort(COLUMNS.index("Date"), Qt.SortOrder.DescendingOrder)
    assert _column(proxy, "Task") == ["new", "mid", "old"]
    proxy.sort(COLUMNS.index("Date"), Qt.SortOrder.AscendingOrder)
    assert _column(proxy, "Task") == ["old", "mid", "new"]


def test_the_search_keeps_runs_holding_every_word(store: Store, tmp_path: Path) -> None:
    record_run(store, tmp_path)
    record_replay(store, tmp_path)
    _add_run(store, "f1", "Send the weekly report by mail", reason="the mail app is missing")
    model = RunsModel()
    model.load(store)
    proxy = RunsFilter()
    proxy.setSourceModel(model)
    _tested(proxy)

    proxy.set_search("NOTES")
    assert _column(proxy, "Task") == [TASK]
    proxy.set_search("replay")
    assert _column(proxy, "Kind") == ["replay"]
    proxy.set_search("failed emulator")  # the state and the device
    assert _column(proxy, "Task") == ["Send the weekly report by mail"]
    proxy.set_search("app missing")  # the reason, word by word
    assert _column(proxy, "Task") == ["Send the weekly report by mail"]
    proxy.set_search("notes missing")
    assert proxy.rowCount() == 0
    proxy.set_search("  ")
    assert proxy.rowCount() == 3


def test_the_steps_model_shows_each_stored_step(store: Store, tmp_path: Path) -> None:
    run_id = record_run(store, tmp_path)
    model = StepsModel()
    _tested(model)
    model.set_rows(store.runs.steps(run_id))

    column = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(9)}

    def cells(name: str) -> list[str]:
        return [model.index(r, column[name]).data() for r in range(model.rowCount())]

    assert cells("#") == ["1", "2", "3"]
    assert cells("Outcome") == ["success", "success", "finished"]
    assert cells("Action")[0] == 'open_app {"app": "Notes"}'
    assert cells("Action")[1].startswith('tap {"element": ')
    assert cells("Verdict") == ["success", "success", ""]
    assert cells("Description")[1] == "tap New note"
    steps = store.runs.steps(run_id)
    assert cells("Tokens")[0] == f"{steps[0]['input_tokens']} / {steps[0]['output_tokens']}"
    assert cells("Calls") == [str(s["model_calls"]) for s in steps]
    assert model.index(1, column["Verdict"]).data(Qt.ItemDataRole.ToolTipRole) == (
        "the editor is open"
    )
    assert model.row_of(3) == 2 and model.row_of(9) == -1
    assert model.index(0, 0).parent() == QModelIndex()


def test_a_run_read_whole_gives_each_step_the_screen_it_acted_on(
    store: Store, tmp_path: Path
) -> None:
    run_id = record_run(store, tmp_path)
    detail = load_run(store, run_id[:6])

    assert detail.run_id == run_id
    first = detail.shots_of(1)
    assert [s.label for s in first] == ["before", "after"]
    assert first[0].acted_on and not first[1].acted_on
    assert first[0].path is not None and first[0].path.is_file()
    assert any(e.get("text") == "Notes" for e in first[0].elements)  # the launcher
    # step 2 did not look again: it acted on the screen step 1 ended on
    second = detail.shots_of(2)
    assert second[0].label == "acted on (step 1, after)" and second[0].acted_on
    assert second[0].path == first[1].path
    assert [c["agent"] for c in detail.calls_of(1)][:2] == ["manager", "operator"]
    assert detail.step(3) is not None and detail.step(4) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.43, "0.4 s"), (12.4, "12 s"), (125, "2 min 05 s"), (3725, "1 h 02 min"), (None, "0.0 s")],
)
def test_durations_read_as_people_say_them(seconds: float | None, text: str) -> None:
    assert format_elapsed(seconds) == text
