"""The main window: its tabs (a placeholder for a view that cannot load), the first-launch
banner, and the scripted demo it offers."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from mobile_agent.config import set_file_value
from mobile_agent.events import ActionChosen, RunFinished, RunStarted
from mobile_agent.gui.services import VIRTUAL, Services
from mobile_agent.gui.welcome import DEMO_BUTTON, DemoOutcome, WelcomeBanner, describe
from mobile_agent.gui.window import VIEWS, MainWindow, Placeholder, load_view

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: Any, services: Services) -> MainWindow:
    made = MainWindow(services)
    qtbot.addWidget(made)
    made.show()
    return made


def test_the_window_has_the_four_tabs_in_order(window: MainWindow) -> None:
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Run", "Library", "History", "Settings"]
    assert [t for t, _, _ in VIEWS] == titles
    for title in titles:
        assert window.tabs.indexOf(window.view(title)) == titles.index(title)


def test_a_missing_view_becomes_a_placeholder_saying_so(services: Services) -> None:
    view = load_view("Nothing", "no_such_view", "NothingView", services)
    assert isinstance(view, Placeholder)
    assert "not part of this build" in view.text()


def test_a_view_that_fails_to_build_becomes_a_placeholder_with_the_error(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("mobile_agent.gui.broken_view")

    class BrokenView(QWidget):
        def __init__(self, services: Services) -> None:
            raise ValueError("no screen today")

    module.BrokenView = BrokenView  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mobile_agent.gui.broken_view", module)
    view = load_view("Broken", "broken_view", "BrokenView", services)
    assert isinstance(view, Placeholder)
    assert "ValueError: no screen today" in view.text()


def test_with_no_model_the_banner_says_how_to_add_one_and_offers_the_demo(
    qtbot: Any, window: MainWindow
) -> None:
    banner = window.banner
    assert banner.isVisible()
    assert "Settings" in banner.message.text()
    assert "mobile-agent config set model" in banner.message.text()
    assert banner.demo_button.text() == DEMO_BUTTON
    window.show_tab("Run")
    qtbot.mouseClick(banner.settings_button, _left())
    assert window.tabs.currentWidget() is window.view("Settings")


def test_the_banner_goes_once_a_model_is_configured_and_comes_back_without(
    qtbot: Any, window: MainWindow, services: Services
) -> None:
    set_file_value("model", "openai:gpt-4o", services.config_path())
    services.reload_settings()
    assert not window.banner.isVisible()
    set_file_value("model", "", services.config_path())
    services.reload_settings()
    assert window.banner.isVisible()


def test_with_a_model_configured_there_is_no_banner(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mobile_agent.config import Settings

    services = Services.for_tests(tmp_path / "home", Settings(model="openai:gpt-4o"))
    try:
        made = MainWindow(services)
        qtbot.addWidget(made)
        made.show()
        assert not made.banner.isVisible()
    finally:
        services.shutdown()


def test_the_banner_lines_name_each_step() -> None:
    from mobile_agent.events import FinalState, RunResult

    assert describe(RunStarted(run_id="r", task="Write a note", device="d")) == (
        "Started: Write a note"
    )
    chosen = ActionChosen(run_id="r", step=2, action={"name": "tap"}, description="tap Save")
    assert describe(chosen) == "Step 2 · action: tap Save"
    result = RunResult(state=FinalState.FAILED, reason="no Save button")
    finished = RunFinished(run_id="r", state=FinalState.FAILED, summary=result)
    assert describe(finished) == "Finished: failed — no Save button"


@pytest.mark.e2e
@pytest.mark.timeout(180)
def test_the_banners_own_demo_runs_on_the_virtual_phone_and_is_stored(
    qtbot: Any, services: Services
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    banner = WelcomeBanner(services, parent)
    parent.show()
    assert banner.run_demo == banner.start_demo  # alone, the banner runs the demo itself
    with (
        qtbot.waitSignal(services.runs_changed, timeout=150_000),
        qtbot.waitSignal(banner.demo_finished, timeout=150_000) as done,
    ):
        qtbot.mouseClick(banner.demo_button, _left())
        assert not banner.demo_button.isEnabled()
        assert banner.stop_button.isVisible()
    outcome = done.args[0]
    assert isinstance(outcome, DemoOutcome)
    assert outcome.result.succeeded and outcome.verified
    log = banner.log.toPlainText()
    assert "Started: Create a note titled Groceries" in log
    assert "action: tap Save" in log
    assert "checked on the phone" in banner.status.text()
    assert banner.demo_button.isEnabled()
    with services.open_store() as store:
        stored = store.runs.get(outcome.run_id)
    assert stored["state"] == "succeeded" and "Groceries" in stored["task"]
    assert services.devices.server is not None  # the virtual phone is kept for the next run


def test_the_windows_demo_button_runs_the_demo_in_the_run_tab(
    qtbot: Any, window: MainWindow, services: Services
) -> None:
    run_view = window.view("Run")
    if not hasattr(run_view, "run_demo"):
        pytest.skip("this build's Run view cannot run the demo")
    window.show_tab("Settings")
    qtbot.mouseClick(window.banner.demo_button, _left())
    assert window.tabs.currentWidget() is run_view
    qtbot.waitUntil(lambda: bool(services.workers.jobs(VIRTUAL)), timeout=5000)
    services.workers.cancel(VIRTUAL)
    for job in services.workers.jobs(VIRTUAL):
        qtbot.waitUntil(job.done.is_set, timeout=60_000)


def test_closing_the_window_cancels_the_jobs_in_flight_and_their_questions(
    qtbot: Any, window: MainWindow, services: Services
) -> None:
    from mobile_agent.gui.prompts import ConfirmDialog, GuiConfirm
    from mobile_agent.safety import Concern

    job = services.workers.submit("phone", "long", lambda job: job.cancel.wait(30))
    confirm = GuiConfirm(window)  # no cancel of its own: only the closing window ends it
    asking = services.workers.submit(
        "other", "asks", lambda job: confirm(Concern("pay", 'tap "Buy"', "shop"))
    )
    qtbot.waitUntil(lambda: job.state == "running", timeout=5000)
    qtbot.waitUntil(lambda: window.findChild(ConfirmDialog) is not None, timeout=5000)
    with qtbot.waitSignal(window.closed, timeout=2000):
        window.close()
    assert job.wait(5) and job.result is True
    assert asking.wait(5) and asking.state == "finished" and asking.result is None


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_librarys_source_run_opens_in_the_history_tab(
    qtbot: Any, window: MainWindow, services: Services
) -> None:
    from .history_runs import record_run

    with services.open_store() as store:
        run_id = record_run(store, services.home)
    services.runs_changed.emit()
    window.show_tab("Library")
    window.view("Library").open_run.emit(run_id)  # type: ignore[attr-defined]
    assert window.tabs.currentWidget() is window.view("History")
    assert window.open_run("no-such-run") is False
    assert window.tabs.currentWidget() is window.view("History")
