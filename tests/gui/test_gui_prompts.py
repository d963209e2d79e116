"""The safety gate's confirmation and the agent's question, asked from a worker thread: the
worker waits for the answer, the GUI thread never does."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from mobile_agent.gui.prompts import (
    ConfirmDialog,
    GuiAskUser,
    GuiConfirm,
    QuestionDialog,
    cancel_pending,
)
from mobile_agent.safety import Concern

pytestmark = pytest.mark.gui

SEND = Concern("send", 'tap "Send" in Messages', "com.example.messages")


class Asked:
    """Calls `ask` on a worker thread and keeps its answer."""

    def __init__(self, ask: Callable[[], Any]) -> None:
        self.answer: Any = "not yet"
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ask,), daemon=True)
        self.thread.start()

    def _run(self, ask: Callable[[], Any]) -> None:
        self.answer = ask()
        self.done.set()


@pytest.fixture
def window(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _dialog_of(qtbot: Any, window: QWidget, kind: type) -> Any:
    qtbot.waitUntil(lambda: window.findChild(kind) is not None, timeout=5000)
    dialog = window.findChild(kind)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def _ticking(qtbot: Any, ms: int) -> int:
    """How many 10 ms timer ticks the GUI thread ran in `ms`."""
    ticks = [0]
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(10)
    qtbot.wait(ms)
    timer.stop()
    return ticks[0]


def test_approve_once_answers_true_and_the_worker_waits_until_then(
    qtbot: Any, window: QWidget
) -> None:
    confirm = GuiConfirm(window)
    asked = Asked(lambda: confirm(SEND))
    dialog = _dialog_of(qtbot, window, ConfirmDialog)
    shown = _shown_text(dialog)
    assert 'tap "Send" in Messages' in shown  # what
    assert "com.example.messages" in shown  # where
    assert "send, post or share something" in shown  # why
    assert _ticking(qtbot, 150) >= 5  # the GUI thread runs while the question is open
    assert not asked.done.is_set()  # the worker is still blocked
    qtbot.mouseClick(dialog.approve_button, _left())
    assert asked.done.wait(3)
    assert asked.answer is True


def test_deny_answers_false(qtbot: Any, window: QWidget) -> None:
    confirm = GuiConfirm(window)
    asked = Asked(lambda: confirm(SEND))
    dialog = _dialog_of(qtbot, window, ConfirmDialog)
    assert dialog.deny_button.isDefault()  # Enter is the safe answer
    qtbot.mouseClick(dialog.deny_button, _left())
    assert asked.done.wait(3)
    assert asked.answer is False


def test_cancel_answers_none_and_closes_the_dialog(qtbot: Any, window: QWidget) -> None:
    cancel = threading.Event()
    confirm = GuiConfirm(window, cancel=cancel)
    asked = Asked(lambda: confirm(SEND))
    dialog = _dialog_of(qtbot, window, ConfirmDialog)
    started = time.monotonic()
    cancel.set()
    assert asked.done.wait(3)
    assert time.monotonic() - started < 1
    assert asked.answer is None
    qtbot.waitUntil(lambda: window.findChild(ConfirmDialog) is None, timeout=3000)
    del dialog


def test_a_closing_window_answers_none(qtbot: Any, window: QWidget) -> None:
    confirm = GuiConfirm(window)
    asked = Asked(lambda: confirm(SEND))
    _dialog_of(qtbot, window, ConfirmDialog)
    cancel_pending()
    assert asked.done.wait(3)
    assert asked.answer is None


def test_a_destroyed_window_answers_none(qtbot: Any) -> None:
    widget = QWidget()
    widget.show()
    confirm = GuiConfirm(widget)
    asked = Asked(lambda: confirm(SEND))
    _dialog_of(qtbot, widget, ConfirmDialog)
    widget.deleteLater()
    qtbot.waitUntil(asked.done.is_set, timeout=3000)
    assert asked.answer is None


def test_two_workers_asking_get_their_own_answers(qtbot: Any, window: QWidget) -> None:
    confirm = GuiConfirm(window)
    dialogs: list[ConfirmDialog] = []
    confirm.asked.connect(dialogs.append)
    pay = Concern("pay", 'tap "Buy" in Shop', "com.example.shop")
    first = Asked(lambda: confirm(SEND))
    second = Asked(lambda: confirm(pay))
    qtbot.waitUntil(lambda: len(dialogs) == 2, timeout=5000)
    by_kind = {d.concern.kind: d for d in dialogs}
    qtbot.mouseClick(by_kind["pay"].approve_button, _left())
    qtbot.mouseClick(by_kind["send"].deny_button, _left())
    assert first.done.wait(3) and second.done.wait(3)
    assert (first.answer, second.answer) == (False, True)


def test_asked_on_the_gui_thread_itself_the_dialog_is_modal_and_answers(
    qtbot: Any, window: QWidget
) -> None:
    confirm = GuiConfirm(window)
    confirm.asked.connect(lambda d: QTimer.singleShot(50, d.approve_button.click))
    assert confirm(SEND) is True  # no worker to block: a nested event loop waits instead
    confirm = GuiConfirm(window)
    confirm.asked.connect(lambda d: QTimer.singleShot(50, d.reject))  # Esc, or the close box
    assert confirm(SEND) is False


def test_the_agents_question_gets_the_typed_answer(qtbot: Any, window: QWidget) -> None:
    ask = GuiAskUser(window)
    asked = Asked(lambda: ask("Which Anna: Anna Berg or Anna Lind?"))
    dialog = _dialog_of(qtbot, window, QuestionDialog)
    assert "Which Anna" in _shown_text(dialog)
    assert not asked.done.is_set()
    qtbot.keyClicks(dialog.answer_edit, "Anna Lind")
    qtbot.mouseClick(dialog.answer_button, _left())
    assert asked.done.wait(3)
    assert asked.answer == "Anna Lind"


def test_a_skipped_or_cancelled_question_answers_none(qtbot: Any, window: QWidget) -> None:
    ask = GuiAskUser(window)
    asked = Asked(lambda: ask("Which Anna?"))
    dialog = _dialog_of(qtbot, window, QuestionDialog)
    qtbot.keyClicks(dialog.answer_edit, "ignored")
    qtbot.mouseClick(dialog.skip_button, _left())
    assert asked.done.wait(3)
    assert asked.answer is None
    cancel = threading.Event()
    ask = GuiAskUser(window, cancel=cancel)
    asked = Asked(lambda: ask("Still there?"))
    qtbot.waitUntil(lambda: window.findChild(QuestionDialog) is not None, timeout=5000)
    cancel.set()
    assert asked.done.wait(3)
    assert asked.answer is None


def _shown_text(dialog: Any) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
