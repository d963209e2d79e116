"""Questions a run on a worker thread asks the person at the window: the safety gate's
confirmation (`GuiConfirm`, with `ConfirmDialog`) and the agent's `ask_user` (`GuiAskUser`,
with `QuestionDialog`).

The worker blocks until the answer comes; the dialog is shown window-modal on the GUI
thread, which never waits. A cancel (the job's), a closed window or `cancel_pending()`
answers None: nobody could answer.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mobile_agent.safety import Concern

log = logging.getLogger(__name__)

_POLL_S = 0.05  # how often a waiting worker looks at its cancel
_pending: weakref.WeakSet[_Asker] = weakref.WeakSet()


class ConfirmDialog(QDialog):
    """What the agent wants to do, where, and why it needs a yes: "Approve once" / "Deny"."""

    def __init__(self, concern: Concern, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.concern = concern
        self.setWindowTitle("Confirm this action")
        self.setObjectName("confirm-dialog")
        form = QFormLayout()
        form.addRow("What:", _label(concern.what))
        form.addRow("Where:", _label(concern.package or "the app on the screen"))
        why = f"It would {concern.meaning}, and the safety gate asks before every such action."
        form.addRow("Why:", _label(why))
        buttons = QDialogButtonBox()
        self.approve_button = QPushButton("Approve once")
        self.deny_button = QPushButton("Deny")
        buttons.addButton(self.approve_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.deny_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.approve_button.setAutoDefault(False)
        self.deny_button.setDefault(True)  # Enter is the safe answer
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_label("The agent wants to do something that needs your yes."))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def answer(self) -> bool:
        """True when approved (once)."""
        return self.result() == QDialog.DialogCode.Accepted


class QuestionDialog(QDialog):
    """The agent's question and a box for the answer: "Answer" / "Don't answer"."""

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The agent asks")
        self.setObjectName("question-dialog")
        self.question = question
        self.answer_edit = QLineEdit()
        self.answer_edit.setPlaceholderText("Your answer")
        buttons = QDialogButtonBox()
        self.answer_button = QPushButton("Answer")
        self.skip_button = QPushButton("Don't answer")
        buttons.addButton(self.answer_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.answer_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(question))
        layout.addWidget(self.answer_edit)
        layout.addWidget(buttons)

    def answer(self) -> str | None:
        """The text typed, or None when skipped or left empty."""
        text = self.answer_edit.text().strip()
        return text if self.result() == QDialog.DialogCode.Accepted and text else None


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _Request:
    """One question in flight: answered once, from whichever side comes first."""

    def __init__(self, payload: Any) -> None:
        self.payload = payload
        self.answered = threading.Event()
        self.answer: Any = None
        self.dialog: QDialog | None = None

    def give(self, answer: Any) -> None:
        if not self.answered.is_set():
            self.answer = answer
            self.answered.set()


class _Asker(QObject):
    """Shows the dialogs on the GUI thread; `wait` blocks a worker until the answer."""

    asked = Signal(object)  # the dialog, once shown (for tests and the window)
    _show = Signal(object)
    _close = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        make: Callable[[Any, QWidget], QDialog],
        read: Callable[[QDialog], Any],
    ) -> None:
        super().__init__()
        app = QCoreApplication.instance()
        if app is not None and self.thread() != app.thread():
            self.moveToThread(app.thread())
        self._parent = weakref.ref(parent)
        self._make, self._read = make, read
        self._requests: list[_Request] = []
        self._show.connect(self._open, Qt.ConnectionType.QueuedConnection)
        self._close.connect(self._dismiss, Qt.ConnectionType.QueuedConnection)
        _pending.add(self)

    def ask(self, payload: Any, cancel: threading.Event | None) -> Any:
        """The answer to `payload` (None when cancelled or nobody could answer)."""
        request = _Request(payload)
        if QThread.currentThread() == self.thread():  # asked on the GUI thread itself
            self._open(request, modal=True)
            return request.answer
        self._show.emit(request)
        while not request.answered.wait(_POLL_S):
            if cancel is not None and cancel.is_set():
                request.give(None)
                self._close.emit(request)
        return request.answer

    @Slot(object)
    def _open(self, request: _Request, modal: bool = False) -> None:
        parent = self._parent()
        if request.answered.is_set():
            return
        if parent is None or not _alive(parent):
            request.give(None)
            return
        dialog = self._make(request.payload, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        request.dialog = dialog
        self._requests.append(request)
        dialog.finished.connect(lambda _code: self._finish(request, dialog))
        dialog.destroyed.connect(lambda *_: self._finish(request, None))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if modal:
            self.asked.emit(dialog)
            dialog.exec()
            return
        dialog.open()
        self.asked.emit(dialog)

    def _finish(self, request: _Request, dialog: QDialog | None) -> None:
        request.give(self._read(dialog) if dialog is not None else None)
        if request in self._requests:
            self._requests.remove(request)

    @Slot(object)
    def _dismiss(self, request: _Request) -> None:
        if request.dialog is not None and _alive(request.dialog):
            request.dialog.reject()

    def cancel_all(self) -> None:
        """Answer None to every question in flight and close its dialog (GUI thread)."""
        for request in list(self._requests):
            request.give(None)
            self._dismiss(request)
        self._requests.clear()


def _alive(widget: QObject) -> bool:
    from shiboken6 import isValid

    return bool(isValid(widget))


def cancel_pending() -> None:
    """Answer None to every confirmation and question in flight (the window is closing)."""
    for asker in list(_pending):
        asker.cancel_all()


class GuiConfirm:
    """A `Confirm` for a `SafetyGate` used on a worker thread: asks with `ConfirmDialog` on
    the GUI thread and blocks the worker until answered; None if cancelled or the window
    closes."""

    def __init__(self, parent: QWidget, cancel: threading.Event | None = None) -> None:
        self.cancel = cancel
        self._asker = _Asker(parent, lambda c, p: ConfirmDialog(c, p), _confirmed)
        self.asked = self._asker.asked  # the ConfirmDialog, once shown

    def __call__(self, concern: Concern) -> bool | None:
        log.info("asking to confirm: %s", concern.what)
        answer: bool | None = self._asker.ask(concern, self.cancel)
        log.info("confirmation of %s: %s", concern.what, _said(answer))
        return answer


class GuiAskUser:
    """The runner's `ask_user` on a worker thread: a `QuestionDialog` on the GUI thread; the
    answer, or None when skipped, empty, cancelled or the window closes."""

    def __init__(self, parent: QWidget, cancel: threading.Event | None = None) -> None:
        self.cancel = cancel
        self._asker = _Asker(parent, lambda q, p: QuestionDialog(q, p), _answered)
        self.asked = self._asker.asked  # the QuestionDialog, once shown

    def __call__(self, question: str) -> str | None:
        answer: str | None = self._asker.ask(question, self.cancel)
        return answer


def _confirmed(dialog: QDialog) -> bool:
    return isinstance(dialog, ConfirmDialog) and dialog.answer()


def _answered(dialog: QDialog) -> str | None:
    return dialog.answer() if isinstance(dialog, QuestionDialog) else None


def _said(answer: bool | None) -> str:
    return {True: "approved", False: "denied", None: "nobody answered"}[answer]
