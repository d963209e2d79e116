"""API keys: one row per provider that takes a key, stored in the OS keyring.

Keys are read and written with `mobile_agent.llm.keys` (the same place the CLI's
`config set-key` uses), on a short-lived thread each time, because a keyring may wait on a
desktop unlock prompt and the GUI thread must not. Where no usable keyring exists, each row
says which environment variable the key must come from instead; those keep working.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from mobile_agent.errors import ConfigError
from mobile_agent.llm.factory import PROVIDERS, Provider
from mobile_agent.llm.keys import GENERIC_ENV, delete_api_key, keyring_key, store_api_key

log = logging.getLogger(__name__)
_ERROR_STYLE = "color: #b00020;"


def key_providers() -> list[Provider]:
    """The providers that read an API key from an environment variable."""
    return [p for p in PROVIDERS.values() if p.env_vars]


def keyring_problem() -> str | None:
    """Why there is no usable OS keyring, or None when there is one."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return "the keyring package is not installed"
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return "no OS keyring (such as Secret Service, KWallet, macOS Keychain) was found"
    return None


def env_source(provider: Provider) -> str | None:
    """The environment variable that gives `provider` its key now, if any."""
    return next((v for v in (*provider.env_vars, GENERIC_ENV) if os.environ.get(v)), None)


def use_env_instead(provider: Provider) -> str:
    """How to give `provider` a key without a keyring."""
    return (
        f"Set {' or '.join(provider.env_vars)} in the environment before starting "
        "mobile-agent instead; keys given there still work."
    )


class _Relay(QObject):
    """Hands a result from a worker thread to a callback on the GUI thread."""

    done = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.done.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, callback: Callable[[Any], None], result: Any) -> None:
        callback(result)

    def run(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Run `work` on its own thread; `then(result or exception)` on the GUI thread."""

        def body() -> None:
            try:
                result: Any = work()
            except Exception as exc:  # any backend's error is reported, never raised
                result = exc
            try:
                self.done.emit(then, result)
            except RuntimeError:  # the panel was closed meanwhile
                log.debug("keyring result dropped: the settings view is gone")

        threading.Thread(target=body, name="keyring", daemon=True).start()


class KeyRow:
    """The widgets of one provider's key."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.name = QLabel(provider.name)
        self.name.setToolTip(provider.about)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText("paste a new key")
        self.store_button = QPushButton("Store in keyring")
        self.remove_button = QPushButton("Remove")
        self.status = QLabel()
        self.status.setObjectName(f"key_status_{provider.name}")
        self.status.setWordWrap(True)

    def set_busy(self, busy: bool, usable: bool) -> None:
        """Enable the row's inputs unless an operation is running or there is no keyring."""
        for widget in (self.edit, self.store_button, self.remove_button):
            widget.setEnabled(usable and not busy)

    def show(self, text: str, error: bool = False) -> None:
        """Show the key's state (or a problem, in red)."""
        self.status.setText(text)
        self.status.setStyleSheet(_ERROR_STYLE if error else "")


class KeysPanel(QWidget):
    """The API keys of all providers: their state, and storing or removing them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay(self)
        self.message = QLabel()
        self.message.setObjectName("keyring_message")
        self.message.setWordWrap(True)
        self.rows = {p.name: KeyRow(p) for p in key_providers()}
        grid = QGridLayout()
        for index, row in enumerate(self.rows.values()):
            line = index * 2
            grid.addWidget(row.name, line, 0)
            grid.addWidget(row.edit, line, 1)
            grid.addWidget(row.store_button, line, 2)
            grid.addWidget(row.remove_button, line, 3)
            grid.addWidget(row.status, line + 1, 1, 1, 3)
            row.store_button.clicked.connect(lambda _=False, r=row: self.store(r.provider.name))
            row.remove_button.clicked.connect(lambda _=False, r=row: self.remove(r.provider.name))
        column = QVBoxLayout(self)
        column.addWidget(self.message)
        column.addLayout(grid)
        self.refresh()

    def refresh(self) -> None:
        """Re-read where each provider's key comes from (the keyring off the GUI thread)."""
        problem = keyring_problem()
        self.usable = problem is None
        self.message.setText(self._summary(problem))
        self.message.setStyleSheet("" if self.usable else _ERROR_STYLE)
        for row in self.rows.values():
            row.set_busy(True, self.usable)
            if not self.usable:
                row.show(self._without_keyring(row.provider))
            else:
                row.show("checking the keyring…")
        if self.usable:
            names = list(self.rows)
            self._relay.run(lambda: {n: keyring_key(n) is not None for n in names}, self._found)

    def store(self, name: str) -> None:
        """Store the key typed for provider `name` in the keyring."""
        row = self.rows[name]
        secret = row.edit.text().strip()
        if not secret:
            row.show("Type or paste the key first.", error=True)
            return
        row.set_busy(True, self.usable)
        row.show("storing…")
        self._relay.run(lambda: store_api_key(name, secret), lambda r: self._stored(row, r))

    def remove(self, name: str) -> None:
        """Remove the key of provider `name` from the keyring."""
        row = self.rows[name]
        row.set_busy(True, self.usable)
        self._relay.run(lambda: delete_api_key(name), lambda r: self._removed(row, r))

    def _found(self, result: Any) -> None:
        if isinstance(result, Exception):
            result = {}
        for name, row in self.rows.items():
            row.set_busy(False, self.usable)
            row.show(self._state(row.provider, bool(result.get(name))))

    def _stored(self, row: KeyRow, result: Any) -> None:
        row.set_busy(False, self.usable)
        if isinstance(result, Exception):
            reason = str(result) if isinstance(result, ConfigError) else type(result).__name__
            log.warning("storing the %s key failed: %s", row.provider.name, reason)
            row.show(
                f"Could not store the key in the OS keyring ({reason}). "
                + use_env_instead(row.provider),
                error=True,
            )
            return
        row.edit.clear()
        row.show(self._state(row.provider, True))

    def _removed(self, row: KeyRow, result: Any) -> None:
        row.set_busy(False, self.usable)
        if isinstance(result, Exception):
            row.show(f"Could not remove the key ({type(result).__name__}).", error=True)
        elif result:
            row.show(self._state(row.provider, False))
        else:
            row.show("No key was stored in the keyring.")

    @staticmethod
    def _state(provider: Provider, stored: bool) -> str:
        variable = env_source(provider)
        if variable and stored:
            return f"Stored in the OS keyring; {variable} in the environment is used first."
        if variable:
            return f"Given by {variable} in the environment."
        if stored:
            return "Stored in the OS keyring."
        if not provider.key_required:
            return "No key (this provider works without one)."
        return f"No key yet: paste one here, or set {' or '.join(provider.env_vars)}."

    @staticmethod
    def _without_keyring(provider: Provider) -> str:
        variable = env_source(provider)
        if variable:
            return f"Given by {variable} in the environment."
        return f"The key must come from {' or '.join(provider.env_vars)} in the environment."

    @staticmethod
    def _summary(problem: str | None) -> str:
        if problem is None:
            return (
                "Keys are stored in the OS keyring. An environment variable "
                f"(e.g. OPENAI_API_KEY, or {GENERIC_ENV} for any provider) is used first."
            )
        return (
            f"Keys cannot be stored here: {problem}. Each key must come from the environment "
            "variable named below (or "
            f"{GENERIC_ENV}), set before starting mobile-agent; keys given there still work."
        )
