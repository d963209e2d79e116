"""The first launch: with no model configured, a banner says how to add one and offers the
scripted demonstration on the virtual phone (the same run as `mobile-agent demo`), run on
the virtual phone's worker with its progress shown in the banner."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mobile_agent.events import (
    ActionChosen,
    Event,
    PlanUpdated,
    Reflected,
    RunFinished,
    RunResult,
    RunStarted,
    StepFailed,
)
from mobile_agent.gui.services import VIRTUAL, Services, policy_from
from mobile_agent.gui.workers import EventBridge, Job

if TYPE_CHECKING:
    from mobile_agent.demo import Demo

log = logging.getLogger(__name__)

NO_MODEL = (
    "<b>No language model is configured yet.</b> Add one in the <b>Settings</b> tab, or on "
    "the command line: <code>mobile-agent config set model openai:gpt-4o</code> (and your "
    "key in the keyring or in <code>OPENAI_API_KEY</code>; <code>ollama:qwen2.5vl:7b</code> "
    "needs no key). Meanwhile you can watch the agents work with scripted replies."
)
DEMO_BUTTON = "Try the scripted demo on the virtual phone"
SCRIPTED = "The model's replies are scripted (no language model is called); the phone is real."


@dataclass(frozen=True)
class DemoOutcome:
    """How the demonstration went, and whether the phone shows the task done."""

    result: RunResult
    verified: bool
    run_id: str = ""
    learned: str = ""


def demo_work(
    services: Services, parent: QWidget, bridge: EventBridge
) -> Callable[[Job], DemoOutcome]:
    """The demonstration as a job for the virtual phone's worker: events go to `bridge`,
    the safety gate asks with dialogs over `parent`, and the run is stored and learned from
    like any run of `mobile-agent demo`."""

    def work(job: Job) -> DemoOutcome:
        from mobile_agent.demo import load_demo

        demo = load_demo()
        device, server = services.devices.open(VIRTUAL)
        try:
            return _run_demo(services, demo, device, server, parent, bridge, job)
        finally:
            device.close()

    return work


def _run_demo(
    services: Services,
    demo: Demo,
    device: object,
    server: object,
    parent: QWidget,
    bridge: EventBridge,
    job: Job,
) -> DemoOutcome:
    from mobile_agent.cli.memory_session import MemorySession
    from mobile_agent.gui.prompts import GuiAskUser, GuiConfirm
    from mobile_agent.llm.scripted import ScriptedChatModel
    from mobile_agent.perception import get_ocr_engine
    from mobile_agent.runner import Runner
    from mobile_agent.safety import SafetyGate

    settings = services.settings
    model = ScriptedChatModel(demo.replies, name=f"scripted:demo-{demo.name}")
    gate = SafetyGate(policy_from(settings, demo.task), confirm=GuiConfirm(parent, job.cancel))
    with MemorySession(services.open_store(), demo.task, data_dir=services.home) as memory:
        runner = Runner(
            device,  # type: ignore[arg-type]
            model,
            settings=settings,
            listeners=[bridge],
            ask_user=GuiAskUser(parent, job.cancel),
            ocr=get_ocr_engine(settings.ocr),
            gate=gate,
            **memory.runner_options(),
        )
        memory.attach(runner)
        job.on_cancel(runner.stop)
        result = runner.run(demo.task)
        learned = memory.learn(model, interrupted=job.cancelled, cancel=job.cancel)
        run_id = memory.recorder.run_id if memory.recorder else ""
    verified = result.succeeded and demo.verify(server.phone.app_state)  # type: ignore[attr-defined]
    return DemoOutcome(result, verified, run_id, learned.line() if learned else "")


def describe(event: Event) -> str:
    """One line of the banner's log for `event` ("" for events it does not show)."""
    if isinstance(event, RunStarted):
        return f"Started: {event.task}"
    if isinstance(event, PlanUpdated):
        return f"Step {event.step} · plan: {event.current_subgoal}"
    if isinstance(event, ActionChosen):
        return f"Step {event.step} · action: {event.description or event.action.get('name', '')}"
    if isinstance(event, Reflected):
        return f"Step {event.step} · verdict: {event.outcome}"
    if isinstance(event, StepFailed):
        return f"Step {event.step} · failed ({event.phase}): {event.reason}"
    if isinstance(event, RunFinished):
        return f"Finished: {event.state.value}" + (
            f" — {event.summary.reason}" if event.summary.reason else ""
        )
    return ""


class WelcomeBanner(QFrame):
    """Shown while no model is configured: how to add one, and the scripted demo."""

    open_settings = Signal()
    demo_finished = Signal(object)  # DemoOutcome (or None when the demo failed)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.job: Job | None = None
        self.outcome: DemoOutcome | None = None
        # what the demo button does: the window runs the demo in its Run tab when it can
        self.run_demo: Callable[[], object] = self.start_demo
        self.setObjectName("welcome-banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.bridge = EventBridge(self)
        self.bridge.event.connect(self._on_event)
        self._build()
        services.workers.finished.connect(self._on_finished)
        services.workers.failed.connect(self._on_failed)
        services.settings_changed.connect(self._on_settings)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setVisible(not services.has_model())

    def _build(self) -> None:
        self.message = QLabel(NO_MODEL)
        self.message.setWordWrap(True)
        self.settings_button = QPushButton("Open Settings")
        self.demo_button = QPushButton(DEMO_BUTTON)
        self.stop_button = QPushButton("Stop the demo")
        self.stop_button.setVisible(False)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(300)
        self.log.setMaximumHeight(140)
        self.log.setVisible(False)
        self.settings_button.clicked.connect(self.open_settings)
        self.demo_button.clicked.connect(self._request_demo)
        self.stop_button.clicked.connect(self.stop_demo)
        buttons = QHBoxLayout()
        for button in (self.demo_button, self.stop_button, self.settings_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.log)

    @Slot()
    def _request_demo(self) -> None:
        self.run_demo()

    @Slot()
    def start_demo(self) -> Job | None:
        """Run the demonstration on the virtual phone as this banner's own job (once at a
        time), its progress shown here."""
        if self.job is not None and not self.job.done.is_set():
            return self.job
        self.outcome = None
        self.log.clear()
        self.log.setVisible(True)
        self._say("Starting the virtual phone… " + SCRIPTED)
        self.demo_button.setEnabled(False)
        self.stop_button.setVisible(True)
        work = demo_work(self.services, self.window(), self.bridge)
        self.job = self.services.workers.submit(VIRTUAL, "scripted demo", work)
        return self.job

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    @Slot()
    def stop_demo(self) -> None:
        if self.job is not None:
            self.job.cancel_job()
            self._say("Stopping after the step in flight…")

    @Slot(object)
    def _on_event(self, event: Event) -> None:
        line = describe(event)
        if line:
            self.log.appendPlainText(line)
        if isinstance(event, RunStarted):
            self._say("The demo is running. " + SCRIPTED)

    @Slot(object, object)
    def _on_finished(self, job: Job, outcome: object) -> None:
        if job is not self.job or not isinstance(outcome, DemoOutcome):
            return
        self.outcome = outcome
        self._done(_summary(outcome))
        self.services.runs_changed.emit()
        self.demo_finished.emit(outcome)

    @Slot(object, str)
    def _on_failed(self, job: Job, error: str) -> None:
        if job is not self.job:
            return
        self._done(f"The demo could not run: {error}")
        self.demo_finished.emit(None)

    def _done(self, text: str) -> None:
        self._say(text)
        self.demo_button.setEnabled(True)
        self.stop_button.setVisible(False)

    @Slot(object)
    def _on_settings(self, settings: object) -> None:
        if self.services.has_model() and (self.job is None or self.job.done.is_set()):
            self.setVisible(False)
        elif not self.services.has_model():
            self.setVisible(True)


def _summary(outcome: DemoOutcome) -> str:
    result = outcome.result
    if outcome.verified:
        head = (
            f"The demo succeeded in {result.steps} steps: the note is on the virtual phone "
            "(checked on the phone)."
        )
    else:
        head = f"The demo ended {result.state.value}" + (
            f": {result.reason}" if result.reason else "."
        )
    stored = f" The run {outcome.run_id} is in the History tab." if outcome.run_id else ""
    learned = f" Memory: {outcome.learned}." if outcome.learned else ""
    return head + stored + learned + " (The model's replies were scripted.)"
