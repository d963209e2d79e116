"""Editors for the fields of `Settings`, made from the declaration: one editor per field.

`make_editor(name)` picks the editor from the field's type (text, number with the declared
bounds, a choice for a `Literal`, check boxes for a list of known words, comma-separated text
for other lists) and the two model settings get a provider picker. Every editor shows the
field's description and an error line; `value()` raises `ValueError` for text it cannot read.
"""

from __future__ import annotations

import json
import math
from typing import Any, Literal, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic.fields import FieldInfo
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mobile_agent.config import AGENT_ROLES, LOG_LEVELS, Settings, parse_value
from mobile_agent.errors import ConfigError
from mobile_agent.llm.factory import ALIASES, PROVIDERS
from mobile_agent.safety import KINDS
from mobile_agent.safety.gate import ALL

# Lists whose items come from a fixed vocabulary: shown as check boxes.
WORD_LISTS: dict[str, tuple[str, ...]] = {
    "allow": (*KINDS, ALL),
    "agent_images": AGENT_ROLES,
}
# Settings of free text whose values come from a fixed list: shown as a choice.
TEXT_CHOICES: dict[str, tuple[str, ...]] = {"log_level": LOG_LEVELS}
_WORDS = {"url": "URL", "ocr": "OCR", "db": "database"}
_UNITS = {"s": "(s)", "usd": "(USD)"}
_INT_MAX = 1_000_000
_FLOAT_MAX = 1e9
_ERROR_STYLE = "color: #b00020;"
_NOTE_STYLE = "color: palette(mid);"


def label_for(name: str) -> str:
    """The label of a setting: its name in words (``max_wall_s`` → "Max wall (s)")."""
    words = [_WORDS.get(word, word) for word in name.split("_")]
    if words[-1] in _UNITS:
        words[-1] = _UNITS[words[-1]]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


class FieldEditor(QWidget):
    """The editor of one setting: its input, its description, a note and an error line."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        info = Settings.model_fields[name]
        self.setObjectName(f"setting_{name}")
        self.inputs = QWidget()
        self.input_row = QHBoxLayout(self.inputs)
        self.input_row.setContentsMargins(0, 0, 0, 0)
        self.help = QLabel(info.description or "")
        self.help.setWordWrap(True)
        self.help.setStyleSheet(_NOTE_STYLE)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.error = QLabel()
        self.error.setObjectName(f"error_{name}")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 4)
        for label in (self.inputs, self.help, self.note, self.error):
            column.addWidget(label)

    def value(self) -> Any:
        """The value entered (`ValueError` when the text cannot be read)."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show `value`."""
        raise NotImplementedError

    def show_error(self, message: str | None) -> None:
        """Show `message` under the field (None clears it)."""
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def lock(self, note: str | None) -> None:
        """Make the field read-only with `note` saying why (None unlocks it)."""
        self.inputs.setEnabled(note is None)
        self.note.setText(note or "")
        self.note.setVisible(bool(note))


class TextEditor(FieldEditor):
    """One line of text."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.edit = QLineEdit()
        self.input_row.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setText(str(value))


class CollectionEditor(TextEditor):
    """A list as comma-separated text (or JSON); a table as JSON."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        is_list = Settings.model_fields[name].annotation == list[str]
        self.edit.setPlaceholderText("comma-separated, e.g. a, b" if is_list else "JSON")

    def value(self) -> Any:
        text = self.edit.text().strip()
        if not text:
            return [] if Settings.model_fields[self.name].annotation == list[str] else {}
        try:
            return parse_value(self.name, text)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None

    def set_value(self, value: Any) -> None:
        shown = ", ".join(value) if isinstance(value, list) else json.dumps(value)
        self.edit.setText(shown if value else "")


class WordListEditor(FieldEditor):
    """A list of words from a fixed vocabulary, one check box each."""

    def __init__(self, name: str, words: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.boxes = {word: QCheckBox(word) for word in words}
        for word, box in self.boxes.items():
            box.setObjectName(f"{name}_{word}")
            self.input_row.addWidget(box)
        self.input_row.addStretch(1)

    def value(self) -> Any:
        return [word for word, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        for word, box in self.boxes.items():
            box.setChecked(word in value)


class ChoiceEditor(FieldEditor):
    """One of the values of a `Literal`."""

    def __init__(self, name: str, choices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.combo = QComboBox()
        self.combo.addItems(list(choices))
        self.input_row.addWidget(self.combo)
        self.input_row.addStretch(1)

    def value(self) -> Any:
        return self.combo.currentText()

    def set_value(self, value: Any) -> None:
        self.combo.setCurrentText(str(value))


class BoolEditor(FieldEditor):
    """A yes/no setting."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.box = QCheckBox("on")
        self.input_row.addWidget(self.box)
        self.input_row.addStretch(1)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))


def _bounds(info: FieldInfo, top: float) -> tuple[float, float]:
    """The range a spin box offers: the declared bounds (a strict one included, so that
    `Settings` rather than the widget says why the value is wrong)."""
    low, high = 0.0, top
    for item in info.metadata:
        if isinstance(item, Ge | Gt):
            low = float(item.ge if isinstance(item, Ge) else item.gt)  # type: ignore[arg-type]
        elif isinstance(item, Le | Lt):
            high = float(item.le if isinstance(item, Le) else item.lt)  # type: ignore[arg-type]
    return low, high


class IntEditor(FieldEditor):
    """A whole number within the declared bounds."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        low, high = _bounds(Settings.model_fields[name], _INT_MAX)
        self.spin = QSpinBox()
        self.spin.setRange(int(low), int(high))
        self.input_row.addWidget(self.spin)
        self.input_row.addStretch(1)

    def value(self) -> Any:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value))


class FloatEditor(FieldEditor):
    """A number within the declared bounds."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        low, high = _bounds(Settings.model_fields[name], _FLOAT_MAX)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(2)
        self.spin.setRange(low, high if math.isfinite(high) else _FLOAT_MAX)
        self.input_row.addWidget(self.spin)
        self.input_row.addStretch(1)

    def value(self) -> Any:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(float(value))


class ProviderModel(QWidget):
    """A model spec as a provider picker and the model's name (``provider:model``)."""

    DEFAULT = "(default model)"

    def __init__(self, allow_default: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.provider = QComboBox()
        if allow_default:
            self.provider.addItem(self.DEFAULT)
        for provider in PROVIDERS.values():
            self.provider.addItem(provider.name)
            index = self.provider.count() - 1
            self.provider.setItemData(index, provider.about, Qt.ItemDataRole.ToolTipRole)
        self.model = QLineEdit()
        self.model.setPlaceholderText("model, e.g. gpt-4o")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.provider)
        row.addWidget(self.model, 1)
        self.provider.currentTextChanged.connect(self._provider_changed)
        self._provider_changed(self.provider.currentText())

    def spec(self) -> str:
        """``provider:model``, or "" for none (no model name, or the default chosen)."""
        name, model = self.provider.currentText(), self.model.text().strip()
        return "" if name == self.DEFAULT or not model else f"{name}:{model}"

    def set_spec(self, spec: str) -> None:
        """Show `spec` (an alias is shown as its provider's name)."""
        name, _, model = spec.partition(":")
        name = name.strip().lower()
        if not name:
            default = self.provider.findText(self.DEFAULT)
            self.provider.setCurrentIndex(max(default, 0))
            self.model.clear()
            return
        name = ALIASES.get(name, name)
        if self.provider.findText(name) < 0:
            self.provider.addItem(name)
        self.provider.setCurrentText(name)
        self.model.setText(model.strip())

    def _provider_changed(self, name: str) -> None:
        self.model.setEnabled(name != self.DEFAULT)
        provider = PROVIDERS.get(name)
        self.provider.setToolTip(provider.about if provider else "")


class ModelEditor(FieldEditor):
    """The default model: a provider and a model name."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        self.picker = ProviderModel()
        self.input_row.addWidget(self.picker)

    def value(self) -> Any:
        return self.picker.spec()

    def set_value(self, value: Any) -> None:
        self.picker.set_spec(str(value))


class AgentModelsEditor(FieldEditor):
    """One model per agent role; "(default model)" leaves a role on the default."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, parent)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.pickers: dict[str, ProviderModel] = {}
        for row, role in enumerate(AGENT_ROLES):
            picker = ProviderModel(allow_default=True)
            picker.setObjectName(f"agent_model_{role}")
            self.pickers[role] = picker
            grid.addWidget(QLabel(role.capitalize()), row, 0)
            grid.addWidget(picker, row, 1)
        self.input_row.addLayout(grid)

    def value(self) -> Any:
        specs = {role: picker.spec() for role, picker in self.pickers.items()}
        return {role: spec for role, spec in specs.items() if spec}

    def set_value(self, value: Any) -> None:
        for role, picker in self.pickers.items():
            picker.set_spec(value.get(role, ""))


_SPECIAL: dict[str, type[FieldEditor]] = {"model": ModelEditor, "agent_models": AgentModelsEditor}


def make_editor(name: str, parent: QWidget | None = None) -> FieldEditor:
    """The editor of the setting `name`, chosen from its declared type."""
    annotation = Settings.model_fields[name].annotation
    if name in _SPECIAL:
        return _SPECIAL[name](name, parent)
    if name in WORD_LISTS:
        return WordListEditor(name, WORD_LISTS[name], parent)
    if name in TEXT_CHOICES:
        return ChoiceEditor(name, TEXT_CHOICES[name], parent)
    if get_origin(annotation) is Literal:
        return ChoiceEditor(name, tuple(map(str, get_args(annotation))), parent)
    simple: dict[Any, type[FieldEditor]] = {
        bool: BoolEditor,
        int: IntEditor,
        float: FloatEditor,
        str: TextEditor,
    }
    return simple.get(annotation, CollectionEditor)(name, parent)
