"""The step-by-step viewer of a stored run.

For one step: the screenshot with overlays (numbered element boxes from the stored elements,
the action's target and tap point or swipe drawn on the screen it was chosen on), the
elements, each agent's prompt and reply, the action and its result, the reflector's
verdict, the notes and the usage.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mobile_agent.actions.builtin import find_by_label
from mobile_agent.gui.history_models import RunDetail, Shot, action_text, format_cost
from mobile_agent.gui.screen_view import Frame, ScreenView, decode_frame, gesture_for
from mobile_agent.perception.elements import BoundingBox, UIElement

log = logging.getLogger(__name__)

_TARGET = QColor(235, 40, 60, 230)
_HIGHLIGHT = QColor(255, 150, 0)
_FRAMES_KEPT = 12
FACTS = ("Subgoal", "Thought", "Action", "Result", "Verdict", "Outcome", "Notes", "Usage")
_ELEMENT_COLUMNS = ("#", "Text", "Description", "Resource id", "Class", "Bounds", "Flags")
_FLAGS = ("clickable", "long_clickable", "editable", "scrollable", "checkable", "checked")
_AIMED = ("tap", "long_press", "type", "scroll")  # actions that may name an element


_ELEMENT_FIELDS = (
    "text",
    "description",
    "resource_id",
    "package",
    "clickable",
    "long_clickable",
    "editable",
    "scrollable",
    "checkable",
    "checked",
    "selected",
    "focused",
    "enabled",
    "password",
)


def element_from(data: dict[str, Any]) -> UIElement | None:
    """A stored element (its JSON) as a `UIElement` (None when it has no usable bounds)."""
    try:
        x1, y1, x2, y2 = (int(v) for v in data["bounds"])
        return UIElement(
            int(data["id"]),
            BoundingBox(x1, y1, x2, y2),
            **{k: data[k] for k in _ELEMENT_FIELDS if k in data},
        )
    except (KeyError, TypeError, ValueError):
        return None


def target_of(action: dict[str, Any], elements: Sequence[UIElement]) -> UIElement | None:
    """The element an action aimed at, by number or by label (None when it names none)."""
    name, args = str(action.get("name", "")), action.get("args") or {}
    if name not in _AIMED or not isinstance(args, dict):
        return None
    if isinstance(args.get("element"), int):
        return next((e for e in elements if e.id == args["element"]), None)
    if isinstance(args.get("label"), str) and args["label"]:
        return find_by_label(elements, args["label"], field=name == "type")
    return None


class StepScreen(ScreenView):
    """The screen view of the live run, plus the box of the element the action aimed at and
    the element chosen in the elements list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = "(no screenshot)"
        self.target: UIElement | None = None
        self.highlight: UIElement | None = None

    def show_screen(self, frame: Frame | None, action: dict[str, Any] | None) -> None:
        """Show `frame` with `action` (if any) drawn where it touched."""
        self.highlight = None
        self.target = None
        gesture = None
        if frame is not None and action:
            self.target = target_of(action, frame.elements)
            gesture = gesture_for(action, frame.elements, frame.size)
        self.set_frame(frame)
        self.set_gesture(gesture)

    def set_highlight(self, element_id: int | None) -> None:
        """Outline one element (by its number) strongly, or none."""
        elements = self.frame.elements if self.frame is not None else ()
        self.highlight = next((e for e in elements if e.id == element_id), None)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.frame is None or (self.target is None and self.highlight is None):
            return
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for element, color, fill in (
                (self.target, _TARGET, None),
                (self.highlight, _HIGHLIGHT, QColor(255, 150, 0, 60)),
            ):
                if element is None:
                    continue
                b = element.bounds
                box = QRectF(self.to_widget(b.x1, b.y1), self.to_widget(b.x2, b.y2))
                if fill is not None:
                    painter.fillRect(box, fill)
                painter.setPen(QPen(color, 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(box)
        finally:
            painter.end()


class StepViewer(QWidget):
    """One step of a stored run, shown whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: RunDetail | None = None
        self._step: dict[str, Any] | None = None
        self._shots: list[Shot] = []
        self._calls: list[dict[str, Any]] = []
        self._frames: OrderedDict[Path, Frame] = OrderedDict()
        self.screen_view = StepScreen()
        self.shots = QComboBox()
        self.shots.setToolTip("Which screen of the step to show")
        self.numbers = QCheckBox("Numbers")
        self.numbers.setToolTip("Show the numbered boxes of the screen's elements")
        self.numbers.setChecked(True)
        self.facts: dict[str, QLabel] = {name: _fact_label() for name in FACTS}
        self.elements = _elements_table()
        self.calls = QListWidget()
        self.prompt = _text_box("The prompt sent to the model")
        self.reply = _text_box("The model's reply")
        self.tabs = QTabWidget()
        self._build()
        self.shots.currentIndexChanged.connect(self._show_shot)
        self.numbers.toggled.connect(self.screen_view.set_show_elements)
        self.elements.currentCellChanged.connect(self._element_chosen)
        self.calls.currentRowChanged.connect(self._show_call)
        self.clear()

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        left = QWidget()
        bar = QHBoxLayout()
        bar.addWidget(self.shots, 1)
        bar.addWidget(self.numbers)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.screen_view, 1)
        self.tabs.addTab(self._facts_page(), "Step")
        self.tabs.addTab(self.elements, "Elements")
        self.tabs.addTab(self._calls_page(), "Model calls")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(split)

    def _facts_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, label in self.facts.items():
            form.addRow(f"{name}:", label)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def _calls_page(self) -> QWidget:
        texts = QSplitter(Qt.Orientation.Vertical)
        for title, box in (("Prompt", self.prompt), ("Reply", self.reply)):
            pane = QWidget()
            column = QVBoxLayout(pane)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(QLabel(title))
            column.addWidget(box)
            texts.addWidget(pane)
        texts.setStretchFactor(0, 3)
        texts.setStretchFactor(1, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.calls)
        split.addWidget(texts)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 640])
        return split

    # -- showing a step -----------------------------------------------------------------
    def clear(self) -> None:
        """Show nothing."""
        self.show_step(None, None)

    def show_step(self, detail: RunDetail | None, number: int | None) -> None:
        """Show step `number` of `detail` (nothing when either is None or the step is not
        stored)."""
        self._detail = detail
        step = detail.step(number) if detail is not None and number is not None else None
        self._step = step
        self._shots = detail.shots_of(step["number"]) if detail and step else []
        self._calls = detail.calls_of(step["number"]) if detail and step else []
        self._fill_facts(step)
        self._fill_calls()
        self.shots.blockSignals(True)
        self.shots.clear()
        self.shots.addItems([shot.label for shot in self._shots])
        self.shots.blockSignals(False)
        self.shots.setEnabled(len(self._shots) > 1)
        self._show_shot(0 if self._shots else -1)

    def fact(self, name: str) -> str:
        """The text shown for one fact of the step (see `FACTS`)."""
        return self.facts[name].text()

    def shown_step(self) -> int | None:
        """The number of the step shown."""
        return None if self._step is None else int(self._step["number"])

    def _fill_facts(self, step: dict[str, Any] | None) -> None:
        values = _facts(step) if step is not None else {}
        for name, label in self.facts.items():
            label.setText(values.get(name, ""))
        verdict = self.facts["Verdict"]
        ok = step is not None and step.get("verdict") in ("success", "")
        verdict.setStyleSheet("" if ok else "color: #b00020;")

    def _fill_calls(self) -> None:
        self.calls.blockSignals(True)
        self.calls.clear()
        for call in self._calls:
            item = QListWidgetItem(_call_title(call))
            item.setToolTip(f"{call.get('model', '')} · called {call.get('called_at', '')}")
            if not call.get("ok", 1):
                item.setForeground(QColor("#b00020"))
            self.calls.addItem(item)
        self.calls.blockSignals(False)
        agents = [c.get("agent") for c in self._calls]
        first = agents.index("operator") if "operator" in agents else 0
        self.calls.setCurrentRow(first if self._calls else -1)
        self._show_call(self.calls.currentRow())

    def _show_call(self, row: int) -> None:
        call = self._calls[row] if 0 <= row < len(self._calls) else None
        self.prompt.setPlainText(str(call.get("prompt", "")) if call else "")
        self.reply.setPlainText(_readable(str(call.get("reply", ""))) if call else "")

    def _show_shot(self, index: int) -> None:
        shot = self._shots[index] if 0 <= index < len(self._shots) else None
        if shot is None:
            self.screen_view.show_screen(None, None)
            self._fill_elements([])
            return
        action = self._step.get("action") if self._step and shot.acted_on else None
        self.screen_view.show_screen(self._frame(shot), action)
        self._fill_elements(shot.elements)

    def _frame(self, shot: Shot) -> Frame | None:
        """The decoded screenshot of `shot` with its elements (kept for the last few)."""
        if shot.path is None:
            return None
        if shot.path in self._frames:
            self._frames.move_to_end(shot.path)
            return self._frames[shot.path]
        try:
            png = shot.path.read_bytes()
        except OSError as exc:
            log.info("no screenshot at %s: %s", shot.path, exc.strerror or exc)
            png = b""
        elements = [e for e in map(element_from, shot.elements) if e is not None]
        frame = decode_frame(png, elements) if png else None
        if frame is None:
            return None
        self._frames[shot.path] = frame
        while len(self._frames) > _FRAMES_KEPT:
            self._frames.popitem(last=False)
        return frame

    def _fill_elements(self, elements: list[dict[str, Any]]) -> None:
        table = self.elements
        table.blockSignals(True)
        table.clearContents()
        table.setRowCount(len(elements))
        for row, element in enumerate(elements):
            for column, text in enumerate(_element_cells(element)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                table.setItem(row, column, item)
        table.blockSignals(False)
        self.tabs.setTabText(1, f"Elements ({len(elements)})")

    def _element_chosen(self, row: int, *_: int) -> None:
        item = self.elements.item(row, 0) if row >= 0 else None
        text = item.text() if item is not None else ""
        self.screen_view.set_highlight(int(text) if text.isdigit() else None)


def _facts(step: dict[str, Any]) -> dict[str, str]:
    """The text of each fact of a stored step."""
    result = step.get("summary") or step.get("error") or ""
    if step.get("executed_ok") == 0 and step.get("error"):
        result = f"failed: {step['error']}"
    description = step.get("description") or ""
    action = action_text(step.get("action"))
    timings = step.get("timings") or {}
    usage = (
        f"{step.get('model_calls', 0)} model calls, {step.get('input_tokens', 0)} tokens in, "
        f"{step.get('output_tokens', 0)} out, {format_cost(step.get('cost_usd'))}"
    )
    if isinstance(timings, dict) and timings:
        usage += "\n" + ", ".join(f"{k.removesuffix('_ms')} {v:.0f} ms" for k, v in timings.items())
    outcome = str(step.get("outcome") or "")
    if step.get("reason"):
        outcome += f" — {step['reason']}"
    return {
        "Subgoal": str(step.get("subgoal") or ""),
        "Thought": str(step.get("thought") or ""),
        "Action": f"{action}\n{description}" if description else action,
        "Result": str(result),
        "Verdict": f"{step.get('verdict') or '—'} {step.get('feedback') or ''}".strip(),
        "Outcome": outcome,
        "Notes": str(step.get("notes") or ""),
        "Usage": usage,
    }


def _readable(reply: str) -> str:
    """A JSON object reply indented for reading; any other reply as it came."""
    try:
        data = json.loads(reply)
    except ValueError:
        return reply
    return json.dumps(data, indent=2, ensure_ascii=False) if isinstance(data, dict) else reply


def _call_title(call: dict[str, Any]) -> str:
    failed = "" if call.get("ok", 1) else " (failed)"
    attempt = f" #{call['attempt']}" if int(call.get("attempt") or 1) > 1 else ""
    return (
        f"{call.get('agent', '?')}{attempt} · {float(call.get('latency_s') or 0):.2f} s · "
        f"{call.get('input_tokens', 0)}/{call.get('output_tokens', 0)} tokens{failed}"
    )


def _element_cells(element: dict[str, Any]) -> list[str]:
    flags = ", ".join(f for f in _FLAGS if element.get(f))
    if element.get("password"):
        flags = ", ".join(filter(None, (flags, "password")))
    return [
        str(element.get("id", "")),
        str(element.get("text", "")),
        str(element.get("description", "")),
        str(element.get("resource_id", "")),
        str(element.get("class", "")).rsplit(".", 1)[-1],
        json.dumps(element.get("bounds", "")),
        flags,
    ]


def _fact_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # run text is data, never markup
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


def _text_box(tip: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setReadOnly(True)
    box.setToolTip(tip)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return box


def _elements_table() -> QTableWidget:
    table = QTableWidget(0, len(_ELEMENT_COLUMNS))
    table.setHorizontalHeaderLabels(list(_ELEMENT_COLUMNS))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table
