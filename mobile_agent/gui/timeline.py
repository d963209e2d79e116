"""The agent timeline of a run: the plan with its current subgoal, and one row per step
holding the operator's thought and action, the result, the reflector's verdict, the notes
and failures — filled in as the run's events arrive (on the GUI thread)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from mobile_agent.cli.args import shorten
from mobile_agent.cli.progress import format_call
from mobile_agent.events import Event

ROW_CHARS = 220  # a row's text is cut to this; the tooltip holds all of it
GOOD, BAD, WARN, DIM = (
    QColor(20, 130, 60),
    QColor(200, 30, 40),
    QColor(190, 110, 0),
    QColor(110, 110, 110),
)
_OUTCOME_COLORS = {"success": GOOD, "finished": GOOD, "wrong_page": WARN, "no_change": WARN}


class Timeline(QWidget):
    """The plan (top) and the steps (a tree: one top-level row per step)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan_label = QLabel("No plan yet.")
        self.plan_label.setWordWrap(True)
        self.plan_label.setObjectName("plan")
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setObjectName("timeline")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plan_label)
        layout.addWidget(self.tree, 1)
        self.plan: tuple[str, ...] = ()
        self.subgoal = ""
        self._steps: dict[int, QTreeWidgetItem] = {}
        self._handlers: dict[str, Callable[[Any], None]] = {
            "run_started": self._run_started,
            "step_started": self._step_started,
            "plan_updated": self._plan_updated,
            "action_chosen": self._action_chosen,
            "action_executed": self._action_executed,
            "reflected": self._reflected,
            "notes_updated": lambda e: self._add(e.step, f"Notes: {e.notes}", DIM),
            "step_failed": lambda e: self._add(e.step, f"Failed ({e.phase}): {e.reason}", BAD),
            "step_finished": self._step_finished,
            "run_finished": self._run_finished,
        }

    # -- reading (tests, the window) ---------------------------------------------------------
    def step_count(self) -> int:
        """How many steps are shown."""
        return len(self._steps)

    def rows(self) -> list[str]:
        """Every row's text, top to bottom (children after their step)."""
        texts = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is None:
                continue
            texts.append(item.text(0))
            children = (item.child(j) for j in range(item.childCount()))
            texts.extend(child.text(0) for child in children if child is not None)
        return texts

    def clear(self) -> None:
        """Forget the shown run."""
        self.tree.clear()
        self._steps.clear()
        self.plan, self.subgoal = (), ""
        self.plan_label.setText("No plan yet.")

    # -- events ---------------------------------------------------------------------------
    def on_event(self, event: Event) -> None:
        """Show what `event` says (events the timeline does not show are ignored)."""
        handler = self._handlers.get(event.kind)
        if handler is not None:
            handler(event)

    def _run_started(self, event: Any) -> None:
        self.clear()
        self._top(f"Task: {event.task} (on {event.device})", DIM)

    def _step_started(self, event: Any) -> None:
        self._step_item(event.step)

    def _plan_updated(self, event: Any) -> None:
        self.plan, self.subgoal = tuple(event.plan), event.current_subgoal
        self.plan_label.setText(plan_html(self.plan, self.subgoal))
        self._add(event.step, f"Subgoal: {event.current_subgoal}", DIM)
        if event.thought:
            self._add(event.step, f"Manager: {event.thought}", DIM)

    def _action_chosen(self, event: Any) -> None:
        item = self._step_item(event.step)
        item.setText(
            0, _cut(f"Step {event.step}: {format_call(event.action)} — {event.description}")
        )
        if event.thought:
            self._add(event.step, f"Thought: {event.thought}")
        if event.expectation:
            self._add(event.step, f"Expects: {event.expectation}", DIM)

    def _action_executed(self, event: Any) -> None:
        if event.ok:
            self._add(event.step, f"Did: {event.summary}")
        else:
            self._add(event.step, f"Action failed: {event.error or event.summary}", BAD)

    def _reflected(self, event: Any) -> None:
        text = f"Verdict: {event.outcome}" + (f" — {event.feedback}" if event.feedback else "")
        if event.subgoal_completed:
            text += " (subgoal done)"
        self._add(event.step, text, _OUTCOME_COLORS.get(event.outcome, BAD))

    def _step_finished(self, event: Any) -> None:
        item = self._step_item(event.step)
        if event.action and event.action.get("name") == "finish" and ":" not in item.text(0):
            ended = "the manager ends the task" if event.phase == "manager" else "finish"
            item.setText(0, _cut(f"Step {event.step}: {ended} — {format_call(event.action)}"))
        color = _OUTCOME_COLORS.get(event.outcome, GOOD if event.ok else BAD)
        item.setForeground(0, QBrush(color))
        item.setToolTip(0, f"{item.text(0)}\noutcome: {event.outcome}")

    def _run_finished(self, event: Any) -> None:
        summary = event.summary
        text = f"Run {event.state.value}" + (f": {summary.reason}" if summary.reason else "")
        self._top(text, GOOD if summary.succeeded else BAD)

    # -- rows ------------------------------------------------------------------------------
    def _step_item(self, step: int) -> QTreeWidgetItem:
        item = self._steps.get(step)
        if item is None:
            item = self._top(f"Step {step}")
            item.setExpanded(True)
            self._steps[step] = item
        return item

    def _top(self, text: str, color: QColor | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem([_cut(text)])
        item.setToolTip(0, text)
        if color is not None:
            item.setForeground(0, QBrush(color))
        self.tree.addTopLevelItem(item)
        self.tree.scrollToItem(item)
        return item

    def _add(self, step: int, text: str, color: QColor | None = None) -> None:
        parent = self._step_item(step)
        child = QTreeWidgetItem([_cut(text)])
        child.setToolTip(0, text)
        if color is not None:
            child.setForeground(0, QBrush(color))
        parent.addChild(child)
        self.tree.scrollToItem(child)


def plan_html(plan: tuple[str, ...], subgoal: str) -> str:
    """The plan as a numbered list, the current subgoal in bold with an arrow."""
    if not plan:
        return "No plan yet."
    rows = []
    for number, goal in enumerate(plan, 1):
        text = html.escape(goal)
        rows.append(
            f"<b>▶ {number}. {text}</b>" if goal == subgoal else f"&nbsp;&nbsp;{number}. {text}"
        )
    return "<b>Plan</b><br>" + "<br>".join(rows)


def _cut(text: str) -> str:
    return shorten(text, ROW_CHARS)
