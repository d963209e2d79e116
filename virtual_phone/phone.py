"""The virtual phone's model: a Pixel 7 on Android 14 (implements `PhoneLike`).

Every public method takes the phone's re-entrant lock. The UI is rebuilt from app state
after each change; `ui_version` counts changes and keys the caches of the composed
screen, its nodes, the hierarchy XML and the screenshot. Layers: `core.PhoneCore` (state,
apps, composing), `input.InputLayer` (touch, keys, typing), `Phone` (the public API).
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from PIL import Image

from .apps.launcher import LAUNCHER_ACTIVITY
from .apps.launcher import PACKAGE as LAUNCHER
from .contract import NodeInfo, PackageInfo, TcpHandler
from .input import InputLayer
from .props import default_settings
from .ui import keyboard as kb
from .ui import systemui
from .ui.hierarchy import to_xml
from .ui.render import DrawnText

log = logging.getLogger(__name__)

STATE_FORMAT = 1
EXTRA_PACKAGES = (
    PackageInfo("android", "Android System", "", launcher=False),
    PackageInfo(systemui.PACKAGE, "System UI", "", launcher=False),
    PackageInfo(
        kb.PACKAGE, "Gboard", "com.android.inputmethod.latin.LatinIME", "13.6", 136, launcher=False
    ),
    PackageInfo("com.android.shell", "Shell", "", launcher=False),
    PackageInfo("com.android.providers.settings", "Settings Storage", "", launcher=False),
)


class Phone(InputLayer):
    """A Pixel 7 (Android 14) simulated in Python: see `PhoneLike` for the contract."""

    def __init__(self, seed: int = 0, serial: str = "emulator-virtual") -> None:
        super().__init__(seed, serial)

    @property
    def ui_version(self) -> int:
        """Incremented on every change of what the screen shows."""
        with self._lock:
            self._expire()
            return self._version

    # == identity and system state ==================================================
    def getprop(self, name: str | None = None) -> dict[str, str] | str:
        """All properties, or one value ("" when absent)."""
        with self._lock:
            props = dict(self._props)
            props["ro.product.model"] = "Pixel 7"
            props["persist.sys.rotation"] = str(self._rotation)
            return props if name is None else props.get(name, "")

    def settings_get(self, namespace: str, key: str) -> str | None:
        """`settings get`: None when unset."""
        with self._lock:
            linked = self._settings_app().linked_get(namespace, key)
            if linked is not None:
                return linked
            return self._settings.get(namespace, {}).get(key)

    def settings_put(self, namespace: str, key: str, value: str) -> None:
        """`settings put`."""
        with self._lock:
            if not self._settings_app().linked_put(namespace, key, value):
                self._settings.setdefault(namespace, {})[key] = value
            self._bump()

    @property
    def rotation(self) -> int:
        with self._lock:
            return self._rotation

    def set_rotation(self, rotation: int) -> None:
        """Record the rotation (0–3); the UI stays laid out in portrait."""
        with self._lock:
            self._rotation = int(rotation) % 4
            self._settings["system"]["user_rotation"] = str(self._rotation)
            self._bump()

    @property
    def screen_on(self) -> bool:
        with self._lock:
            return self._screen_on

    def set_screen_on(self, on: bool) -> None:
        """Wake up or sleep the screen."""
        with self._lock:
            self._set_screen(on)

    @property
    def keyboard_shown(self) -> bool:
        with self._lock:
            return self._keyboard_up()

    def hide_keyboard(self) -> None:
        """Close the on-screen keyboard (the focused field keeps its focus)."""
        with self._lock:
            if self._ime_shown:
                self._ime_shown = False
                self._bump()

    @property
    def wifi_enabled(self) -> bool:
        with self._lock:
            return bool(self._settings_app().state["wifi"])

    def set_wifi(self, enabled: bool) -> None:
        """`svc wifi enable|disable`."""
        with self._lock:
            self._settings_app().state["wifi"] = bool(enabled)
            self._bump()

    # == apps and activities ========================================================
    def packages(self) -> list[PackageInfo]:
        """Installed packages (apps first, then non-launcher system packages)."""
        with self._lock:
            apps = [
                PackageInfo(
                    a.package,
                    a.label,
                    a.main_activity,
                    a.version_name,
                    a.version_code,
                    system=a.system,
                    launcher=a.launcher,
                )
                for a in self._apps.values()
            ]
            return apps + list(EXTRA_PACKAGES)

    def start_app(self, package: str, activity: str | None = None) -> bool:
        """Bring the app to the front (launch it if needed). False if not installed."""
        with self._lock:
            return self._launch(package, activity)

    def open_url(self, url: str) -> bool:
        """`am start -a VIEW -d URL`: open the browser at `url`."""
        with self._lock:
            return self._open_url(url)

    def force_stop(self, package: str) -> None:
        """`am force-stop`: drop the app's task without saving drafts."""
        with self._lock:
            if package in self._tasks.stacks and package != LAUNCHER:
                self._tasks.remove(package, graceful=False)
                self._bump()

    def clear_data(self, package: str) -> bool:
        """`pm clear`: stop the app and wipe its data. False if not installed."""
        with self._lock:
            app = self._apps.get(package)
            if app is None:
                return False
            self.force_stop(package)
            app.state = app.empty_state()
            self._bump()
            return True

    def current(self) -> tuple[str, str]:
        """(package, full activity class name) of the focused window."""
        with self._lock:
            if self._tasks.recents:
                return (LAUNCHER, LAUNCHER_ACTIVITY)
            top = self._tasks.top()
            return (top.app.package, top.name)

    def running_packages(self) -> list[str]:
        """Packages with a live process."""
        with self._lock:
            running = [systemui.PACKAGE, kb.PACKAGE, LAUNCHER]
            return running + [p for p in self._tasks.tasks() if p not in running]

    # == system UI ==================================================================
    def open_notifications(self) -> None:
        """Pull down the notification shade."""
        with self._lock:
            self._system.shade = 1
            self._ime_shown = False
            self._bump()

    def open_quick_settings(self) -> None:
        """Pull down the shade fully expanded (all quick settings tiles)."""
        with self._lock:
            self._system.shade = 2
            self._ime_shown = False
            self._bump()

    def make_toast(self, text: str, duration_ms: int = 2000) -> None:
        """Show a toast for `duration_ms`."""
        with self._lock:
            self._toast(text, duration_ms)

    @property
    def last_toast(self) -> str | None:
        with self._lock:
            return self._system.last_toast

    def clear_last_toast(self) -> None:
        """Forget the last toast (`clearLastToast`)."""
        with self._lock:
            self._system.last_toast = None

    # == observation ================================================================
    def nodes(self) -> list[NodeInfo]:
        """Root nodes of every visible window, topmost first."""
        with self._lock:
            return list(self._snapshot().nodes)

    def hierarchy_xml(self, compressed: bool = False, max_depth: int = 50) -> str:
        """The uiautomator dump of the current screen."""
        with self._lock:
            snap = self._snapshot()
            cache_key = (bool(compressed), int(max_depth))
            if cache_key not in snap.xml:
                snap.xml[cache_key] = to_xml(snap.nodes, self._rotation, compressed, max_depth)
            return snap.xml[cache_key]

    def screenshot(self) -> Image.Image:
        """The screen as a 1080×2400 RGB image (black while the screen is off)."""
        with self._lock:
            return self._render()[0].copy()

    def screen_texts(self) -> list[DrawnText]:
        """Every string drawn on screen with its bounds; `reported=False` marks text that
        the hierarchy does not contain (web page text, toasts)."""
        with self._lock:
            return list(self._render()[1])

    # == device TCP ports ===========================================================
    def tcp_handler(self, port: int) -> TcpHandler | None:
        """The handler listening on a device TCP port, if any."""
        with self._lock:
            return self._tcp.get(port)

    def register_tcp(self, port: int, handler: TcpHandler | None) -> None:
        """Listen on (or, with None, stop listening on) a device TCP port."""
        with self._lock:
            if handler is None:
                self._tcp.pop(port, None)
            else:
                self._tcp[port] = handler

    # == state for validators =======================================================
    def app_state(self, package: str) -> dict[str, Any]:
        """A copy of one app's state (KeyError when not installed)."""
        with self._lock:
            return self._apps[package].public_state()

    def state(self) -> dict[str, Any]:
        """All app data and system settings as JSON-serialisable data."""
        with self._lock:
            return {
                "format": STATE_FORMAT,
                "apps": {p: copy.deepcopy(a.state) for p, a in self._apps.items()},
                "settings": copy.deepcopy(self._settings),
                "notifications": self._system.dump_notifications(),
                "clipboard": self.clipboard,
            }

    def load_state(self, data: dict[str, Any]) -> None:
        """Restore `state()` output; closes all apps and shows the home screen."""
        with self._lock:
            for package, app_data in dict(data.get("apps", {})).items():
                if package in self._apps:
                    self._apps[package].load(app_data)
            settings = default_settings()
            for namespace, values in dict(data.get("settings", {})).items():
                settings.setdefault(namespace, {}).update(
                    {str(k): str(v) for k, v in values.items()}
                )
            self._settings = settings
            self._system.load_notifications(data.get("notifications", []))
            self.clipboard = data.get("clipboard")
            self._tasks.clear()
            self._ime_shown = False
            self._system.shade = 0
            self._bump()

    def reset(self) -> None:
        """Back to the seeded initial state (files and TCP listeners are kept)."""
        with self._lock:
            self._init_state()
