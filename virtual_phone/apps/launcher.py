"""The home screen (`com.android.launcher3`) and the recents (overview) screen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from ..ui.views import (
    MATCH,
    Button,
    FrameLayout,
    IconTextView,
    ImageButton,
    LinearLayout,
    Row,
    ScrollState,
    ScrollView,
    TextView,
    View,
)
from .base import Activity, App

if TYPE_CHECKING:
    from .base import Host

PACKAGE = "com.android.launcher3"
LAUNCHER_ACTIVITY = "com.android.launcher3.uioverride.QuickstepLauncher"
RID = f"{PACKAGE}:id/"
COLUMNS = 4


class LauncherApp(App):
    """The launcher: a grid of app shortcuts over a wallpaper."""

    package = PACKAGE
    label = "Pixel Launcher"
    main_activity = LAUNCHER_ACTIVITY
    launcher = False
    icon = "nav_home"
    version_name = "14"

    def __init__(self, host: Host, seed: int, apps: Callable[[], list[App]]) -> None:
        self._apps = apps
        super().__init__(host, seed)

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {
            self.main_activity: lambda: HomeActivity(self),
            self.package + ".Launcher": lambda: HomeActivity(self),
        }

    def shortcuts(self) -> list[App]:
        """Apps shown on the home grid, in order."""
        return [a for a in self._apps() if a.launcher]


class HomeActivity(Activity[LauncherApp]):
    """The home screen."""

    name = LAUNCHER_ACTIVITY

    def build(self) -> View:
        app = self.app
        cells: list[View] = [self._icon(a) for a in app.shortcuts()]
        rows: list[View] = []
        for start in range(0, len(cells), COLUMNS):
            chunk = cells[start : start + COLUMNS]
            chunk += [View(width=0, weight=1, height=10) for _ in range(COLUMNS - len(chunk))]
            rows.append(Row(gravity="top", margin=(0, 0, 0, 50), children=chunk))
        today = dt.date.today()
        glance = TextView(
            id=RID + "smartspace_subtitle_text",
            text=f"{today:%a, %b} {today.day}",
            size=60,
            color="on_wallpaper",
            padding=(70, 80, 0, 40),
        )
        search = Row(
            id=RID + "search_container_hotseat",
            height=150,
            margin=(60, 0, 60, 70),
            padding=(50, 0),
            bg="surface",
            radius=75,
            desc="Search",
            on_click=lambda: self.host.launch("com.example.browser"),
            children=[TextView(text="Search the web", size=42, color="muted", width=0, weight=1)],
        )
        grid = LinearLayout(
            id=RID + "workspace", height=MATCH, weight=1, padding=(10, 60, 10, 0), children=rows
        )
        return LinearLayout(
            id=RID + "launcher", height=MATCH, bg="wallpaper", children=[glance, grid, search]
        )

    def _icon(self, target: App) -> View:
        return IconTextView(
            class_name="android.widget.TextView",
            text=target.label,
            desc=target.label,
            icon=target.icon,
            icon_bg=target.icon_bg,
            width=0,
            weight=1,
            padding=(6, 10),
            max_lines=1,
            on_click=lambda: self.host.launch(target.package),
            on_long_click=lambda: self.host.toast(f"{target.label}: app info"),
        )


def recents_view(
    tasks: list[tuple[str, str, str]],
    open_task: Callable[[str], None],
    close_task: Callable[[str], None],
    clear_all: Callable[[], None],
    scroll: ScrollState,
) -> View:
    """The overview screen: one card per task (package, label, screen title), newest first."""
    cards: list[View] = []
    for package, label, title in tasks:
        cards.append(
            LinearLayout(
                id=RID + "task",
                class_name="android.widget.FrameLayout",
                desc=label,
                margin=(70, 24),
                padding=(40, 30),
                bg="surface",
                radius=40,
                on_click=partial(open_task, package),
                children=[
                    Row(
                        children=[
                            TextView(
                                id=RID + "task_label",
                                text=label,
                                size=46,
                                bold=True,
                                width=0,
                                weight=1,
                            ),
                            ImageButton(
                                icon="close",
                                desc=f"Dismiss {label}",
                                width=120,
                                height=120,
                                icon_size=50,
                                on_click=partial(close_task, package),
                            ),
                        ]
                    ),
                    TextView(text=title, size=38, color="muted", margin=(0, 16, 0, 0)),
                    View(height=260, bg="surface_variant", radius=20, margin=(0, 20, 0, 0)),
                ],
            )
        )
    if not cards:
        cards.append(
            TextView(
                text="No recent items", size=46, color="on_wallpaper", align="center", height=400
            )
        )
    body: list[View] = [
        TextView(text="Recent apps", size=56, color="on_wallpaper", padding=(70, 60, 0, 30))
    ]
    body.append(ScrollView(id=RID + "overview_panel", weight=1, state=scroll, children=cards))
    if tasks:
        body.append(
            Row(
                gravity="center_horizontal|center_vertical",
                children=[
                    Button(
                        id=RID + "clear_all",
                        text="Clear all",
                        width=-2,
                        height=120,
                        padding=(50, 0),
                        size=40,
                        on_click=clear_all,
                        margin=(0, 20, 0, 40),
                    ),
                ],
            )
        )
    return FrameLayout(
        id=RID + "overview",
        height=MATCH,
        bg="scrim",
        children=[LinearLayout(height=MATCH, children=body)],
    )
