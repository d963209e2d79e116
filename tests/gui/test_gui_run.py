"""The Run tab driven through the window: a scripted run on the virtual phone updates the
screen, the timeline and the meter as it goes and is stored; a gated delete asks, is denied
(the note stays) and then approved (the note is gone); Stop ends a run within a second;
Pause holds a run until Resume."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from scripted_agents import ElementScript, manager, operator, reflector, tap_el, with_notes

from mobile_agent.config import Settings
from mobile_agent.events import Event
from mobile_agent.gui.prompts import ConfirmDialog
from mobile_agent.gui.run_view import RunView
from mobile_agent.gui.services import VIRTUAL, Services

pytestmark = [pytest.mark.gui, pytest.mark.e2e]

NOTES = "com.example.notes"
RUN_TIMEOUT_MS = 90_000
# Text-only agents and no OCR: the scripted prompts need neither.
FAST = Settings.model_validate({"ocr_policy": "never", "agent_images": []})


@pytest.fixture
def fast_services(tmp_path: Path, qapp: object) -> Iterator[Services]:
    made = Services.for_tests(tmp_path / "home", FAST)
    try:
        yield made
    finally:
        made.shutdown(timeout_s=15)


@pytest.fixture
def view(fast_services: Services, qtbot: Any) -> RunView:
    """The window's Run tab, shown."""
    from mobile_agent.gui.window import MainWindow

    window = MainWindow(fast_services)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    run_view = window.view("Run")
    assert isinstance(run_view, RunView)
    window.show_tab("Run")
    return run_view


class Watch:
    """What the view showed at each event of the run, seen after the view handled it."""

    def __init__(self, view: RunView) -> None:
        self.view = view
        self.seen: list[dict[str, Any]] = []
        self.started = time.monotonic()
        view.bridge.event.connect(self._on_event)

    def _on_event(self, event: Event) -> None:
        v = self.view
        self.seen.append(
            {
                "kind": event.kind,
                "step": event.step,
                "at": time.monotonic(),
                "steps_shown": v.timeline.step_count(),
                "calls": int(v.meter.text("calls")),
                "screen": v.screen_view.frame is not None,
                "gesture": v.screen_view.gesture,
            }
        )

    def kinds(self) -> list[str]:
        return [s["kind"] for s in self.seen]

    def when(self, kind: str, step: int | None = None) -> dict[str, Any] | None:
        return next(
            (s for s in self.seen if s["kind"] == kind and (step is None or s["step"] == step)),
            None,
        )


def notes(services: Services) -> list[str]:
    state = services.devices.server.phone.app_state(NOTES)
    return [n["title"] for n in state["notes"]]


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_scripted_demo_runs_live_in_the_window_and_is_stored(
    view: RunView, fast_services: Services, qtbot: Any
) -> None:
    assert view.demo_button.isVisibleTo(view)  # no model configured: the demo is offered
    qtbot.keyClicks(view.task_edit, "Open Settings")
    click(qtbot, view.run_button)
    assert "No model is configured" in view.state_label.text()
    assert view.run is None
    watch = Watch(view)
    with qtbot.waitSignal(fast_services.runs_changed, timeout=RUN_TIMEOUT_MS):
        click(qtbot, view.demo_button)
        assert not view.run_button.isEnabled() and view.stop_button.isEnabled()
    # live: before the run's end, the timeline, the screen and the meter were filling in
    before_end = watch.seen[: watch.kinds().index("run_finished")]
    assert max(s["steps_shown"] for s in before_end) >= 4
    assert max(s["calls"] for s in before_end) >= 8
    assert any(s["screen"] for s in before_end)
    calls = [s["calls"] for s in before_end]
    assert calls == sorted(calls) and len(set(calls)) > 5  # counted up as calls were made
    tapped = [s["gesture"] for s in before_end if s["kind"] == "action_executed"]
    assert any(g is not None and g.kind == "tap" for g in tapped)
    # the end: the state, the meter's final counts, the timeline's rows, the screen
    assert view.state_label.text().startswith("Succeeded")
    assert view.meter.text("steps") == "5"
    rows = view.timeline.rows()
    assert any(r.startswith("Step 3: type(text='Groceries'") for r in rows)
    assert rows.count("Verdict: success (subgoal done)") == 3
    assert "Save the note" in view.timeline.plan_label.text()
    frame = view.screen_view.frame
    assert frame is not None and frame.size == (1080, 2400) and len(frame.elements) > 3
    assert "Groceries" in notes(fast_services)
    assert view.run_button.isEnabled() and not view.stop_button.isEnabled()
    with fast_services.open_store() as store:
        runs = store.runs.all()
        assert [r["state"] for r in runs] == ["succeeded"]
        assert len(store.runs.steps(runs[0]["id"])) >= 5


def _delete_script(title: str, *, after_deny: bool) -> list[Any]:
    """Open Notes, long-press the note `title` and tap Delete in its dialog; then, when
    denied, dismiss the dialog and give up; when approved, the task is done."""
    start = [
        manager(f"Delete the note {title}"),
        operator("open_app", {"app": "Notes"}),  # evident: no verdict asked
        operator("long_press", {"label": title}),
        reflector(),
        tap_el("Delete", completes=True),
    ]
    if after_deny:
        end = [
            operator("back"),
            reflector(),
            operator("finish", {"success": False, "reason": "no"}),
        ]
    else:
        end = [reflector(done=True), manager("done", completed=True)]
    return with_notes([*start, *end])


def _answer_next_confirmation(view: RunView, approve: bool, asked: list[str]) -> None:
    def answer(dialog: ConfirmDialog) -> None:
        asked.append(dialog.concern.what)
        button = dialog.approve_button if approve else dialog.deny_button
        button.click()

    view.confirm_asked.connect(answer)


def test_a_gated_delete_asks_is_denied_then_approved(
    view: RunView, fast_services: Services, qtbot: Any
) -> None:
    title = "Gym plan"
    task = f"Delete the note {title} in Notes"
    asked: list[str] = []
    _answer_next_confirmation(view, False, asked)
    with qtbot.waitSignal(view.job_ended, timeout=RUN_TIMEOUT_MS):
        view.run_task(task, ElementScript(_delete_script(title, after_deny=True)), VIRTUAL)
    assert len(asked) == 1 and "Delete" in asked[0], asked
    assert view.state_label.text().startswith("Failed")
    assert any("declined" in r for r in view.timeline.rows())
    assert title in notes(fast_services)  # denied: the note stays

    view.confirm_asked.disconnect()
    _answer_next_confirmation(view, True, asked)
    with qtbot.waitSignal(view.job_ended, timeout=RUN_TIMEOUT_MS):
        view.run_task(task, ElementScript(_delete_script(title, after_deny=False)), VIRTUAL)
    assert len(asked) == 2
    assert view.state_label.text().startswith("Succeeded"), view.state_label.text()
    assert title not in notes(fast_services)  # approved: the note is gone


TOUR = [
    manager("Tour"),
    operator("open_app", {"app": "Settings"}),
    reflector(),
    {**operator("home"), "delay_s": 60},  # a slow model call
    reflector(),
    operator("finish"),
]


def test_stop_ends_the_run_within_a_second(
    view: RunView, fast_services: Services, qtbot: Any
) -> None:
    watch = Watch(view)
    ended: list[float] = []
    view.run_finished.connect(lambda _e: ended.append(time.monotonic()))
    view.run_task("Tour", ElementScript(with_notes(TOUR)), VIRTUAL)
    qtbot.waitUntil(lambda: watch.when("step_started", 2) is not None, timeout=RUN_TIMEOUT_MS)
    qtbot.wait(300)  # inside the slow model call
    clicked = time.monotonic()
    with qtbot.waitSignal(view.job_ended, timeout=10_000):
        click(qtbot, view.stop_button)
    assert ended and ended[0] - clicked < 1.0, ended[0] - clicked if ended else None
    assert view.state_label.text().startswith("Stopped")
    actions = [s["step"] for s in watch.seen if s["kind"] == "action_executed"]
    assert actions == [1]  # the slow step never acted


PAUSED = [
    manager("Tour"),
    operator("open_app", {"app": "Settings"}),
    reflector(),
    {**operator("home"), "delay_s": 0.8},
    reflector(),
    operator("finish"),
]


def test_pause_holds_the_run_until_resume(
    view: RunView, fast_services: Services, qtbot: Any
) -> None:
    watch = Watch(view)
    view.run_task("Tour", ElementScript(with_notes(PAUSED)), VIRTUAL)
    qtbot.waitUntil(lambda: watch.when("step_started", 2) is not None, timeout=RUN_TIMEOUT_MS)
    click(qtbot, view.pause_button)
    assert view.pause_button.text() == "Resume"
    qtbot.wait(2500)  # the slow call ends meanwhile; the run holds before acting
    assert watch.when("action_executed", 2) is None
    assert watch.when("run_finished") is None
    with qtbot.waitSignal(view.job_ended, timeout=RUN_TIMEOUT_MS):
        click(qtbot, view.pause_button)
        assert view.pause_button.text() == "Pause"
    assert watch.when("action_executed", 2) is not None
    assert view.run is None and view.state_label.text().startswith("Succeeded")


def test_the_agent_s_question_is_asked_in_a_dialog_and_answered(
    view: RunView, fast_services: Services, qtbot: Any
) -> None:
    questions: list[str] = []

    def answer(dialog: Any) -> None:
        questions.append(dialog.question)
        dialog.answer_edit.setText("Groceries")
        dialog.answer_button.click()

    view.question_asked.connect(answer)
    script = [
        manager("Ask for the title"),
        operator("ask_user", {"question": "Which title should the note have?"}, completes=True),
        reflector(done=True),
        manager("done", completed=True),
    ]
    with qtbot.waitSignal(view.job_ended, timeout=RUN_TIMEOUT_MS):
        view.run_task("Ask me for a title", ElementScript(with_notes(script)), VIRTUAL)
    assert questions == ["Which title should the note have?"]
    assert "Did: the user answered: Groceries" in view.timeline.rows()
    assert view.state_label.text().startswith("Succeeded")


def test_the_picker_lists_attached_phones_besides_the_virtual_one(
    view: RunView, connected_phone: Any, qtbot: Any
) -> None:
    serial = connected_phone.serial

    def listed() -> bool:
        return view.device_box.findData(serial) >= 0

    view.refresh_devices()
    qtbot.waitUntil(lambda: view._refresh_job is None and listed(), timeout=30_000)
    assert view.device_box.itemData(0) == VIRTUAL
    view.select_device(serial)
    assert view.selected_serial() == serial
