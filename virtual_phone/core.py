"""The phone's core: state, apps and tasks, and composing the screen from them."""

from __future__ import annotations

import threading
import time
from typing import Any

from PIL import Image

from .apps.base import Activity, App
from .apps.launcher import PACKAGE as LAUNCHER
from .apps.launcher import recents_view
from .apps.registry import create_apps
from .apps.widgets import alert_dialog
from .contract import HEIGHT, WIDTH, FileSystemLike, TcpHandler
from .fs import FileSystem
from .props import default_props, default_settings
from .systemstate import SystemState
from .tasks import TaskManager
from .ui import keyboard as kb
from .ui import systemui
from .ui.render import DrawnText
from .ui.theme import theme_for
from .ui.views import ScrollState, View
from .windows import Snapshot, Window, app_root, build_nodes, find_focused, place, render


class _AppHost:
    """The services apps may use (kept apart from the Phone's public API)."""

    def __init__(self, phone: PhoneCore) -> None:
        self._phone = phone

    def toast(self, text: str) -> None:
        self._phone._toast(text, 2000)

    def start_activity(self, activity: Activity) -> None:
        self._phone._tasks.push(activity)
        self._phone._ime_shown = False

    def finish(self, activity: Activity) -> None:
        self._phone._tasks.finish(activity)
        self._phone._ime_shown = False

    def launch(self, package: str) -> bool:
        return self._phone._launch(package, None)

    def open_url(self, url: str) -> bool:
        return self._phone._open_url(url)

    def hide_keyboard(self) -> None:
        self._phone._ime_shown = False

    def notify(self, package: str, title: str, text: str) -> None:
        self._phone._system.notify(self._phone._label(package), package, title, text)

    def write_file(self, path: str, data: bytes) -> None:
        self._phone.fs.write(path, data)


class PhoneCore:
    """State shared by the phone's layers; the UI is derived from it on demand."""

    def __init__(self, seed: int = 0, serial: str = "emulator-virtual") -> None:
        self.width = WIDTH
        self.height = HEIGHT
        self.serial = serial
        self.seed = seed
        self.fs: FileSystemLike = FileSystem()
        self.clipboard: str | None = None
        self._lock = threading.RLock()
        self._props = default_props(serial)
        self._tcp: dict[int, TcpHandler] = {}
        self._version = 0
        self._snap: Snapshot | None = None
        self._shot: tuple[int, Image.Image, list[DrawnText]] | None = None
        self._touch: tuple[float, float, float] | None = None
        self._init_state()

    def _init_state(self) -> None:
        self._host = _AppHost(self)
        self._apps: dict[str, App] = create_apps(self._host, self.seed)
        self._tasks = TaskManager(self._apps, LAUNCHER)
        self._settings = default_settings()
        self._system = SystemState()
        self._kb = kb.KeyboardState()
        self._ime_shown = False
        self._shade_scroll = ScrollState()
        self._recents_scroll = ScrollState()
        self._screen_on = True
        self._rotation = 0
        self.clipboard = None
        self._bump()

    def _bump(self) -> None:
        self._version += 1

    def _expire(self) -> None:
        if self._system.expire_toast(time.monotonic()):
            self._bump()
        if self._snap is not None and self._snap.clock != self._clock():
            self._bump()

    def _settings_app(self) -> Any:
        return self._apps["com.android.settings"]

    def _launch(self, package: str, activity: str | None) -> bool:
        ok = self._tasks.start(package, activity)
        if ok:
            self._ime_shown = False
            self._system.shade = 0
            self._screen_on = True
            self._bump()
        return ok

    def _label(self, package: str) -> str:
        app = self._apps.get(package)
        return app.label if app is not None else package

    def _toast(self, text: str, duration_ms: int) -> None:
        self._system.show_toast(text, time.monotonic() + duration_ms / 1000)
        self._bump()

    def _open_url(self, url: str) -> bool:
        browser = self._apps.get("com.example.browser")
        if browser is None or not self._launch(browser.package, None):
            return False
        browser.navigate(url)  # type: ignore[attr-defined]
        self._bump()
        return True

    def _set_screen(self, on: bool) -> None:
        if self._screen_on != bool(on):
            self._screen_on = bool(on)
            self._bump()

    def _key(self, name: str) -> None:
        """Handle a normalised key name (provided by the input layer)."""
        raise NotImplementedError

    def _on_keyboard_key(self, key: str) -> None:
        """Handle a tap on an on-screen keyboard key (provided by the input layer)."""
        raise NotImplementedError

    def _keyboard_up(self) -> bool:
        return any(w.name == "keyboard" for w in self._snapshot().windows)

    def _render(self) -> tuple[Image.Image, list[DrawnText]]:
        snap = self._snapshot()
        if self._shot is None or self._shot[0] != snap.version:
            if self._screen_on:
                image, texts = render(snap, self.width, self.height)
            else:
                image, texts = Image.new("RGB", (self.width, self.height)), []
            self._shot = (snap.version, image, texts)
        return self._shot[1], self._shot[2]

    # == composing the screen =======================================================
    def _clock(self) -> str:
        return time.strftime("%H:%M")

    def _snapshot(self) -> Snapshot:
        self._expire()
        if self._snap is None or self._snap.version != self._version:
            self._snap = self._compose()
        return self._snap

    def _compose(self) -> Snapshot:
        theme = theme_for(bool(self._settings_app().state["dark_mode"]))
        screen = (0, 0, self.width, self.height)
        activity = self._tasks.top()
        version = self._version
        windows: list[Window] = []
        if self._system.shade:
            windows.append(
                place(
                    "shade",
                    systemui.PACKAGE,
                    self._shade_view(),
                    (0, 0, self.width, systemui.NAV_TOP),
                    screen,
                )
            )
        windows.append(
            place(
                "navigation_bar",
                systemui.PACKAGE,
                systemui.navigation_bar(
                    lambda: self._key("back"),
                    lambda: self._key("home"),
                    lambda: self._key("app_switch"),
                    self.height - systemui.NAV_TOP,
                ),
                (0, systemui.NAV_TOP, self.width, self.height),
                screen,
            )
        )
        windows.append(
            place(
                "status_bar",
                systemui.PACKAGE,
                systemui.status_bar(self._status_info(), self.width),
                (0, 0, self.width, systemui.STATUS_HEIGHT),
                screen,
            )
        )
        content, package = self._content(activity)
        focused = find_focused(content, activity.focus) if not self._tasks.recents else None
        show_kb = focused is not None and self._ime_shown and not self._system.shade
        bottom = systemui.NAV_TOP - kb.HEIGHT if show_kb else systemui.NAV_TOP
        if show_kb and focused is not None:
            label = "Enter" if focused.multiline else ("Search" if focused.on_submit else "Done")
            windows.append(
                place(
                    "keyboard",
                    kb.PACKAGE,
                    kb.build_keyboard(self._kb, self._on_keyboard_key, label),
                    (0, bottom, self.width, systemui.NAV_TOP),
                    screen,
                )
            )
        if activity.dialog is not None and not self._tasks.recents:
            frame = alert_dialog(package, activity.dialog)
            window = place(
                "dialog", package, frame, (0, systemui.STATUS_HEIGHT, self.width, bottom), screen
            )
            window.node_root = frame.children[0]
            windows.append(window)
        windows.append(
            place(
                "app",
                package,
                app_root(content, systemui.STATUS_HEIGHT, bottom, self.height),
                screen,
                screen,
            )
        )
        toast = self._system.toast_text()
        snap = Snapshot(version, windows, theme, toast, clock=self._clock(), focused=focused)
        build_nodes(snap)
        return snap

    def _content(self, activity: Activity) -> tuple[View, str]:
        if self._tasks.recents:
            tasks = [(p, self._label(p), self._title(p)) for p in self._tasks.tasks()]
            return recents_view(
                tasks, self._switch_to, self._dismiss_task, self._clear_tasks, self._recents_scroll
            ), LAUNCHER
        return activity.build(), activity.app.package

    def _title(self, package: str) -> str:
        stack = self._tasks.stacks.get(package)
        return stack[-1].title() if stack else ""

    def _switch_to(self, package: str) -> None:
        self._tasks.bring_to_front(package)

    def _dismiss_task(self, package: str) -> None:
        self._tasks.remove(package)
        self._tasks.recents = True

    def _clear_tasks(self) -> None:
        self._tasks.clear()

    def _status_info(self) -> systemui.StatusInfo:
        state = self._settings_app().state
        return systemui.StatusInfo(
            self._clock(),
            bool(state["wifi"]),
            bool(state["bluetooth"]),
            self._system.battery,
            bool(state.get("airplane", False)),
        )

    def _shade_view(self) -> View:
        state = self._settings_app().state
        tiles = [
            systemui.Tile(
                "Internet",
                "wifi",
                bool(state["wifi"]),
                lambda: state.update(wifi=not state["wifi"]),
                "Wi-Fi on" if state["wifi"] else "Off",
            ),
            systemui.Tile(
                "Bluetooth",
                "bluetooth",
                bool(state["bluetooth"]),
                lambda: state.update(bluetooth=not state["bluetooth"]),
            ),
            systemui.Tile(
                "Dark theme",
                "moon",
                bool(state["dark_mode"]),
                lambda: state.update(dark_mode=not state["dark_mode"]),
            ),
            systemui.Tile(
                "Airplane mode",
                "airplane",
                bool(state.get("airplane", False)),
                lambda: state.update(airplane=not state.get("airplane", False)),
            ),
            systemui.Tile(
                "Flashlight", "sun", self._system.flashlight, self._system.toggle_flashlight
            ),
            systemui.Tile("Do Not Disturb", "moon", self._system.dnd, self._system.toggle_dnd),
        ]
        model = systemui.ShadeModel(
            clock=self._clock(),
            date=time.strftime("%a, %b %d"),
            tiles=tiles,
            notifications=self._system.notifications,
            brightness=int(state["brightness"]),
            set_brightness=lambda v: state.update(brightness=v),
            open_notification=self._open_notification,
            clear_all=self._system.clear_notifications,
            expanded=self._system.shade == 2,
            scroll=self._shade_scroll,
        )
        return systemui.shade(model, self.width, systemui.NAV_TOP)

    def _open_notification(self, note: systemui.Notification) -> None:
        self._system.dismiss(note)
        self._system.shade = 0
        if note.package in self._apps:
            self._launch(note.package, None)
