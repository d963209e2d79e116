"""The phone's system services: installed apps and their tasks, settings, the shade and
toasts, the keyboard's visibility and screen power, with the navigation actions on them.

`SystemServer` knows nothing of pixels or touches: the compositor reads it to build the
screen, the input layer calls its navigation actions and apps reach it only through
`AppHost`. Every change bumps `version`, which keys the compositor's caches.
"""

from __future__ import annotations

import time

from .apps.base import Activity, App
from .apps.browser import BrowserApp
from .apps.installed import InstalledApp, installed_app_class
from .apps.launcher import LAUNCHER_ACTIVITY
from .apps.launcher import PACKAGE as LAUNCHER
from .apps.registry import create_apps
from .apps.settings import SettingsApp
from .contract import FileSystemLike, PackageInfo
from .host import AppHost
from .props import default_settings
from .systemstate import SystemState
from .tasks import TaskManager
from .ui import keyboard as kb
from .ui import systemui
from .ui.keyboard import KeyboardState
from .ui.systemui import Notification
from .ui.views import ScrollState

SYSTEM_PACKAGES = (
    PackageInfo("android", "Android System", "", launcher=False),
    PackageInfo(systemui.PACKAGE, "System UI", "", launcher=False),
    PackageInfo(
        kb.PACKAGE, "Gboard", "com.android.inputmethod.latin.LatinIME", "13.6", 136, launcher=False
    ),
    PackageInfo("com.android.shell", "Shell", "", launcher=False),
    PackageInfo("com.android.providers.settings", "Settings Storage", "", launcher=False),
    PackageInfo("com.android.providers.contacts", "Contacts Storage", "", launcher=False),
    PackageInfo(
        "com.android.providers.telephony", "Phone and Messaging Storage", "", launcher=False
    ),
)
# Storage packages whose data an app shows: clearing one wipes that app's data, as clearing
# the contacts provider empties every contacts app on a phone.
PROVIDER_DATA = {
    "com.android.providers.contacts": "com.example.contacts",
    "com.android.providers.telephony": "com.google.android.apps.messaging",
}
CAMERA = "com.android.camera2"
BROWSER = "com.example.browser"
SETTINGS = "com.android.settings"
TOAST_MS = 2000
BRIGHTNESS_STEP = 25


class SystemServer:
    """Mutable state of one booted phone and the system actions on it (not thread-safe:
    the `Phone` holds the lock)."""

    def __init__(self, seed: int, files: FileSystemLike, version: int = 0) -> None:
        self.version = version
        self.seed = seed
        self._files = files
        self.apps: dict[str, App] = create_apps(AppHost(self, files), seed)
        self.tasks = TaskManager(self.apps, LAUNCHER)
        self.settings = default_settings()
        self.ui = SystemState()
        self.keyboard = KeyboardState()
        self.ime_shown = False  # the user asked for the keyboard (shown while a field has focus)
        self.screen_on = True
        self.rotation = 0
        self.shade_scroll = ScrollState()
        self.recents_scroll = ScrollState()

    def changed(self) -> None:
        """Record a change of what the screen shows."""
        self.version += 1

    # -- rotation --------------------------------------------------------------------
    def set_rotation(self, rotation: int) -> None:
        """Freeze the display in a rotation (0–3), as UiAutomation.setRotation does:
        auto-rotate off, `user_rotation` set, the screen laid out anew."""
        system = self.settings["system"]
        system["accelerometer_rotation"] = "0"
        system["user_rotation"] = str(int(rotation) % 4)
        self.apply_rotation_settings()

    def apply_rotation_settings(self) -> None:
        """Rotate as the settings say: `user_rotation` while auto-rotate is off; with it on,
        the (upright) phone's sensor says portrait."""
        system = self.settings["system"]
        locked = system.get("accelerometer_rotation", "0") == "0"
        wanted = system.get("user_rotation", "0") if locked else "0"
        rotation = int(wanted) % 4 if wanted.isdigit() else 0
        if rotation != self.rotation:
            self.rotation = rotation
            self.changed()

    # -- apps ------------------------------------------------------------------------
    @property
    def settings_app(self) -> SettingsApp:
        """The Settings app, whose state backs wifi, bluetooth, dark mode and brightness."""
        app = self.apps[SETTINGS]
        assert isinstance(app, SettingsApp)
        return app

    def label(self, package: str) -> str:
        """The app's label (the package name for unknown packages)."""
        app = self.apps.get(package)
        return app.label if app is not None else package

    def launch(self, package: str, activity: str | None = None) -> bool:
        """Bring an app to the front (starting `activity` if named); False if unknown."""
        ok = self.tasks.start(package, activity)
        if ok:
            self.ime_shown = False
            self.ui.shade = 0
            self.screen_on = True
            self.changed()
        return ok

    def open_url(self, url: str) -> bool:
        """Open the browser at `url`."""
        browser = self.apps.get(BROWSER)
        if not isinstance(browser, BrowserApp) or not self.launch(browser.package):
            return False
        browser.navigate(url)
        self.changed()
        return True

    def start_activity(self, activity: Activity) -> None:
        """Push an activity onto its app's task and bring that task forward."""
        self.tasks.push(activity)
        self.ime_shown = False
        self.changed()

    def finish(self, activity: Activity) -> None:
        """Pop an activity (and anything above it) off its task."""
        self.tasks.finish(activity)
        self.ime_shown = False
        self.changed()

    def packages(self) -> list[PackageInfo]:
        """Installed packages (apps first, then non-launcher system packages)."""
        return [app.package_info() for app in self.apps.values()] + list(SYSTEM_PACKAGES)

    def install(self, info: PackageInfo) -> None:
        """Make an installed APK an app of this phone (replacing an earlier install)."""
        self.uninstall(info.package)
        app = installed_app_class(info)(AppHost(self, self._files), self.seed)
        self.apps[info.package] = app
        self.changed()

    def uninstall(self, package: str) -> bool:
        """Remove an app installed with `install`; False for any other package."""
        if not isinstance(self.apps.get(package), InstalledApp):
            return False
        self.force_stop(package)
        del self.apps[package]
        self.changed()
        return True

    def current(self) -> tuple[str, str]:
        """(package, full activity class name) of the focused window."""
        if self.tasks.recents:
            return (LAUNCHER, LAUNCHER_ACTIVITY)
        top = self.tasks.top()
        return (top.app.package, top.name)

    def running_packages(self) -> list[str]:
        """Packages with a live process."""
        running = [systemui.PACKAGE, kb.PACKAGE, LAUNCHER]
        return running + [p for p in self.tasks.tasks() if p not in running]

    def force_stop(self, package: str) -> None:
        """Drop the app's task without saving drafts."""
        if package in self.tasks.stacks and package != LAUNCHER:
            self.tasks.remove(package, graceful=False)
            self.changed()

    def clear_data(self, package: str) -> bool:
        """Stop the app and wipe its data (a storage provider: the app that shows it). False
        if not installed."""
        app = self.apps.get(PROVIDER_DATA.get(package, package))
        if app is None:
            return False
        self.force_stop(package)
        app.state = app.empty_state()
        self.changed()
        return True

    # -- focus, keyboard, dialogs ----------------------------------------------------
    def focus(self, field: str, *, show_keyboard: bool) -> None:
        """Give the front activity's text field `field` the focus (and the keyboard)."""
        self.tasks.top().focus = field
        if show_keyboard:
            self.ime_shown = True
            self.keyboard.shift = False
        self.changed()

    def hide_keyboard(self) -> None:
        """Close the keyboard; the focused field keeps its focus."""
        if self.ime_shown:
            self.ime_shown = False
            self.changed()

    def close_dialog(self) -> None:
        """Dismiss the front activity's dialog."""
        self.tasks.top().close_dialog()
        self.changed()

    # -- toasts, the shade, the screen -----------------------------------------------
    def toast(self, text: str, duration_ms: int = TOAST_MS) -> None:
        """Show a toast for `duration_ms`."""
        self.ui.show_toast(text, time.monotonic() + duration_ms / 1000)
        self.changed()

    @property
    def shade(self) -> int:
        """How far the shade is pulled: 0 closed, 1 notifications, 2 all quick settings."""
        return self.ui.shade

    def set_shade(self, level: int) -> None:
        """Pull the shade to `level` (see `shade`)."""
        self.ui.shade = level
        self.changed()

    def set_screen(self, on: bool) -> None:
        """Wake up or sleep the screen."""
        if self.screen_on != bool(on):
            self.screen_on = bool(on)
            self.changed()

    def open_notification(self, note: Notification) -> None:
        """Dismiss a notification and open its app."""
        self.ui.dismiss(note)
        self.set_shade(0)
        if note.package in self.apps:
            self.launch(note.package)

    # -- navigation keys -------------------------------------------------------------
    def navigate(self, key: str, *, keyboard_up: bool) -> bool:
        """Handle a system key (home, back, escape, app_switch, power, wakeup, sleep,
        soft_sleep, camera, brightness_up/down); False when `key` is none of them."""
        actions = {
            "home": self.go_home,
            "back": lambda: self.back(keyboard_up=keyboard_up),
            "escape": lambda: self.back(keyboard_up=keyboard_up),
            "app_switch": self.toggle_recents,
            "power": lambda: self.set_screen(not self.screen_on),
            "wakeup": lambda: self.set_screen(True),
            "sleep": lambda: self.set_screen(False),
            "soft_sleep": lambda: self.set_screen(False),
            "camera": lambda: self.launch(CAMERA),
            "brightness_up": lambda: self.nudge_brightness(BRIGHTNESS_STEP),
            "brightness_down": lambda: self.nudge_brightness(-BRIGHTNESS_STEP),
        }
        action = actions.get(key)
        if action is None:
            return False
        action()
        self.changed()
        return True

    def go_home(self) -> None:
        """Show the home screen."""
        self.ui.shade = 0
        self.ime_shown = False
        self.tasks.go_home()
        self.changed()

    def back(self, *, keyboard_up: bool) -> None:
        """BACK: close the shade, recents, keyboard or dialog, else let the activity handle
        it, else leave the activity."""
        if self.ui.shade:
            self.ui.shade = 0
        elif self.tasks.recents:
            self.tasks.recents = False
        elif keyboard_up:
            self.ime_shown = False
        elif self.tasks.top().dialog is not None:
            self.tasks.top().close_dialog()
        elif not self.tasks.top().on_back():
            self.ime_shown = False
            self.tasks.back_out()
        self.changed()

    def toggle_recents(self) -> None:
        """Open or close the overview of recent tasks."""
        self.ui.shade = 0
        self.ime_shown = False
        self.tasks.recents = not self.tasks.recents
        self.recents_scroll.y = 0
        self.changed()

    def nudge_brightness(self, delta: int) -> None:
        """Change the screen brightness by `delta` (0–255)."""
        state = self.settings_app.state
        state["brightness"] = min(255, max(0, int(state["brightness"]) + delta))
        self.changed()

    # -- recents ---------------------------------------------------------------------
    def switch_to(self, package: str) -> None:
        """Bring a recent task to the front."""
        self.tasks.bring_to_front(package)
        self.changed()

    def dismiss_task(self, package: str) -> None:
        """Swipe a task away, staying in recents."""
        self.tasks.remove(package)
        self.tasks.recents = True
        self.changed()

    def clear_tasks(self) -> None:
        """Close every task and show home."""
        self.tasks.clear()
        self.changed()

    def task_title(self, package: str) -> str:
        """The title of a task's top screen."""
        stack = self.tasks.stacks.get(package)
        return stack[-1].title() if stack else ""
