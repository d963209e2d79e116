"""Screenshots of the desktop app for the docs, taken from a real window on the display:
the main window during the scripted demo (`run.png`) and the Library tab after it
(`library.png`). `scripts/screenshots.sh` runs this under Xvfb::

    python -m mobile_agent.gui.shots docs/screenshots

Everything happens in a temporary data directory, with a private adb server.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

SIZE = (1280, 860)
SHOT_STEP = 5  # the run's shot is taken while the operator "thinks" about this step
THINK_S = 2.5  # how long that scripted reply takes
RUN_TIMEOUT_S = 180.0


def grab(window: QWidget, path: Path) -> None:
    """Save what the display shows of `window` (the pixels of the real window)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    pixmap = screen.grabWindow(window.winId())
    if pixmap.isNull() or not pixmap.save(str(path)):
        raise RuntimeError(f"could not grab the window into {path}")
    log.info("saved %s (%dx%d)", path, pixmap.width(), pixmap.height())


def wait(ms: int) -> None:
    """Let the event loop run for `ms` milliseconds."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def thinking_demo() -> tuple[str, Any]:
    """The demo's task and a scripted model whose operator takes its time at `SHOT_STEP`
    (tapping Save), as a real model would."""
    from mobile_agent.demo import load_demo
    from mobile_agent.llm.scripted import ScriptedChatModel

    demo = load_demo()
    replies = [dict(r) if isinstance(r, dict) else r for r in demo.replies]
    for reply in replies:
        operator = isinstance(reply, dict) and reply.get("match") == "Role: operator"
        if operator and '"Save"' in str(reply.get("reply", "")):  # type: ignore[union-attr]
            reply["delay_s"] = THINK_S  # type: ignore[index]
    return demo.task, ScriptedChatModel(replies, name=f"scripted:demo-{demo.name}")


def take(out: Path, home: Path) -> list[Path]:
    """Run the demo in a main window over `home` and save the two screenshots in `out`."""
    from mobile_agent.events import Event
    from mobile_agent.gui.run_view import RunView
    from mobile_agent.gui.services import VIRTUAL, Services
    from mobile_agent.gui.window import MainWindow

    services = Services(home)
    window = MainWindow(services)
    saved: list[Path] = []
    try:
        window.resize(*SIZE)
        window.show()
        window.show_tab("Run")
        view = window.view("Run")
        assert isinstance(view, RunView), "the Run view could not be loaded"
        ended = QEventLoop()
        view.job_ended.connect(ended.quit)

        def on_event(event: Event) -> None:
            if event.kind == "plan_updated" and event.step == SHOT_STEP:
                QTimer.singleShot(round(THINK_S * 400), lambda: shoot("run.png"))

        def shoot(name: str) -> None:
            grab(window, out / name)
            saved.append(out / name)

        view.bridge.event.connect(on_event)
        task, model = thinking_demo()
        view.task_edit.setText(task)
        view.select_device(VIRTUAL)
        limit = QTimer()
        limit.setSingleShot(True)
        limit.timeout.connect(ended.quit)
        limit.start(round(RUN_TIMEOUT_S * 1000))
        view.run_task(task, models=model, serial=VIRTUAL)
        ended.exec()
        if view.run is not None:
            raise TimeoutError(f"the demo did not end within {RUN_TIMEOUT_S:g} s")
        show_library(window)
        wait(800)
        shoot("library.png")
    finally:
        window.close()
        services.shutdown(timeout_s=15)
    return saved


def show_library(window: Any) -> None:
    """The Library tab, on its shortcuts, with the first one selected."""
    window.show_tab("Library")
    library = window.view("Library")
    panel = getattr(library, "shortcuts", None)
    tabs = getattr(library, "tabs", None)
    if panel is None or tabs is None:
        return
    tabs.setCurrentWidget(panel)
    if panel.table.model().rowCount() > 0:
        panel.table.selectRow(0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mobile_agent.gui.shots", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("out", type=Path, nargs="?", default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from mobile_agent.bench.common import private_adb_server

    _app = QApplication.instance() or QApplication(["mobile-agent"])
    platform = QGuiApplication.platformName()
    if platform in ("offscreen", "minimal"):
        log.warning("Qt platform %r: these are not shots of a real window", platform)
    args.out.mkdir(parents=True, exist_ok=True)
    with private_adb_server(), tempfile.TemporaryDirectory(prefix="mobile-agent-shots-") as tmp:
        saved = take(args.out, Path(tmp))
    for path in saved:
        sys.stdout.write(f"{path}\n")
    return 0 if len(saved) == 2 else 1


if __name__ == "__main__":
    sys.exit(main())
