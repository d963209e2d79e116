"""The virtual phone's model: a Pixel 7 on Android 14 (implements `PhoneLike`).

`Phone` is the public API. It owns its parts and wires them together; none of them knows
the `Phone`:

- `SystemServer` (`system_server.py`): apps, tasks, settings, shade, toasts, keyboard
  visibility, screen power, and the navigation actions on them. Apps see it only through
  the narrow `apps.base.Host` (`host.AppHost`).
- `Compositor` (`compositor.py`): the windows, nodes and pixels of the screen, built from
  the system state and cached by version.
- `InputLayer` (`input.py`): touches, gestures, keys and typing, dispatched to the composed
  windows and to the system's navigation actions.

Every public method takes the phone's re-entrant lock. `ui_version` counts changes and keys
the caches of the composed screen, its nodes, the hierarchy XML and the screenshot.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PIL import Image

from . import saved_state
from .apps.settings import LINKED as LINKED_SETTINGS
from .compositor import Compositor
from .contract import HEIGHT, WIDTH, FileSystemLike, NodeInfo, PackageInfo, TcpHandler
from .display import Display
from .fs import FileSystem
from .input import LONG_PRESS_MS, InputLayer, Point
from .props import default_props
from .saved_state import STATE_FORMAT
from .system_server import SystemServer
from .ui.hierarchy import to_classic_xml, to_xml
from .ui.render import DrawnText
from .windows import Snapshot

__all__ = ["STATE_FORMAT", "Phone"]

log = logging.getLogger(__name__)


class Phone:
    """A Pixel 7 (Android 14) simulated in Python: see `PhoneLike` for the contract.

    `size` is the screen in pixels, (1080, 2400) by default, and `density` its dpi (420 at
    that size); without a density, another size keeps the same dp width (`display.Display`).
    """

    def __init__(
        self,
        seed: int = 0,
        serial: str = "emulator-virtual",
        size: tuple[int, int] = (WIDTH, HEIGHT),
        density: int | None = None,
    ) -> None:
        self.display = Display(*size, density)  # ValueError for a size it cannot simulate
        self.width, self.height = self.display.size
        self.density_dpi = self.display.density_dpi
        self.serial = serial
        self.seed = seed
        self.fs: FileSystemLike = FileSystem()
        self.clipboard: str | None = None
        self._lock = threading.RLock()
        self._props = default_props(serial, self.density_dpi)
        self._tcp: dict[int, TcpHandler] = {}
        self._installed: dict[str, PackageInfo] = {}  # APKs installed by pm, kept on reset
        self._boot(version=0)

    def _boot(self, version: int) -> None:
        """Fresh apps and system state (files, properties and TCP listeners are kept)."""
        self._system = SystemServer(self.seed, self.fs, version)
        for info in self._installed.values():
            self._system.install(info)
        self._input = InputLayer(self._system, self._snapshot)
        self._screen = Compositor(
            self._system, self.display, self._input.key, self._input.keyboard_key
        )
        self.clipboard = None

    def _snapshot(self) -> Snapshot:
        return self._screen.snapshot()

    @property
    def ui_version(self) -> int:
        """Incremented on every change of what the screen shows."""
        with self._lock:
            self._screen.refresh()
            return self._system.version

    # == input (points in pixels) ===================================================
    def tap(self, x: float, y: float) -> None:
        """A short touch at pixel (x, y)."""
        with self._lock:
            self._input.tap(*self.display.to_layout(x, y))

    def long_press(self, x: float, y: float, duration_ms: int = 600) -> None:
        """A touch held for `duration_ms` at (x, y) (a long click from 500 ms)."""
        with self._lock:
            self._input.tap(*self.display.to_layout(x, y), long=duration_ms >= LONG_PRESS_MS)

    def swipe(self, x1: float, y1: float, x2: float, y2: float, duration_ms: int = 300) -> None:
        """A drag from (x1, y1) to (x2, y2): scrolls lists, pulls the shade (from the top
        edge), goes back (from the left edge); a short one is a tap."""
        with self._lock:
            start, end = self.display.to_layout(x1, y1), self.display.to_layout(x2, y2)
            self._input.swipe(*start, *end, duration_ms)

    def touch(self, action: int, x: float, y: float) -> None:
        """Raw MotionEvent: 0 down, 1 up, 2 move; a down/up pair becomes a tap or swipe."""
        with self._lock:
            self._input.touch(action, *self.display.to_layout(x, y))

    def drag(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """A touch held past the long-press timeout at (x1, y1), moved to (x2, y2), lifted."""
        with self._lock:
            start, end = self.display.to_layout(x1, y1), self.display.to_layout(x2, y2)
            self._input.drag(*start, *end)

    def pinch(self, start: tuple[Point, Point], end: tuple[Point, Point]) -> float:
        """Two fingers moving from `start` to `end` (pixels); returns the scale factor."""
        layout = self.display.to_layout
        with self._lock:
            return self._input.pinch(
                (layout(*start[0]), layout(*start[1])), (layout(*end[0]), layout(*end[1]))
            )

    def press_key(self, key: str | int, *, longpress: bool = False) -> bool:
        """Press a key by name or Android key code: "back", "home", "enter", "del"
        (delete), "app_switch" (recents), "power", "wakeup", "volume_up"…, case-insensitive,
        an optional KEYCODE_ prefix. False for an unknown key; `longpress` acts as a press."""
        with self._lock:
            return self._input.press_key(key)

    def input_text(self, text: str) -> None:
        """Type Unicode text into the focused field (no-op without one; "\\n" is enter)."""
        with self._lock:
            self._input.type_text(text)
            self._system.changed()

    def clear_focused_text(self) -> None:
        """Empty the focused field."""
        with self._lock:
            self._input.clear_focused_text()

    def set_text(self, key: int, text: str) -> bool:
        """Replace the text of an editable node (`NodeInfo.key`)."""
        with self._lock:
            return self._input.set_text(key, text)

    def scroll_node(self, key: int, *, forward: bool, vertical: bool = True) -> bool:
        """Scroll a scrollable node by most of a page; False when it cannot move."""
        with self._lock:
            return self._input.scroll_node(key, forward=forward, vertical=vertical)

    # == identity and system state ==================================================
    def screen_size(self) -> tuple[int, int]:
        """(width, height) of the screen in pixels, portrait (its physical size)."""
        return (self.width, self.height)

    def getprop(self, name: str | None = None) -> dict[str, str] | str:
        """All properties, or one value ("" when absent)."""
        with self._lock:
            props = dict(self._props)
            props["ro.product.model"] = "Pixel 7"
            props["persist.sys.rotation"] = str(self._system.rotation)
            return props if name is None else props.get(name, "")

    def settings_get(self, namespace: str, key: str) -> str | None:
        """`settings get`: None when unset."""
        with self._lock:
            linked = self._system.settings_app.linked_get(namespace, key)
            if linked is not None:
                return linked
            return self._system.settings.get(namespace, {}).get(key)

    def settings_put(self, namespace: str, key: str, value: str) -> None:
        """`settings put` (`user_rotation` / `accelerometer_rotation` rotate the screen)."""
        with self._lock:
            if not self._system.settings_app.linked_put(namespace, key, value):
                self._system.settings.setdefault(namespace, {})[key] = value
            if namespace == "system":
                self._system.apply_rotation_settings()
            self._system.changed()

    def settings_list(self, namespace: str) -> dict[str, str]:
        """`settings list`: every key of a namespace with its value."""
        with self._lock:
            values = dict(self._system.settings.get(namespace, {}))
            for linked_namespace, key in LINKED_SETTINGS:
                value = self._system.settings_app.linked_get(linked_namespace, key)
                if linked_namespace == namespace and value is not None:
                    values[key] = value
            return values

    def settings_delete(self, namespace: str, key: str) -> bool:
        """`settings delete`: False when the key is unset or backed by an app's state."""
        with self._lock:
            deleted = self._system.settings.get(namespace, {}).pop(key, None) is not None
            if deleted:
                self._system.changed()
            return deleted

    @property
    def rotation(self) -> int:
        """The recorded rotation (0–3)."""
        with self._lock:
            return self._system.rotation

    def set_rotation(self, rotation: int) -> None:
        """Freeze the screen in a rotation (0–3): 1 and 3 lay it out in landscape."""
        with self._lock:
            self._system.set_rotation(rotation)

    @property
    def screen_on(self) -> bool:
        """Whether the screen is on."""
        with self._lock:
            return self._system.screen_on

    def set_screen_on(self, on: bool) -> None:
        """Wake up or sleep the screen."""
        with self._lock:
            self._system.set_screen(on)

    @property
    def keyboard_shown(self) -> bool:
        """Whether the on-screen keyboard is showing."""
        with self._lock:
            return self._snapshot().shows("keyboard")

    def hide_keyboard(self) -> None:
        """Close the on-screen keyboard (the focused field keeps its focus)."""
        with self._lock:
            self._system.hide_keyboard()

    @property
    def wifi_enabled(self) -> bool:
        """Whether Wi-Fi is on."""
        with self._lock:
            return bool(self._system.settings_app.state["wifi"])

    def set_wifi(self, enabled: bool) -> None:
        """`svc wifi enable|disable`."""
        with self._lock:
            self._system.settings_app.state["wifi"] = bool(enabled)
            self._system.changed()

    # == apps and activities ========================================================
    def packages(self) -> list[PackageInfo]:
        """Installed packages (apps first, then non-launcher system packages)."""
        with self._lock:
            return self._system.packages()

    def launcher_apps(self) -> list[PackageInfo]:
        """The apps with a home-screen icon, in home-grid order (`main_activity` is the
        full class name of the activity the icon starts)."""
        return [p for p in self.packages() if p.launcher]

    def install_package(self, info: PackageInfo) -> None:
        """`pm install`: the APK becomes an app of the phone (launcher icon when it has a
        launcher activity); it stays installed across `reset()`."""
        with self._lock:
            self._installed[info.package] = info
            self._system.install(info)

    def uninstall_package(self, package: str) -> bool:
        """`pm uninstall` of an installed APK; False for a built-in or unknown package."""
        with self._lock:
            self._installed.pop(package, None)
            return self._system.uninstall(package)

    def start_app(self, package: str, activity: str | None = None) -> bool:
        """Bring the app to the front (launch it if needed). False if not installed."""
        with self._lock:
            return self._system.launch(package, activity)

    def open_url(self, url: str) -> bool:
        """`am start -a VIEW -d URL`: open the browser at `url`."""
        with self._lock:
            return self._system.open_url(url)

    def force_stop(self, package: str) -> None:
        """`am force-stop`: drop the app's task without saving drafts."""
        with self._lock:
            self._system.force_stop(package)

    def clear_data(self, package: str) -> bool:
        """`pm clear`: stop the app and wipe its data. False if not installed."""
        with self._lock:
            return self._system.clear_data(package)

    def current(self) -> tuple[str, str]:
        """(package, full activity class name) of the focused window."""
        with self._lock:
            return self._system.current()

    def running_packages(self) -> list[str]:
        """Packages with a live process."""
        with self._lock:
            return self._system.running_packages()

    # == system UI ==================================================================
    def open_notifications(self) -> None:
        """Pull down the notification shade."""
        with self._lock:
            self._system.set_shade(1)
            self._system.hide_keyboard()

    def open_quick_settings(self) -> None:
        """Pull down the shade fully expanded (all quick settings tiles)."""
        with self._lock:
            self._system.set_shade(2)
            self._system.hide_keyboard()

    def make_toast(self, text: str, duration_ms: int = 2000) -> None:
        """Show a toast for `duration_ms`."""
        with self._lock:
            self._system.toast(text, duration_ms)

    @property
    def last_toast(self) -> str | None:
        """The text of the last toast shown (until cleared)."""
        with self._lock:
            return self._system.ui.last_toast

    def clear_last_toast(self) -> None:
        """Forget the last toast (`clearLastToast`)."""
        with self._lock:
            self._system.ui.last_toast = None

    # == observation ================================================================
    def nodes(self) -> list[NodeInfo]:
        """Root nodes of every visible window, topmost first."""
        with self._lock:
            return list(self._snapshot().nodes)

    def hierarchy_xml(
        self, compressed: bool = False, max_depth: int = 50, active_only: bool = False
    ) -> str:
        """The uiautomator2 dump of the current screen: every window, or (`active_only`)
        the active one."""
        with self._lock:
            snap = self._snapshot()
            cache_key = ("active" if active_only else "all", bool(compressed), int(max_depth))
            if cache_key not in snap.xml:
                roots = [snap.active] if active_only and snap.active else snap.nodes
                rotation = self._system.rotation
                snap.xml[cache_key] = to_xml(roots, rotation, compressed, max_depth)
            return snap.xml[cache_key]

    def window_dump(self, compressed: bool = False) -> str:
        """`uiautomator dump`: the active window in AOSP's classic format."""
        with self._lock:
            snap = self._snapshot()
            cache_key = ("classic", bool(compressed), 0)
            if cache_key not in snap.xml:
                rotation = self._system.rotation
                snap.xml[cache_key] = to_classic_xml(snap.active, rotation, compressed)
            return snap.xml[cache_key]

    def screenshot(self) -> Image.Image:
        """The screen as a width × height RGB image (black while the screen is off)."""
        with self._lock:
            return self._screen.render()[0].copy()

    def screenshot_png(self) -> bytes:
        """The screen as PNG bytes (encoded once per `ui_version`)."""
        with self._lock:
            return self._screen.png()

    def screen_texts(self) -> list[DrawnText]:
        """Every string drawn on screen with its bounds; `reported=False` marks text that
        the hierarchy does not contain (web page text, toasts)."""
        with self._lock:
            return list(self._screen.render()[1])

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
            return self._system.apps[package].public_state()

    def state(self) -> dict[str, Any]:
        """All app data, system settings, notifications and the clipboard as
        JSON-serialisable data (what `load_state` takes)."""
        with self._lock:
            return saved_state.dump(self._system, self.clipboard)

    def load_state(self, data: dict[str, Any]) -> None:
        """Restore `state()` output; closes all apps and shows the home screen."""
        with self._lock:
            self.clipboard = saved_state.restore(self._system, data)

    def reset(self) -> None:
        """Back to the seeded initial state (files and TCP listeners are kept)."""
        with self._lock:
            self._boot(version=self._system.version + 1)
