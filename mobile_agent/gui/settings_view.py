"""The Settings tab: every setting of `Settings`, API keys, the data directory, Save / Revert.

The form edits the config file the CLI reads (``MOBILE_AGENT_HOME/config.toml``). Saving
validates through `Settings` (problems are shown under their fields and nothing is written),
writes the file with `mobile_agent.config.write_file_values` (atomic, mode 0600), re-reads
the settings and so tells every view (`services.settings_changed`). A setting given by an
environment variable overrides the file: it is shown read-only and never written.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mobile_agent.config import ENV_PREFIX, Settings, file_values, write_file_values
from mobile_agent.errors import ConfigError
from mobile_agent.gui.settings_form import FieldEditor, label_for, make_editor
from mobile_agent.gui.settings_keys import KeysPanel
from mobile_agent.llm.factory import PROVIDERS

if TYPE_CHECKING:
    from mobile_agent.gui.services import Services

log = logging.getLogger(__name__)

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Models",
        (
            "model",
            "base_url",
            "agent_models",
            "agent_images",
            "model_timeout_s",
            "model_deadline_s",
        ),
    ),
    (
        "Limits of a run",
        ("max_steps", "max_wall_s", "max_cost_usd", "max_consecutive_failures", "stop_grace_s"),
    ),
    ("Screen reading", ("ocr", "ocr_policy", "settle_max_s")),
    ("Safety", ("allow", "allow_apps", "deny_apps")),
    ("Memory", tuple(n for n in Settings.model_fields if n.startswith("memory_"))),
)
OTHER = "Other"  # every setting no section names
_ERROR_STYLE = "color: #b00020;"


def env_locked() -> dict[str, str]:
    """The settings given by environment variables, with each variable's name."""
    names = {name: ENV_PREFIX + name.upper() for name in Settings.model_fields}
    return {name: var for name, var in names.items() if var in os.environ}


class SettingsView(QWidget):
    """Edit the settings; Save writes them to the config file, Revert re-reads it."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.editors: dict[str, FieldEditor] = {}
        self.shown: Settings = services.settings
        self.keys = KeysPanel()
        self.status = QLabel()
        self.status.setObjectName("settings_status")
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save")
        self.revert_button = QPushButton("Revert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self._build()
        self.populate(services.settings)
        if getattr(services, "settings_error", ""):
            self._say(f"The settings file could not be read: {services.settings_error}", True)
        services.settings_changed.connect(self._changed_elsewhere)

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        named = {n for _, names in SECTIONS for n in names}
        rest = tuple(n for n in Settings.model_fields if n not in named)
        for title, names in (*SECTIONS, (OTHER, rest)):
            column.addWidget(self._section(title, names))
            if title == "Models":
                column.addWidget(self._group("API keys", self.keys))
        column.addWidget(self._group("Data directory", self._data_dir()))
        column.addStretch(1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
        picker = getattr(self.editors["model"], "picker", None)
        if picker is not None:
            picker.provider.currentTextChanged.connect(self._base_url_hint)
            self._base_url_hint(picker.provider.currentText())

    def _section(self, title: str, names: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for name in names:
            editor = make_editor(name)
            self.editors[name] = editor
            form.addRow(label_for(name), editor)
        return box

    @staticmethod
    def _group(title: str, content: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        QVBoxLayout(box).addWidget(content)
        return box

    def _data_dir(self) -> QLabel:
        home = self.services.config_path().parent
        where = (
            "set by MOBILE_AGENT_HOME"
            if os.environ.get("MOBILE_AGENT_HOME")
            else "the default for this user"
        )
        label = QLabel(
            f"<b>{home}</b> ({where})<br>Settings: {self.services.config_path()}<br>"
            "Settings, the memory of tips and shortcuts, and run records all live here. "
            "To use another directory, set the environment variable MOBILE_AGENT_HOME to it "
            "before starting mobile-agent (the command line reads the same variable)."
        )
        label.setObjectName("data_dir")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _base_url_hint(self, provider_name: str) -> None:
        provider = PROVIDERS.get(provider_name)
        edit = getattr(self.editors["base_url"], "edit", None)
        if edit is None:
            return
        if provider is not None and provider.base_url:
            edit.setPlaceholderText(f"empty: {provider.base_url}")
        elif provider_name == "openai-compatible":
            edit.setPlaceholderText("required, e.g. http://localhost:8000/v1")
        else:
            edit.setPlaceholderText("empty: the provider's own endpoint")

    # -- showing ---------------------------------------------------------------------------
    def populate(self, settings: Settings) -> None:
        """Show `settings`, clear every error, lock the settings the environment gives."""
        self.shown = settings
        locked = env_locked()
        for name, editor in self.editors.items():
            editor.set_value(getattr(settings, name))
            editor.show_error(None)
            variable = locked.get(name)
            note = f"Set by {variable} in the environment, which overrides the settings file."
            editor.lock(note if variable else None)

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The values entered, and the fields whose text cannot be read (with why)."""
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name, editor in self.editors.items():
            try:
                values[name] = editor.value()
            except ValueError as exc:
                problems[name] = str(exc)
        return values, problems

    def dirty(self) -> bool:
        """Whether the form holds changes not saved yet."""
        values, problems = self.values()
        return bool(problems) or any(v != getattr(self.shown, n) for n, v in values.items())

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Validate and write the form to the settings file; False (nothing written) if a
        value is invalid or the file cannot be read or written."""
        for editor in self.editors.values():
            editor.show_error(None)
        values, problems = self.values()
        if problems:
            return self._refuse(problems)
        path = self.services.config_path()
        try:
            stored = file_values(path)
        except ConfigError as exc:
            return self._say(str(exc), error=True)
        new = self._file_layer(stored, values)
        try:
            checked = Settings.model_validate(new)
        except ValidationError as exc:
            return self._refuse(self._by_field(exc))
        if new == stored:
            return self._say("Nothing to save: the settings file already holds these values.")
        try:
            kept = {k: getattr(checked, k) for k in Settings.model_fields if k in new}
            write_file_values(kept, path)
            settings = self.services.reload_settings()  # tells every view
        except ConfigError as exc:
            return self._say(str(exc), error=True)
        self.populate(settings)
        log.info("settings saved to %s", path)
        return self._say(f"Saved to {path}.")

    def _file_layer(self, stored: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        """The file's entries with the form's changes: a setting already in the file takes
        the form's value, another one only when it was changed; environment ones stay out."""
        locked = env_locked()
        new = dict(stored)
        for name, value in values.items():
            if name in locked:
                continue
            if name in stored or value != getattr(self.shown, name):
                new[name] = value
        return new

    @staticmethod
    def _by_field(exc: ValidationError) -> dict[str, str]:
        problems: dict[str, str] = {}
        for err in exc.errors(include_url=False, include_input=False):
            loc = err.get("loc", ())
            name = str(loc[0]) if loc else ""
            message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
            problems[name] = f"{problems[name]}; {message}" if name in problems else message
        return problems

    def _refuse(self, problems: dict[str, str]) -> bool:
        loose = []
        for name, message in problems.items():
            editor = self.editors.get(name)
            if editor is None:
                loose.append(message)
            else:
                editor.show_error(message)
        first = next((self.editors[n] for n in self.editors if n in problems), None)
        if first is not None:
            self.scroll_area.ensureWidgetVisible(first)
        names = ", ".join(label_for(n) for n in problems if n in self.editors)
        text = "Not saved: " + "; ".join(filter(None, [f"check {names}" if names else "", *loose]))
        return self._say(text + ".", error=True)

    def revert(self) -> None:
        """Drop the changes: show the settings as saved (file and environment) again."""
        try:
            settings = self.services.reload_settings()
        except ConfigError as exc:
            self._say(str(exc), error=True)
            return
        self.populate(settings)
        self._say("Reverted to the saved settings.")

    def _changed_elsewhere(self, settings: Settings) -> None:
        if settings != self.shown and not self.dirty():
            self.populate(settings)

    def _say(self, text: str, error: bool = False) -> bool:
        self.status.setText(text)
        self.status.setStyleSheet(_ERROR_STYLE if error else "")
        return not error
