"""Composing the screen from the system state: windows, nodes and pixels, cached by version."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import replace

from PIL import Image

from .apps.base import Activity
from .apps.launcher import PACKAGE as LAUNCHER
from .apps.recents import RecentTask, recents_view
from .apps.widgets import alert_dialog
from .display import Display
from .system_server import SystemServer
from .ui import keyboard as kb
from .ui import systemui
from .ui.render import DrawnText
from .ui.theme import theme_for
from .ui.views import MATCH, Button, EditText, LinearLayout, Rect, View
from .windows import Snapshot, Window, app_root, build_nodes, find_focused, place, render

KeyHandler = Callable[[str], None]


def clock() -> str:
    """The time the status bar shows."""
    return time.strftime("%H:%M")


class Compositor:
    """Builds the `Snapshot` of the screen (windows topmost first, their nodes) and its
    rendering from a `SystemServer`; both are rebuilt only when its version moved on.

    Windows are laid out in the display's layout units, in its current rotation (landscape
    a quarter turn round); nodes, drawn texts and the image come out in its pixels
    (`display.py`). `on_key` handles the navigation bar's buttons
    ("back", "home", "app_switch") and `on_keyboard_key` the on-screen keyboard's keys.
    """

    def __init__(
        self,
        system: SystemServer,
        display: Display,
        on_key: KeyHandler,
        on_keyboard_key: KeyHandler,
    ) -> None:
        self._system = system
        self._display = display
        self._resize()
        self._on_key = on_key
        self._on_keyboard_key = on_keyboard_key
        self._snapshot: Snapshot | None = None
        self._rendering: tuple[int, Image.Image, list[DrawnText]] | None = None
        self._png: tuple[int, bytes] | None = None
        self._frames: dict[str, Image.Image] = {}  # each task's last frame, by package

    def refresh(self) -> None:
        """Count a change when the toast has expired or the clock has moved on."""
        if self._system.ui.expire_toast(time.monotonic()):
            self._system.changed()
        if self._snapshot is not None and self._snapshot.clock != clock():
            self._system.changed()

    def snapshot(self) -> Snapshot:
        """The composed screen of the current version."""
        self.refresh()
        if self._snapshot is None or self._snapshot.version != self._system.version:
            self._snapshot = self._compose()
        return self._snapshot

    def render(self) -> tuple[Image.Image, list[DrawnText]]:
        """The screen's pixels and the texts drawn on it (black while the screen is off)."""
        _, image, texts = self._rendered()
        return image, texts

    def png(self) -> bytes:
        """The screen as PNG bytes (fast compression: screens are flat colours)."""
        version, image, _ = self._rendered()
        if self._png is None or self._png[0] != version:
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", compress_level=1)
            self._png = (version, buffer.getvalue())
        return self._png[1]

    def _rendered(self) -> tuple[int, Image.Image, list[DrawnText]]:
        snap = self.snapshot()
        if self._rendering is None or self._rendering[0] != snap.version:
            if self._system.screen_on:
                image, texts = render(snap, self._width, self._height)
                image, texts = self._to_pixels(image, texts)
                self._keep_frame(image)
            else:
                image, texts = Image.new("RGB", self._display.size), []
            self._rendering = (snap.version, image, texts)
        return self._rendering

    def _keep_frame(self, image: Image.Image) -> None:
        """Remember the frame of the app in front: its task's card in the overview."""
        system = self._system
        package = system.tasks.front
        if not system.tasks.recents and not system.ui.shade and package != LAUNCHER:
            self._frames[package] = image

    def _to_pixels(
        self, image: Image.Image, texts: list[DrawnText]
    ) -> tuple[Image.Image, list[DrawnText]]:
        display = self._display
        if not display.scaled:
            return image, texts
        moved = [replace(t, bounds=display.to_pixels(t.bounds)) for t in texts]
        return display.to_screen(image), moved

    # -- composing -------------------------------------------------------------------
    def _resize(self) -> None:
        """Take the layout size of the display in its current rotation."""
        self._width, self._height = self._display.layout_size_at(self._system.rotation)
        self._nav_top = self._height - systemui.NAV_HEIGHT

    def _compose(self) -> Snapshot:
        self._resize()
        system = self._system
        version = system.version
        screen = (0, 0, self._width, self._height)
        activity = system.tasks.top()
        windows = self._system_bars(screen)
        content, package = self._content(activity)
        focused = find_focused(content, activity.focus) if not system.tasks.recents else None
        show_kb = focused is not None and system.ime_shown and not system.ui.shade
        resized = show_kb and not self._landscape  # in landscape the keyboard covers the app
        bottom = self._nav_top - kb.HEIGHT if resized else self._nav_top
        if show_kb and focused is not None:
            windows.append(self._keyboard(focused, bottom, screen))
        if activity.dialog is not None and not system.tasks.recents:
            frame = alert_dialog(package, activity.dialog)
            window = place(
                "dialog", package, frame, (0, systemui.STATUS_HEIGHT, self._width, bottom), screen
            )
            window.node_root = frame.children[0]
            windows.append(window)
        decor = app_root(content, systemui.STATUS_HEIGHT, bottom, self._height)
        windows.append(place("app", package, decor, screen, screen))
        theme = theme_for(bool(system.settings_app.state["dark_mode"]))
        snap = Snapshot(
            version, windows, theme, system.ui.toast_text(), clock=clock(), focused=focused
        )
        build_nodes(snap, self._display.to_pixels)
        return snap

    def _keyboard(self, focused: EditText, top: int, screen: Rect) -> Window:
        """The keyboard window, its action key labelled for the focused field; in landscape
        it takes the whole screen above the navigation bar (fullscreen extract mode)."""
        label = "Enter" if focused.multiline else ("Search" if focused.on_submit else "Done")
        keys = kb.build_keyboard(self._system.keyboard, self._on_keyboard_key, label)
        if not self._landscape:
            return place("keyboard", kb.PACKAGE, keys, (0, top, self._width, self._nav_top), screen)
        extract = LinearLayout(
            id="android:id/extractArea",
            orientation="horizontal",
            height=0,
            weight=1,
            padding=(30, 20, 30, 20),
            spacing=30,
            children=[self._extract_field(focused), self._extract_action(label)],
        )
        root = LinearLayout(
            id="android:id/parentPanel", height=MATCH, bg="surface", children=[extract, keys]
        )
        rect = (0, systemui.STATUS_HEIGHT, self._width, self._nav_top)
        return place("keyboard", kb.PACKAGE, root, rect, screen)

    @staticmethod
    def _extract_field(focused: EditText) -> EditText:
        """The input method's copy of the focused field (AOSP `inputExtractEditText`)."""
        return EditText(
            id="android:id/inputExtractEditText",
            value=focused.value,
            hint=focused.hint,
            password=focused.password,
            multiline=focused.multiline,
            on_change=focused.on_change,
            field=focused.field,
            focused=True,
            width=0,
            weight=1,
            height=MATCH,
        )

    def _extract_action(self, label: str) -> Button:
        return Button(
            id="android:id/inputExtractAction",
            text=label,
            width=300,
            height=MATCH,
            on_click=lambda: self._on_keyboard_key("\n"),
        )

    @property
    def _landscape(self) -> bool:
        return self._width > self._height

    def _system_bars(self, screen: Rect) -> list[Window]:
        """The shade (when pulled down), the navigation bar and the status bar."""
        windows: list[Window] = []
        if self._system.ui.shade:
            shade = self._shade_view()
            windows.append(
                place("shade", systemui.PACKAGE, shade, (0, 0, self._width, self._nav_top), screen)
            )
        nav = systemui.navigation_bar(
            lambda: self._on_key("back"),
            lambda: self._on_key("home"),
            lambda: self._on_key("app_switch"),
            self._height - self._nav_top,
            self._over_wallpaper(),
        )
        windows.append(
            place(
                "navigation_bar",
                systemui.PACKAGE,
                nav,
                (0, self._nav_top, self._width, self._height),
                screen,
            )
        )
        status = systemui.status_bar(self._status_info(), self._width)
        windows.append(
            place(
                "status_bar",
                systemui.PACKAGE,
                status,
                (0, 0, self._width, systemui.STATUS_HEIGHT),
                screen,
            )
        )
        return windows

    def _content(self, activity: Activity) -> tuple[View, str]:
        system = self._system
        if not system.tasks.recents:
            return activity.build(), activity.app.package
        tasks = [self._recent(p) for p in system.tasks.tasks()]
        view = recents_view(
            tasks,
            system.switch_to,
            system.dismiss_task,
            system.clear_tasks,
            system.recents_scroll,
            self._frames.get,
            (self._width, self._height),
        )
        return view, LAUNCHER

    def _recent(self, package: str) -> RecentTask:
        system = self._system
        app = system.apps.get(package)
        task = RecentTask(package, system.label(package), system.task_title(package))
        return task if app is None else replace(task, icon=app.icon, icon_bg=app.icon_bg)

    def _status_info(self) -> systemui.StatusInfo:
        state = self._system.settings_app.state
        return systemui.StatusInfo(
            clock(),
            bool(state["wifi"]),
            bool(state["bluetooth"]),
            self._system.ui.battery,
            bool(state.get("airplane", False)),
            self._over_wallpaper(),
        )

    def _over_wallpaper(self) -> bool:
        """Whether the bars are see-through over the wallpaper (home, overview)."""
        system = self._system
        home = system.tasks.recents or system.tasks.top().app.package == LAUNCHER
        return home and not system.ui.shade

    def _shade_view(self) -> View:
        ui = self._system.ui
        state = self._system.settings_app.state
        model = systemui.ShadeModel(
            clock=clock(),
            date=time.strftime("%a, %b %d"),
            tiles=self._tiles(),
            notifications=ui.notifications,
            brightness=int(state["brightness"]),
            set_brightness=lambda v: state.update(brightness=v),
            open_notification=self._system.open_notification,
            clear_all=ui.clear_notifications,
            expanded=ui.shade == 2,
            scroll=self._system.shade_scroll,
        )
        return systemui.shade(model, self._width, self._nav_top)

    def _tiles(self) -> list[systemui.Tile]:
        """The quick settings tiles, bound to the Settings app's state."""
        ui = self._system.ui
        state = self._system.settings_app.state

        def flip(key: str) -> Callable[[], None]:
            return lambda: state.update({key: not state.get(key, False)})

        wifi = bool(state["wifi"])
        return [
            systemui.Tile("Internet", "wifi", wifi, flip("wifi"), "Wi-Fi on" if wifi else "Off"),
            systemui.Tile("Bluetooth", "bluetooth", bool(state["bluetooth"]), flip("bluetooth")),
            systemui.Tile("Dark theme", "moon", bool(state["dark_mode"]), flip("dark_mode")),
            systemui.Tile(
                "Airplane mode", "airplane", bool(state.get("airplane", False)), flip("airplane")
            ),
            systemui.Tile("Flashlight", "sun", ui.flashlight, ui.toggle_flashlight),
            systemui.Tile("Do Not Disturb", "moon", ui.dnd, ui.toggle_dnd),
        ]
