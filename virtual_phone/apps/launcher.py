"""The home screen (`com.android.launcher3`): app grid, dock, search bar, the app drawer
(swipe up) and the long-press menu of an icon. The overview screen is in `recents.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..contract import WIDTH
from ..ui.systemui import STATUS_HEIGHT
from ..ui.views import (
    MATCH,
    FrameLayout,
    IconTextView,
    ImageView,
    LinearLayout,
    Rect,
    Row,
    ScrollView,
    TextView,
    View,
)
from .base import Activity, App
from .recents import recents_view

if TYPE_CHECKING:
    from .base import Host

__all__ = ["LAUNCHER_ACTIVITY", "PACKAGE", "LauncherApp", "recents_view"]

PACKAGE = "com.android.launcher3"
LAUNCHER_ACTIVITY = "com.android.launcher3.uioverride.QuickstepLauncher"
RID = f"{PACKAGE}:id/"
COLUMNS = 4
SETTINGS = "com.android.settings"
BROWSER = "com.example.browser"
# The hotseat, left to right: the phone-and-messages row a Pixel ships with.
DOCK = ("com.example.contacts", "com.google.android.apps.messaging", BROWSER, "com.android.camera2")
FLING = 150  # layout units a swipe must travel to open or close the drawer
MENU_WIDTH = 560


class LauncherApp(App):
    """The launcher: a grid of app shortcuts and a dock over the wallpaper."""

    package = PACKAGE
    label = "Pixel Launcher"
    main_activity = LAUNCHER_ACTIVITY
    launcher = False
    icon = "nav_home"
    version_name = "14"

    def __init__(self, host: Host, seed: int, apps: Callable[[], list[App]]) -> None:
        self._apps = apps
        super().__init__(host, seed)

    def initial_state(self, seed: int) -> dict[str, Any]:
        return {"removed": []}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {
            self.main_activity: lambda: HomeActivity(self),
            self.package + ".Launcher": lambda: HomeActivity(self),
        }

    def all_apps(self) -> list[App]:
        """Every launchable app, by label (the drawer's order)."""
        return sorted((a for a in self._apps() if a.launcher), key=lambda a: a.label.casefold())

    def shortcuts(self) -> list[App]:
        """Apps on the home grid, in order (the dock's and removed ones left out)."""
        removed = set(self.state.get("removed", []))
        return [
            a
            for a in self._apps()
            if a.launcher and a.package not in DOCK and a.package not in removed
        ]

    def dock(self) -> list[App]:
        """Apps in the dock, left to right."""
        by_package = {a.package: a for a in self._apps() if a.launcher}
        return [by_package[p] for p in DOCK if p in by_package]

    def find(self, package: str) -> App | None:
        """An installed app by package."""
        return next((a for a in self._apps() if a.package == package), None)


class HomeActivity(Activity[LauncherApp]):
    """The home screen; swipe up for the drawer, long-press an icon for its menu."""

    name = LAUNCHER_ACTIVITY

    def __init__(self, app: LauncherApp) -> None:
        super().__init__(app)
        self.drawer = False
        self.menu: tuple[App, Rect, bool] | None = None  # app, icon bounds, on the home grid

    def on_back(self) -> bool:
        if self.menu is not None:
            self.menu = None
            return True
        if self.drawer:
            self.drawer = False
            return True
        return False

    def build(self) -> View:
        page = self._drawer() if self.drawer else self._home()
        children = [page]
        if self.menu is not None:
            children += self._popup(*self.menu)
        return FrameLayout(id=RID + "drag_layer", height=MATCH, children=children)

    # -- the home page -------------------------------------------------------------
    def _home(self) -> View:
        app = self.app
        today = dt.date.today()
        glance = TextView(
            id=RID + "smartspace_subtitle_text",
            text=f"{today:%a, %b} {today.day}",
            size=56,
            color="on_wallpaper",
            padding=(70, 90, 0, 40),
        )
        grid = LinearLayout(
            id=RID + "workspace",
            height=MATCH,
            weight=1,
            padding=(10, 60, 10, 0),
            children=self._rows([self._icon(a, home=True) for a in app.shortcuts()]),
        )
        dock = Row(
            id=RID + "hotseat",
            margin=(20, 0, 20, 40),
            children=[self._icon(a, home=True, label=False) for a in app.dock()],
        )
        return LinearLayout(
            id=RID + "launcher",
            height=MATCH,
            bg="wallpaper",
            on_swipe=self._home_swipe,
            children=[glance, grid, dock, self._search_bar()],
        )

    def _search_bar(self) -> View:
        return Row(
            id=RID + "search_container_hotseat",
            class_name="android.widget.FrameLayout",
            height=150,
            margin=(60, 0, 60, 60),
            padding=(40, 0),
            bg="surface",
            radius=75,
            desc="Search",
            on_click=lambda: self.host.launch(BROWSER),
            children=[
                ImageView(icon="search", icon_color="primary", width=80, height=80, icon_size=56),
                View(width=0, weight=1, height=10),
                ImageView(icon="camera", icon_color="muted", width=80, height=80, icon_size=56),
            ],
        )

    def _home_swipe(self, dx: float, dy: float) -> bool:
        if dy < -FLING and abs(dy) > abs(dx):
            self.drawer = True
            self.menu = None
            return True
        return False

    # -- the app drawer ------------------------------------------------------------
    def _drawer(self) -> View:
        icons = [self._icon(a, home=False, color="on_surface") for a in self.app.all_apps()]
        search = Row(
            id=RID + "search_container_all_apps",
            height=140,
            margin=(50, 60, 50, 30),
            padding=(40, 0),
            bg="surface_variant",
            radius=70,
            on_click=lambda: self.host.launch(BROWSER),
            children=[
                ImageView(icon="search", icon_color="muted", width=80, height=80, icon_size=52),
                TextView(
                    text="Search your phone and more", size=40, color="muted", width=0, weight=1
                ),
            ],
        )
        listing = ScrollView(
            id=RID + "apps_list_view",
            class_name="androidx.recyclerview.widget.RecyclerView",
            weight=1,
            padding=(10, 20, 10, 0),
            state=self.scroll("drawer"),
            children=self._rows(icons),
        )
        return LinearLayout(
            id=RID + "apps_view",
            height=MATCH,
            bg="background",
            on_swipe=self._drawer_swipe,
            children=[search, listing],
        )

    def _drawer_swipe(self, dx: float, dy: float) -> bool:
        if dy > FLING and abs(dy) > abs(dx):
            self.drawer = False
            return True
        return False

    # -- icons and their menu ------------------------------------------------------
    @staticmethod
    def _rows(cells: list[View]) -> list[View]:
        rows: list[View] = []
        for start in range(0, len(cells), COLUMNS):
            chunk = cells[start : start + COLUMNS]
            chunk += [View(width=0, weight=1, height=10) for _ in range(COLUMNS - len(chunk))]
            rows.append(Row(gravity="top", margin=(0, 0, 0, 50), children=chunk))
        return rows

    def _icon(
        self, target: App, *, home: bool, label: bool = True, color: str = "on_wallpaper"
    ) -> View:
        view = IconTextView(
            class_name="android.widget.TextView",
            text=target.label,
            desc=target.label,
            icon=target.icon,
            icon_bg=target.icon_bg,
            color=color,
            width=0,
            weight=1,
            padding=(6, 10),
            max_lines=1,
            show_label=label,
            on_click=lambda: self.host.launch(target.package),
        )
        view.on_long_click = lambda: self._open_menu(target, view.rect, home)
        return view

    def _open_menu(self, target: App, bounds: Rect, home: bool) -> None:
        self.menu = (target, bounds, home)

    def _popup(self, target: App, bounds: Rect, home: bool) -> list[View]:
        items: list[tuple[str, str, Callable[[], None]]] = []
        if self.app.find(SETTINGS) is not None:
            items.append(("App info", "app_info", lambda: self._app_info(target)))
        if home:
            items.append(("Remove", "close", lambda: self._remove(target)))
        rows: list[View] = [
            Row(
                id=RID + "bubble_text",
                height=130,
                padding=(40, 0),
                on_click=action,
                children=[
                    ImageView(
                        icon=icon, icon_color="on_surface", width=70, height=70, icon_size=52
                    ),
                    TextView(text=text, size=40, margin=(30, 0, 0, 0), width=0, weight=1),
                ],
            )
            for text, icon, action in items
        ]
        left = min(max(30, (bounds[0] + bounds[2] - MENU_WIDTH) // 2), WIDTH - MENU_WIDTH - 30)
        height = 130 * len(rows) + 40
        top = bounds[1] - height - 20 if bounds[1] > 1200 else bounds[3] + 20
        card = LinearLayout(
            id=RID + "popup_container",
            class_name="android.widget.FrameLayout",
            width=MENU_WIDTH,
            margin=(left, max(0, top - STATUS_HEIGHT), 0, 0),
            padding=(0, 20),
            bg="surface",
            radius=40,
            children=rows,
        )
        dismiss = View(height=MATCH, on_click=self._close_menu)
        return [dismiss, card]

    def _close_menu(self) -> None:
        self.menu = None

    def _app_info(self, target: App) -> None:
        from .app_info import AppInfoActivity

        self.menu = None
        settings = self.app.find(SETTINGS)
        if settings is not None:
            self.host.start_activity(AppInfoActivity(settings, target))

    def _remove(self, target: App) -> None:
        self.menu = None
        self.app.state.setdefault("removed", []).append(target.package)
