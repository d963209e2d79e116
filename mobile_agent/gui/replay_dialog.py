"""Replay a stored shortcut on a device from the Library, and watch it.

    dialog = ReplayDialog(services, stored_shortcut, parent)
    dialog.show()            # arguments (typed from the shortcut's params), a device, Replay

The replay runs as a `Workers` job on the device's queue (`replay_stored`, with the safety
gate asking through `GuiConfirm` and the events coming back through an `EventBridge`): each
step appears as it passes, with the latest screenshot and the last tap drawn on it, then the
result. The replay is stored as a run; `services.runs_changed` is emitted once it is, and
"Open run in History" asks the window to show it (`open_run`).
"""

from __future__ import annotations

import logging
import threading
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mobile_agent.events import (
    ActionChosen,
    Event,
    RunStarted,
    ScreenPerceived,
    StepFinished,
)
from mobile_agent.gui.prompts import GuiConfirm
from mobile_agent.gui.screen_view import Frame, ScreenView, decode_frame, gesture_for
from mobile_agent.gui.services import policy_from
from mobile_agent.gui.workers import EventBridge, Job
from mobile_agent.runner.replay import (
    ReplayArgumentError,
    action_text,
    replay_stored,
    replay_task,
    shortcut_values,
)
from mobile_agent.safety import SafetyGate

if TYPE_CHECKING:
    from mobile_agent.gui.services import DeviceChoice, Services
    from mobile_agent.memory import ParamSpec, StoredShortcut
    from mobile_agent.runner.replay import ReplayResult

log = logging.getLogger(__name__)

DEVICE_LANE = "devices"  # the worker queue that asks adb for devices (shared with Run)
_GOOD, _BAD = QColor(20, 130, 60), QColor(200, 30, 40)
_INT_RANGE = (-(2**31), 2**31 - 1)


def argument_input(param: ParamSpec) -> QWidget:
    """The input of one argument, typed from its declared type."""
    widget: QWidget
    if param.type == "boolean":
        widget = QCheckBox()
    elif param.type == "integer":
        widget = QSpinBox()
        widget.setRange(*_INT_RANGE)
    elif param.type == "number":
        widget = QDoubleSpinBox()
        widget.setRange(-1e12, 1e12)
        widget.setDecimals(6)
    else:
        widget = QLineEdit(placeholderText=param.description or param.name)
    widget.setToolTip(param.description or param.type)
    return widget


def argument_text(widget: QWidget) -> str:
    """What an argument input holds, as the text `shortcut_values` converts."""
    if isinstance(widget, QCheckBox):
        return "true" if widget.isChecked() else "false"
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return str(widget.value())
    return widget.text() if isinstance(widget, QLineEdit) else ""


def set_argument_text(widget: QWidget, text: str) -> None:
    """Put `text` (as `argument_text` gives it) back into an argument input."""
    if isinstance(widget, QCheckBox):
        widget.setChecked(text == "true")
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(text))
    elif isinstance(widget, QDoubleSpinBox):
        widget.setValue(float(text))
    elif isinstance(widget, QLineEdit):
        widget.setText(text)


class ReplayDialog(QDialog):
    """Replays one stored shortcut on a chosen device with a live view (see the module)."""

    open_run = Signal(str)  # "Open run in History": the replay's run id
    replayed = Signal(object)  # the ReplayResult, once stored
    confirm_asked = Signal(object)  # the safety gate's ConfirmDialog, once shown
    _frame = Signal(object, object)  # (Frame, action or None), decoded on the worker

    def __init__(
        self, services: Services, shortcut: StoredShortcut, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.job: Job | None = None
        self.last_result: ReplayResult | None = None
        self.run_id = ""
        self.error = ""
        self._list_job: Job | None = None
        self._last_frame: Frame | None = None  # the latest screen (decoded on the worker)
        self._steps: dict[int, QListWidgetItem] = {}
        self.inputs: dict[str, QWidget] = {}  # argument name → its input
        self._kinds: dict[str, str] = {}  # argument name → its declared type
        self.bridge = EventBridge(self)
        self._build()
        self.set_shortcut(shortcut)
        self._connect()
        self.refresh_devices()

    # -- building ---------------------------------------------------------------------
    def _build(self) -> None:
        self.setObjectName("replay-dialog")
        self.resize(900, 640)
        self.header = QLabel(wordWrap=True)
        self.form = QFormLayout()
        self.device_box = QComboBox()
        self.refresh_button = QPushButton("Refresh")
        devices = QHBoxLayout()
        devices.addWidget(self.device_box, 1)
        devices.addWidget(self.refresh_button)
        self.steps = QListWidget()
        self.screen_view = ScreenView()
        self.screen_view.placeholder = "The screen appears here during the replay"
        self.status = QLabel("Choose the arguments and a device, then Replay.", wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.replay_button = QPushButton("Replay")
        self.replay_button.setDefault(True)
        self.stop_button = QPushButton("Stop")
        self.run_button = QPushButton("Open run in History")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        for button in (self.replay_button, self.stop_button, self.run_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.header)
        column.addLayout(self.form)
        column.addWidget(QLabel("Device:"))
        column.addLayout(devices)
        column.addWidget(QLabel("Steps:"))
        column.addWidget(self.steps, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.screen_view)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.bridge.event.connect(self._on_event)
        self._frame.connect(self._show_frame, Qt.ConnectionType.QueuedConnection)
        workers = self.services.workers
        workers.finished.connect(self._job_finished)
        workers.failed.connect(self._job_failed)
        self.refresh_button.clicked.connect(lambda _checked=False: self.refresh_devices())
        self.replay_button.clicked.connect(lambda _checked=False: self.start())
        self.stop_button.clicked.connect(lambda _checked=False: self.stop())
        self.run_button.clicked.connect(lambda _checked=False: self.open_run.emit(self.run_id))
        self.close_button.clicked.connect(lambda _checked=False: self.close())
        self._update()

    def set_shortcut(self, shortcut: StoredShortcut) -> None:
        """Show `shortcut` (its description and one input per argument); values already
        typed for arguments of the same name and type are kept."""
        old = {n: (self._kinds[n], argument_text(w)) for n, w in self.inputs.items()}
        self.shortcut = shortcut
        self.setWindowTitle(f"Replay {shortcut.name}")
        guard = f"<br><i>Needs:</i> {escape(shortcut.guard.describe())}" if shortcut.guard else ""
        self.header.setText(
            f"<b>{escape(shortcut.name)}</b> (version {shortcut.version}, {shortcut.status}): "
            f"{escape(shortcut.description)}{guard}"
        )
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs, self._kinds = {}, {}
        for param in shortcut.params:
            widget = argument_input(param)
            kept = old.get(param.name)
            if kept is not None and kept[0] == param.type:
                set_argument_text(widget, kept[1])
            self.inputs[param.name], self._kinds[param.name] = widget, param.type
            self.form.addRow(f"{param.name} ({param.type}):", widget)
        if not shortcut.params:
            self.form.addRow(QLabel("This shortcut takes no arguments."))

    # -- devices ----------------------------------------------------------------------
    def refresh_devices(self) -> None:
        """List the devices again (adb, on a worker); the picker keeps its choice."""
        self._fill_devices(self.services.devices.choices)
        if self._list_job is None:
            self._list_job = self.services.workers.submit(
                DEVICE_LANE, "list devices", lambda _job: self.services.devices.refresh()
            )

    def _fill_devices(self, choices: list[DeviceChoice]) -> None:
        chosen = self.device_box.currentData()
        wanted = chosen.serial if chosen is not None else self.services.settings.device
        self.device_box.clear()
        for choice in choices:
            self.device_box.addItem(choice.label, choice)
        serials = [c.serial for c in choices]
        if wanted in serials:
            self.device_box.setCurrentIndex(serials.index(wanted))

    def choose_device(self, serial: str) -> bool:
        """Pick the device with `serial` in the picker; False when it is not listed."""
        for number in range(self.device_box.count()):
            if self.device_box.itemData(number).serial == serial:
                self.device_box.setCurrentIndex(number)
                return True
        return False

    # -- the replay -------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.job is not None

    def values(self) -> dict[str, Any]:
        """The arguments, typed; `ReplayArgumentError` names a bad one."""
        given = {name: argument_text(widget) for name, widget in self.inputs.items()}
        return shortcut_values(self.shortcut.params, given)

    def start(self) -> Job | None:
        """Start the replay on the chosen device (None, saying why, when it cannot)."""
        if self.running:
            return None
        choice: DeviceChoice | None = self.device_box.currentData()
        try:
            values = self.values()
        except ReplayArgumentError as exc:
            return self._refuse(str(exc))
        if choice is None:
            return self._refuse("Choose a device first.")
        self._reset_view()
        name, stop = self.shortcut.name, threading.Event()
        gate = self._gate(replay_task(name, values), stop)
        self.job = self.services.workers.submit(
            choice.serial, f"replay {name}", lambda job: self._work(job, name, values, choice, gate)
        )
        self.job.on_cancel(stop.set)  # a Stop also closes a confirmation left open
        self._say(f"Replaying {name} on {choice.label}…")
        self._update()
        return self.job

    def _gate(self, task: str, stop: threading.Event) -> SafetyGate:
        """The replay's safety gate: the settings' policy, confirmations asked here."""
        confirm = GuiConfirm(self, cancel=stop)
        confirm.asked.connect(self.confirm_asked)
        return SafetyGate(policy_from(self.services.settings, task), confirm=confirm)

    def _work(
        self,
        job: Job,
        name: str,
        values: dict[str, Any],
        choice: DeviceChoice,
        gate: SafetyGate,
    ) -> ReplayResult:
        """On the device's worker: open the device, replay, store the run."""
        devices = self.services.devices
        with devices.hold(choice.serial):
            device, _server = devices.open(choice)
            try:
                with self.services.open_store() as store:
                    return replay_stored(
                        store,
                        name,
                        values,
                        device,
                        self.services.home,
                        gate=gate,
                        cancel=job.cancel,
                        listeners=[self.bridge, self._frames],
                    )
            finally:
                device.close()

    def _frames(self, event: Event) -> None:
        """On the worker: decode each screenshot there, so the GUI thread only paints; an
        action is drawn on the screen it was taken on."""
        if isinstance(event, ScreenPerceived) and event.png:
            frame = decode_frame(event.png, event.elements)
            if frame is not None:
                self._last_frame = frame
                self._frame.emit(frame, None)
        elif isinstance(event, ActionChosen) and self._last_frame is not None:
            self._frame.emit(self._last_frame, event.action)

    def stop(self) -> None:
        """Stop the replay before its next step."""
        if self.job is not None:
            self.job.cancel_job()
            self._say("Stopping…")

    def _refuse(self, why: str) -> Job | None:
        self._say(why, error=True)
        return None

    def _reset_view(self) -> None:
        self.last_result, self.run_id, self.error = None, "", ""
        self.steps.clear()
        self._steps, self._last_frame = {}, None
        self.screen_view.set_frame(None)
        self.screen_view.set_gesture(None)

    # -- what comes back --------------------------------------------------------------
    @Slot(object)
    def _on_event(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.run_id = event.run_id
        elif isinstance(event, ActionChosen):
            self._step_item(event.step).setText(f"{event.step}. {action_text(event.action)} …")
        elif isinstance(event, StepFinished):
            item = self._step_item(event.step)
            shown = action_text(event.action or {})
            why = f" — {event.reason}" if event.reason else ""
            item.setText(f"{event.step}. {shown}: {event.outcome}{why}")
            item.setForeground(_GOOD if event.ok else _BAD)
            item.setToolTip(item.text())

    def _step_item(self, number: int) -> QListWidgetItem:
        item = self._steps.get(number)
        if item is None:
            item = self._steps[number] = QListWidgetItem(f"{number}.")
            self.steps.addItem(item)
            self.steps.scrollToItem(item)
        return item

    @Slot(object, object)
    def _show_frame(self, frame: Frame, action: dict[str, Any] | None) -> None:
        self.screen_view.set_frame(frame)
        if action is not None:  # drawn where it lands, and kept until the next action
            self.screen_view.set_gesture(gesture_for(action, frame.elements, frame.size))

    @Slot(object, object)
    def _job_finished(self, job: Job, result: Any) -> None:
        if job is self._list_job:
            self._list_job = None
            self._fill_devices(result)
            self._update()
            return
        if job is not self.job:
            return
        self.job, self.last_result = None, result
        self.run_id = result.run_id or self.run_id
        ok = result.ok
        text = f"{result.shortcut} on {result.device}: {result.verdict} "
        text += f"({sum(s.ok for s in result.steps)}/{result.total_steps} steps, "
        text += f"{result.elapsed_s:.1f} s)" + (f" — {result.reason}" if result.reason else "")
        self._say(text, error=not ok)
        self._update()
        self.services.runs_changed.emit()
        self.replayed.emit(result)

    @Slot(object, str)
    def _job_failed(self, job: Job, error: str) -> None:
        if job is self._list_job:
            self._list_job = None
            self._update()
            return
        if job is not self.job:
            return
        self.job, self.error = None, error
        self._say(f"The replay could not run: {error}", error=True)
        self._update()
        if self.run_id:  # it got as far as storing a run
            self.services.runs_changed.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b22222" if error else "")
        self.status.setText(text)

    def _update(self) -> None:
        running = self.running
        self.replay_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.run_button.setEnabled(bool(self.run_id) and not running)
        self.refresh_button.setEnabled(self._list_job is None)
        self.device_box.setEnabled(not running)
        for widget in self.inputs.values():
            widget.setEnabled(not running)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing stops a replay in progress (the dialog stays until it has ended)."""
        self.stop()
        super().closeEvent(event)
