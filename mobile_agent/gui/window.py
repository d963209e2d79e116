"""The main window: the Run, Library, History and Settings tabs, under the first-launch
banner. A view that cannot be loaded is replaced by a placeholder tab saying why, so the
window works whatever views are present."""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from mobile_agent.gui.prompts import cancel_pending
from mobile_agent.gui.services import Services
from mobile_agent.gui.welcome import WelcomeBanner
from mobile_agent.gui.workers import Job

log = logging.getLogger(__name__)

# (tab title, module under mobile_agent.gui, class)
VIEWS = (
    ("Run", "run_view", "RunView"),
    ("Library", "library", "LibraryView"),
    ("History", "history", "HistoryView"),
    ("Settings", "settings_view", "SettingsView"),
)
TITLE = "mobile-agent"


class Placeholder(QLabel):
    """What a tab shows when its view could not be loaded."""

    def __init__(self, title: str, reason: str) -> None:
        super().__init__(f"The {title} view is not available: {reason}")
        self.reason = reason
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)


def load_view(title: str, module: str, name: str, services: Services) -> QWidget:
    """The view `mobile_agent.gui.<module>.<name>(services)`, or a `Placeholder`."""
    path = f"mobile_agent.gui.{module}"
    try:
        view_class = getattr(importlib.import_module(path), name)
    except ModuleNotFoundError as exc:
        if exc.name != path:
            log.exception("the %s view could not be imported", title)
            return Placeholder(title, f"it needs {exc.name}, which is not installed")
        log.info("no %s view in this build", title)
        return Placeholder(title, "not part of this build yet")
    except Exception as exc:
        log.exception("the %s view could not be imported", title)
        return Placeholder(title, f"{type(exc).__name__}: {exc}")
    try:
        view: QWidget = view_class(services)
    except Exception as exc:
        log.exception("the %s view could not be made", title)
        return Placeholder(title, f"{type(exc).__name__}: {exc}")
    return view


class MainWindow(QMainWindow):
    """One window for running, watching, reviewing and replaying."""

    closed = Signal()  # after the window has closed (the app quits on it)

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle(TITLE)
        self.resize(1280, 860)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main-tabs")
        self.views: dict[str, QWidget] = {}
        for title, module, name in VIEWS:
            view = load_view(title, module, name, services)
            self.views[title] = view
            self.tabs.addTab(view, title)
        self.banner = WelcomeBanner(services, self)
        self.banner.open_settings.connect(lambda: self.show_tab("Settings"))
        self.banner.run_demo = self.start_demo
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        services.workers.failed.connect(self._on_failed)
        library_open_run = getattr(self.views["Library"], "open_run", None)
        if library_open_run is not None:  # "the run it came from" opens in History
            library_open_run.connect(self.open_run)
        if services.settings_error:
            self.statusBar().showMessage(f"Settings not read: {services.settings_error}")

    def view(self, title: str) -> QWidget:
        """The widget of the tab called `title` (a `Placeholder` when it is missing)."""
        return self.views[title]

    def show_tab(self, title: str) -> None:
        """Bring the tab called `title` to the front."""
        self.tabs.setCurrentWidget(self.views[title])

    @Slot(str)
    def open_run(self, run_id: str) -> bool:
        """Show the stored run `run_id` in the History tab; False when it cannot."""
        opened = getattr(self.views["History"], "open_run", None)
        if opened is None or not opened(run_id):
            return False
        self.show_tab("History")
        return True

    @Slot()
    def start_demo(self) -> object:
        """The scripted demo on the virtual phone: in the Run tab, live, when it has one;
        else as the banner's own job."""
        run_view = self.views["Run"]
        run_demo = getattr(run_view, "run_demo", None)
        if run_demo is None:
            return self.banner.start_demo()
        self.show_tab("Run")
        return run_demo()

    @Slot(object, str)
    def _on_failed(self, job: Job, error: str) -> None:
        self.statusBar().showMessage(f"{job.name} on {job.serial}: {error}", 15000)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Answer the questions in flight with "nobody", cancel every job, then close."""
        cancel_pending()
        self.services.workers.cancel()
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()
