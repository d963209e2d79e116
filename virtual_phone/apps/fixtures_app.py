"""Layout lab (`com.example.layoutlab`): screens laid out the way real apps trip perception.

Not on the home screen (`am start -n com.example.layoutlab/.LabActivity`). Its screens:
nested clickables (a clickable row described like the text drawn a few pixels inside it, a
clickable frame around one button), a popup menu over a page (options not marked
clickable, as web pages and some menus report them) and an alert dialog over a list, a
Hebrew right-to-left settings screen, and task rows that repeat the same two buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ..ui.views import (
    MATCH,
    WRAP,
    Button,
    FrameLayout,
    ImageButton,
    LinearLayout,
    Row,
    Switch,
    TextView,
    View,
)
from .base import Activity, App, Dialog
from .widgets import screen, toolbar

PACKAGE = "com.example.layoutlab"
TRENDING = ("weather tomorrow", "football scores", "cheap flights")
WRAPPED = ("Play", "Share")
PAGE_TABS = ("Home", "Deals", "Orders")
PAGE_TEXT = tuple(f"Paragraph {n} of the page" for n in range(1, 21))
POPUP_OPTIONS = ("Sort by price", "Sort by rating", "Sort by distance")
RTL_TITLE = "הגדרות"
RTL_ROWS = ("מצב לילה", "התראות", "שמירת סוללה")  # night mode, notifications, battery saver
TASKS = ("Buy milk", "Call the bank", "Water the plants", "Book flights", "Pay rent")
ROW_HEIGHT = 140


class LayoutLabApp(App):
    """Layout lab; state {"taps": [labels of what was tapped, in order]}."""

    package = PACKAGE
    label = "Layout lab"
    main_activity = f"{PACKAGE}.LabActivity"
    launcher: ClassVar[bool] = False
    icon = "settings"

    def initial_state(self, seed: int) -> dict[str, Any]:
        return {"taps": []}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        screens: dict[str, Callable[[LayoutLabApp], Activity]] = {
            "LabActivity": LabActivity,
            "NestedActivity": NestedActivity,
            "PopupActivity": PopupActivity,
            "DialogActivity": DialogActivity,
            "RtlActivity": RtlActivity,
            "TasksActivity": TasksActivity,
        }
        return {f"{PACKAGE}.{name}": _factory(cls, self) for name, cls in screens.items()}

    def tapped(self, what: str) -> Callable[[], None]:
        """An action that records `what` was tapped."""
        return lambda: self.state["taps"].append(what)


def _factory(cls: Callable[[LayoutLabApp], Activity], app: LayoutLabApp) -> Callable[[], Activity]:
    return lambda: cls(app)


class _LabScreen(Activity[LayoutLabApp]):
    def __init__(self, app: LayoutLabApp) -> None:
        super().__init__(app)
        self.name = f"{PACKAGE}.{type(self).__name__}"


def _text(text: str, **kwargs: Any) -> TextView:
    return TextView(text=text, height=ROW_HEIGHT // 2, padding=(48, 10), **kwargs)


class LabActivity(_LabScreen):
    """The list of screens."""

    def build(self) -> View:
        names = ("NestedActivity", "PopupActivity", "DialogActivity", "RtlActivity")
        buttons: list[View] = [
            Button(text=name.removesuffix("Activity"), margin=(48, 20), height=120, on_click=go)
            for name in (*names, "TasksActivity")
            for go in [self._opener(name)]
        ]
        return screen(toolbar(self, "Layout lab"), *buttons)

    def _opener(self, name: str) -> Callable[[], None]:
        def open_screen() -> None:
            activity = self.app.create_activity(f"{PACKAGE}.{name}")
            if activity is not None:
                self.host.start_activity(activity)

        return open_screen


class NestedActivity(_LabScreen):
    """Trending searches drawn twice (a described row and its text), buttons in frames."""

    def build(self) -> View:
        rows: list[View] = [_text("Trending searches", bold=True)]
        for term in TRENDING:
            row = View(desc=term, height=MATCH, on_click=self.app.tapped(term))
            drawn = TextView(text=term, width=WRAP, margin=(60, 40, 0, 0))
            rows.append(FrameLayout(height=ROW_HEIGHT, children=[row, drawn]))
        for name in WRAPPED:
            button = Button(text=name, width=400, height=110, on_click=self.app.tapped(name))
            rows.append(Row(padding=(48, 16), on_click=self.app.tapped(name), children=[button]))
        both = [
            Button(text=t, width=300, height=110, margin=(0, 0, 30, 0), on_click=self.app.tapped(t))
            for t in ("Accept", "Decline")
        ]
        rows.append(Row(padding=(48, 16), on_click=self.app.tapped("row"), children=both))
        return screen(toolbar(self, "Nested", up=True), *rows)


class PopupActivity(_LabScreen):
    """A page with tabs and paragraphs, and a popup menu open over the paragraphs."""

    def build(self) -> View:
        tabs = Row(
            children=[
                Button(text=t, width=0, weight=1, height=110, bg=None, color="primary",
                       on_click=self.app.tapped(t))
                for t in PAGE_TABS
            ]
        )  # fmt: skip
        page = [_text(t) for t in PAGE_TEXT]
        options: list[View] = [TextView(text=o, padding=(48, 36), size=44) for o in POPUP_OPTIONS]
        popup = LinearLayout(
            id=self.rid("popup_menu"),
            width=700,
            gravity="center",
            bg="surface",
            radius=24,
            border="divider",
            children=options,
        )
        return screen(toolbar(self, "Page", up=True), tabs, *page, overlay=[popup])


class DialogActivity(_LabScreen):
    """A list of rows under an alert dialog that asks before deleting them."""

    def __init__(self, app: LayoutLabApp) -> None:
        super().__init__(app)
        self.show_dialog(
            Dialog(
                "Delete all rows?",
                "This cannot be undone.",
                [("Cancel", self.close_dialog), ("Delete", self.close_dialog)],
            )
        )

    def build(self) -> View:
        rows = [
            Button(text=f"Row {n}", height=110, margin=(48, 10), on_click=self.app.tapped(str(n)))
            for n in range(1, 13)
        ]
        return screen(toolbar(self, "Rows", up=True), *rows)


class RtlActivity(_LabScreen):
    """Hebrew settings laid out right to left: titles on the right, switches on the left."""

    def build(self) -> View:
        title = Row(
            height=ROW_HEIGHT,
            children=[View(width=0, weight=1, height=10), _text(RTL_TITLE, size=56, width=WRAP)],
        )
        rows: list[View] = [title]
        for label in RTL_ROWS:
            toggle = Switch(margin=(48, 0, 0, 0), on_click=self.app.tapped(label))
            text = _text(label, width=WRAP)
            spacer = View(width=0, weight=1, height=10)
            rows.append(Row(height=ROW_HEIGHT, children=[toggle, spacer, text]))
        return screen(*rows)


class TasksActivity(_LabScreen):
    """Task rows: a title and the same two icon buttons on every row."""

    def build(self) -> View:
        rows: list[View] = []
        for task in TASKS:
            star = ImageButton(
                icon="star", desc="Add star", width=130, height=ROW_HEIGHT,
                on_click=self.app.tapped(f"star {task}"),
            )  # fmt: skip
            done = ImageButton(
                icon="check", desc="Mark as complete", width=130, height=ROW_HEIGHT,
                on_click=self.app.tapped(f"done {task}"),
            )  # fmt: skip
            title = _text(task, width=0, weight=1)
            rows.append(Row(height=ROW_HEIGHT, children=[title, star, done]))
        return screen(toolbar(self, "Tasks", up=True), *rows)
