"""The desktop app: `main(argv)` makes the QApplication, the shared `Services` and the
`MainWindow`, runs the event loop, and on close stops the workers and the virtual phone.

    python -m mobile_agent gui                  # or: mobile-agent gui
    mobile-agent gui --quit-after 3             # close by itself (scripted checks)
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from mobile_agent.cli.gui import positive_seconds
from mobile_agent.gui.services import Services
from mobile_agent.gui.window import MainWindow

log = logging.getLogger(__name__)
qt_log = logging.getLogger("mobile_agent.gui.qt")

SHUTDOWN_S = 10.0  # longest wait for the jobs in flight when the window closes
NO_DISPLAY = (
    "No display could be opened. Start the app in a desktop session, or set "
    "QT_QPA_PLATFORM=offscreen to run it without a visible window."
)
# Qt's notes about what the offscreen and minimal platforms cannot do: nothing to act on.
_PLATFORM_NOTES = ("This plugin does not support", "XDG_RUNTIME_DIR")


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages go to the log (at debug for the platform's notes)."""
    if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) or message.startswith(_PLATFORM_NOTES):
        qt_log.debug("%s", message)
    elif kind == QtMsgType.QtWarningMsg:
        qt_log.warning("%s", message)
    else:
        qt_log.error("%s", message)
        if "platform plugin" in message:
            qt_log.error(NO_DISPLAY)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mobile-agent gui", description="The desktop app.")
    parser.add_argument(
        "--quit-after",
        type=positive_seconds,
        metavar="SECONDS",
        help="close the window after SECONDS (for scripted checks)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app until its window closes; the exit code."""
    args = build_parser().parse_args(argv)
    return run(quit_after=args.quit_after)


def run(*, quit_after: float | None = None, home: Path | None = None) -> int:
    """Show the main window over the data directory `home` (default: the usual one)."""
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "mobile-agent"])
    assert isinstance(app, QApplication)
    app.setApplicationName("mobile-agent")
    app.setQuitOnLastWindowClosed(False)  # quit when the main window closes, not before
    services = Services(home)
    window = MainWindow(services)
    window.closed.connect(app.quit)
    window.show()
    if quit_after is not None:
        QTimer.singleShot(round(quit_after * 1000), window.close)
    keep = _close_on_interrupt(window)
    log.info("desktop app started (data directory %s)", services.home)
    try:
        code = app.exec()
    finally:
        keep.stop()
        window.close()
        services.shutdown(SHUTDOWN_S)
        log.info("desktop app closed")
    return int(code)


def _close_on_interrupt(window: MainWindow) -> QTimer:
    """Ctrl-C in the terminal closes the window (a timer lets Python see the signal)."""
    signal.signal(signal.SIGINT, lambda *_: window.close())
    timer = QTimer()
    timer.timeout.connect(lambda: None)
    timer.start(250)
    return timer
