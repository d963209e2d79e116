"""The Run tab: pick a phone, type a task, Run / Pause / Stop, and watch it — the live
screen with its numbered elements and the last gesture, the agents' timeline, the meter,
and the final state and answer.

A run is a job on the device's worker queue (`RunJob`); its events come back through an
`EventBridge` and its screenshots, already decoded, through a `FrameDecoder`. With no model
configured, Run says so and the tab offers the scripted demo on the virtual phone instead.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mobile_agent.demo import load_demo
from mobile_agent.events import ActionExecuted, Event, RunFinished, RunStarted
from mobile_agent.gui.meter import Meter
from mobile_agent.gui.prompts import GuiAskUser, GuiConfirm
from mobile_agent.gui.run_job import RunJob
from mobile_agent.gui.screen_view import Frame, FrameDecoder, ScreenView, gesture_for
from mobile_agent.gui.services import VIRTUAL, DeviceChoice, Services
from mobile_agent.gui.timeline import Timeline
from mobile_agent.gui.workers import EventBridge, Job
from mobile_agent.llm.scripted import ScriptedChatModel

if TYPE_CHECKING:
    from mobile_agent.llm.base import ChatModel

log = logging.getLogger(__name__)

NO_MODEL = "No model is configured: add one in the Settings tab, or try the scripted demo."
_STATES = {
    "succeeded": "Succeeded",
    "failed": "Failed",
    "max_steps": "Stopped at the step limit",
    "cancelled": "Stopped",
    "device_lost": "The phone was lost",
    "budget_exceeded": "Out of budget",
    "blocked": "Blocked: waiting for you",
}


class RunView(QWidget):
    """The Run tab (see the module's docstring)."""

    run_finished = Signal(object)  # the run's RunFinished event, when it arrives
    job_ended = Signal(object)  # the RunJob, once stored (and learned from) or failed
    confirm_asked = Signal(object)  # a ConfirmDialog, once shown
    question_asked = Signal(object)  # a QuestionDialog, once shown

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.run: RunJob | None = None  # the run in progress (until its job ends)
        self.job: Job | None = None
        self.frame: Frame | None = None  # the latest screen shown
        self._refresh_job: Job | None = None
        self._looked = False  # whether the phones have been looked for yet
        self._refresh_again = False  # look again when the look in flight ends
        self.bridge = EventBridge(self)
        self.bridge.event.connect(self.on_event)
        self.frames = FrameDecoder(self)
        self.frames.frame.connect(self.show_frame)
        self._build()
        services.workers.finished.connect(self._job_finished)
        services.workers.failed.connect(self._job_failed)
        services.settings_changed.connect(lambda _settings: self._update_demo_button())
        self._fill_devices(services.devices.choices)
        self._update_demo_button()
        self._set_running(False)

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.device_box = QComboBox()
        self.device_box.setObjectName("device")
        self.device_box.setMinimumContentsLength(22)
        self.refresh_button = QToolButton()
        self.refresh_button.setText("⟳")
        self.refresh_button.setToolTip("Look for attached phones and emulators")
        self.refresh_button.clicked.connect(self.refresh_devices)
        self.task_edit = QLineEdit()
        self.task_edit.setObjectName("task")
        self.task_edit.setPlaceholderText('What to do, e.g. "Create a note titled Groceries"')
        self.task_edit.returnPressed.connect(self.start)
        self.run_button = QPushButton("Run")
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        self.run_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.demo_button = QPushButton("Scripted demo")
        self.demo_button.setToolTip(
            "Watch the agents create a note on the virtual phone with scripted model replies "
            "(no model or API key needed)"
        )
        self.demo_button.clicked.connect(self.run_demo)
        top = QHBoxLayout()
        for widget in (QLabel("Phone:"), self.device_box, self.refresh_button):
            top.addWidget(widget)
        top.addWidget(self.task_edit, 1)
        for button in (self.run_button, self.pause_button, self.stop_button, self.demo_button):
            top.addWidget(button)
        self.screen_view = ScreenView()
        self.timeline = Timeline()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.screen_view)
        splitter.addWidget(self.timeline)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.meter = Meter()
        self.state_label = QLabel("Ready.")
        self.state_label.setObjectName("state")
        self.answer_label = QLabel()
        self.answer_label.setObjectName("answer")
        self.answer_label.setWordWrap(True)
        self.answer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.meter)
        layout.addWidget(self.state_label)
        layout.addWidget(self.answer_label)

    def _update_demo_button(self) -> None:
        self.demo_button.setVisible(not self.services.has_model())

    # -- devices -----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        """The first time the tab is shown, look for attached phones."""
        super().showEvent(event)
        if not self._looked:
            self._looked = True
            self.refresh_devices()

    def refresh_devices(self) -> None:
        """Ask adb for the attached phones (on a worker) and refill the picker (once more
        after the look in flight, if there is one)."""
        if self._refresh_job is not None:
            self._refresh_again = True
            return
        self._refresh_again = False
        devices = self.services.devices
        self._refresh_job = self.services.workers.submit(
            "devices", "list devices", lambda _job: devices.refresh()
        )

    def _fill_devices(self, choices: list[DeviceChoice]) -> None:
        current = self.selected_serial()
        self.device_box.clear()
        for choice in choices:
            self.device_box.addItem(choice.label, choice.serial)
        index = self.device_box.findData(current)
        self.device_box.setCurrentIndex(max(index, 0))

    def selected_serial(self) -> str:
        """The serial of the phone picked ("virtual" for the virtual phone)."""
        data = self.device_box.currentData()
        return str(data) if data else VIRTUAL

    def select_device(self, serial: str) -> None:
        """Pick the phone `serial` (added to the picker when it is not listed)."""
        index = self.device_box.findData(serial)
        if index < 0:
            self.device_box.addItem(self.services.devices.find(serial).label, serial)
            index = self.device_box.count() - 1
        self.device_box.setCurrentIndex(index)

    # -- starting and controlling a run ------------------------------------------------------
    def start(self) -> None:
        """Run the task in the box on the picked phone (the Run button)."""
        task = " ".join(self.task_edit.text().split())
        if not task:
            self.state_label.setText("Type a task first.")
            return
        if not self.services.has_model():
            self._update_demo_button()
            self.state_label.setText(NO_MODEL)
            return
        self.run_task(task)

    def run_demo(self) -> RunJob | None:
        """The scripted demonstration (no model needed) on the virtual phone."""
        demo = load_demo()
        self.task_edit.setText(demo.task)
        self.select_device(VIRTUAL)
        model = ScriptedChatModel(demo.replies, name=f"scripted:demo-{demo.name}")
        return self.run_task(demo.task, models=model, serial=VIRTUAL)

    def run_task(
        self,
        task: str,
        models: ChatModel | Mapping[str, ChatModel] | None = None,
        serial: str | None = None,
    ) -> RunJob | None:
        """Queue a run of `task` on `serial` (default: the picked phone) with `models`
        (default: the configured ones); None when a run of this tab is still going."""
        if self.run is not None:
            self.state_label.setText("A run is still going: stop it first.")
            return None
        serial = serial or self.selected_serial()
        run = RunJob(
            self.services, task, serial, models=models, listeners=[self.bridge, self.frames]
        )
        confirm = GuiConfirm(self, run.cancel)
        confirm.asked.connect(self.confirm_asked.emit)
        ask = GuiAskUser(self, run.cancel)
        ask.asked.connect(self.question_asked.emit)
        run.confirm, run.ask_user = confirm, ask
        self._clear()
        self.run = run
        self.job = self.services.workers.submit(serial, f"run: {task[:40]}", run)
        self._set_running(True)
        self.state_label.setText(f"Starting on {self.services.devices.find(serial).label}…")
        return run

    def toggle_pause(self) -> None:
        """Pause the run at its next checkpoint, or let it go on."""
        if self.run is None:
            return
        if self.run.paused:
            self.run.resume()
            self.pause_button.setText("Pause")
            self.state_label.setText("Running…")
        else:
            self.run.pause()
            self.pause_button.setText("Resume")
            self.state_label.setText("Paused (the run holds at its next checkpoint).")

    def stop(self) -> None:
        """End the run at its next checkpoint, cancelling a model call or a question."""
        if self.run is None or self.job is None:
            return
        self.run.stop()
        self.job.cancel_job()
        self.stop_button.setEnabled(False)
        self.pause_button.setEnabled(False)
        self.state_label.setText("Stopping…")

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.demo_button.setEnabled(not running)
        self.device_box.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        self.pause_button.setText("Pause")

    def _clear(self) -> None:
        self.timeline.clear()
        self.meter.reset()
        self.frame = None
        self.screen_view.set_frame(None)
        self.screen_view.set_gesture(None)
        self.answer_label.clear()

    # -- what the run says ---------------------------------------------------------------------
    def on_event(self, event: Event) -> None:
        """One event of the run (GUI thread): the timeline, the meter, the state."""
        self.timeline.on_event(event)
        self.meter.on_event(event)
        if isinstance(event, RunStarted):
            where = self.services.devices.find(self.run.serial).label if self.run else event.device
            self.state_label.setText(f"Running on {where}…")
        elif isinstance(event, ActionExecuted) and self.frame is not None:
            f = self.frame
            self.screen_view.set_gesture(gesture_for(event.action, f.elements, f.size))
        elif isinstance(event, RunFinished):
            self._show_result(event)
            self.run_finished.emit(event)

    def show_frame(self, frame: Frame) -> None:
        """Show the latest screen (GUI thread)."""
        self.frame = frame
        self.screen_view.set_frame(frame)

    def _show_result(self, event: RunFinished) -> None:
        summary = event.summary
        state = _STATES.get(event.state.value, event.state.value)
        self.state_label.setText(state + (f" — {summary.reason}" if summary.reason else ""))
        self.answer_label.setText(f"Answer: {summary.answer}" if summary.answer else "")
        if self.run is not None:  # still storing and learning: nothing left to pause
            self.pause_button.setEnabled(False)

    def _job_finished(self, job: Job, _result: Any) -> None:
        if job is self._refresh_job:
            self._refresh_job = None
            self._fill_devices(list(_result or []))
            if self._refresh_again:
                self.refresh_devices()
            return
        if job is self.job:
            self._end_job()

    def _job_failed(self, job: Job, error: str) -> None:
        if job is self._refresh_job:
            self._refresh_job = None
            if self._refresh_again:
                self.refresh_devices()
            return
        if job is not self.job:
            return
        run = self.run
        if run is not None and run.result is None:
            self.state_label.setText(f"Could not run: {error}")
        self._end_job()

    def _end_job(self) -> None:
        run, self.run, self.job = self.run, None, None
        self._set_running(False)
        self.services.runs_changed.emit()
        self.job_ended.emit(run)
