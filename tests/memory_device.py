"""`MemoryDevice`: the `Device` protocol over the virtual phone's model, in this process.

No adb, no sockets, no threads of its own: each call goes straight to a
`virtual_phone.phone.Phone`, so the runner can be tested in milliseconds. It keeps a log
of the calls it received (`calls`, `actions`) and can simulate the faults a real phone
shows: vanishing (`DeviceDisconnected` from then on) and a call that hangs (`DeviceTimeout`).

    device = MemoryDevice()
    device.open_app("Notes")
    device.disconnect(on="tap")          # the next tap finds the phone gone
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import Image

from mobile_agent.device.apps import find_app
from mobile_agent.device.base import AppInfo, Direction, Key
from mobile_agent.device.parsing import full_activity
from mobile_agent.errors import DeviceDisconnected, DeviceError, DeviceTimeout
from mobile_agent.perception.artifacts import Screen
from virtual_phone.contract import NodeInfo
from virtual_phone.phone import Phone

# Key names the virtual phone understands (`Phone.press_key`).
_KEY_NAMES = {
    Key.HOME: "home",
    Key.BACK: "back",
    Key.ENTER: "enter",
    Key.DELETE: "del",
    Key.APP_SWITCH: "app_switch",
}
# Calls that do not act on the phone (looking at it, releasing it); every other call acts.
PASSIVE = frozenset({"screen", "size", "current_app", "installed_apps", "close"})


@dataclass(frozen=True)
class Call:
    """One call the device received: its name, arguments and whether it reached the phone."""

    name: str
    args: tuple[Any, ...] = ()
    ok: bool = True


@dataclass
class _Fault:
    kind: str  # "disconnect" or "timeout"
    on: str | None  # a method name, or None for any call
    skip: int
    times: int


class MemoryDevice:
    """A `Device` backed by an in-process virtual phone (see the module docstring)."""

    def __init__(
        self,
        phone: Phone | None = None,
        *,
        serial: str = "memory-phone",
        screenshots: bool = True,
    ) -> None:
        self.phone = phone or Phone(seed=0)
        self.serial = serial
        self.screenshots = screenshots  # False: a blank PNG of the right size (faster)
        self.calls: list[Call] = []
        self._faults: list[_Fault] = []
        self._gone = False
        self._closed = False
        self._lock = threading.Lock()
        self._png: tuple[int, bytes] | None = None  # (ui_version, PNG) of the last screenshot

    # -- faults ---------------------------------------------------------------------------
    def disconnect(self, *, on: str | None = None, skip: int = 0) -> None:
        """The phone vanishes: at the next call (of method `on`, after `skip` of them), and
        from then on, every call raises `DeviceDisconnected` without reaching the phone."""
        with self._lock:
            self._faults.append(_Fault("disconnect", on, skip, 1))

    def hang(self, *, on: str | None = None, skip: int = 0, times: int = 1) -> None:
        """The next `times` calls (of method `on`, after `skip` of them) hang: each raises
        `DeviceTimeout` at once, as it would after its time limit, without acting."""
        with self._lock:
            self._faults.append(_Fault("timeout", on, skip, times))

    @property
    def gone(self) -> bool:
        """Whether the phone has vanished."""
        return self._gone

    # -- the call log ---------------------------------------------------------------------
    @property
    def actions(self) -> list[Call]:
        """The calls that act on the phone (gestures, keys, text, app launches), in order."""
        return [c for c in self.calls if c.name not in PASSIVE]

    def action_names(self) -> list[str]:
        """Names of the acting calls that reached the phone, in order."""
        return [c.name for c in self.actions if c.ok]

    def _enter(self, name: str, *args: Any) -> None:
        """Log one call and raise the fault planned for it, if any."""
        with self._lock:
            fault = self._due_fault(name)
            error: DeviceError | None = None
            if self._gone:
                error = DeviceDisconnected(f"{self.serial} is no longer attached during {name}()")
            elif fault == "timeout":
                error = DeviceTimeout(f"{name}() on {self.serial} got no answer")
            elif self._closed and name != "close":
                error = DeviceError(f"{self.serial}: {name}() after close()")
            self.calls.append(Call(name, args, ok=error is None))
        if error is not None:
            raise error

    def _due_fault(self, name: str) -> str | None:
        for fault in list(self._faults):
            if fault.on is not None and fault.on != name:
                continue
            if fault.skip:
                fault.skip -= 1
                continue
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)
            if fault.kind == "disconnect":
                self._gone = True
            return fault.kind
        return None

    # -- observation ----------------------------------------------------------------------
    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the screen."""
        self._enter("size")
        return (self.phone.width, self.phone.height)

    def screen(self) -> Screen:
        """Screenshot, hierarchy, focused app and keyboard state of the phone now."""
        self._enter("screen")
        captured_at = time.time()
        phone = self.phone
        package, activity = phone.current()
        return Screen(
            png=self._screenshot_png(),
            hierarchy_xml=phone.hierarchy_xml(),
            width=phone.width,
            height=phone.height,
            package=package,
            activity=activity,
            keyboard_shown=phone.keyboard_shown,
            rotation=phone.rotation,
            captured_at=captured_at,
        )

    def _screenshot_png(self) -> bytes:
        if not self.screenshots:
            return blank_png(self.phone.width, self.phone.height)
        version = self.phone.ui_version
        if self._png is None or self._png[0] != version:
            out = io.BytesIO()
            self.phone.screenshot().save(out, format="PNG", compress_level=1)
            self._png = (version, out.getvalue())
        return self._png[1]

    def current_app(self) -> tuple[str, str]:
        """(package, full activity name) of the focused app."""
        self._enter("current_app")
        return self.phone.current()

    def installed_apps(self) -> list[AppInfo]:
        """Apps with a launcher icon, by package."""
        self._enter("installed_apps")
        return self._launcher_apps()

    def _launcher_apps(self) -> list[AppInfo]:
        apps = [
            AppInfo(p.package, p.label, full_activity(p.package, p.main_activity))
            for p in self.phone.packages()
            if p.launcher
        ]
        return sorted(apps, key=lambda app: app.package)

    # -- gestures and keys ----------------------------------------------------------------
    def tap(self, x: int, y: int) -> None:
        """Tap at pixel (x, y)."""
        self._enter("tap", x, y)
        self.phone.tap(x, y)

    def long_press(self, x: int, y: int, duration_s: float = 0.8) -> None:
        """Touch and hold at (x, y)."""
        self._enter("long_press", x, y, duration_s)
        self.phone.long_press(x, y, int(duration_s * 1000))

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_s: float = 0.3) -> None:
        """Drag a finger from (x1, y1) to (x2, y2)."""
        self._enter("swipe", x1, y1, x2, y2, duration_s)
        self.phone.swipe(x1, y1, x2, y2, int(duration_s * 1000))

    def scroll(self, direction: Direction, distance: float = 0.5) -> None:
        """Reveal more content in `direction` (the finger moves the other way), like
        `AndroidDevice.scroll`: from the screen's middle band, 0.05…0.6 of its size."""
        self._enter("scroll", Direction(direction), distance)
        width, height = self.phone.width, self.phone.height
        fraction = min(max(distance, 0.05), 0.6)
        cx, cy = width // 2, height // 2
        dy, dx = int(height * fraction / 2), int(width * fraction / 2)
        x1, y1, x2, y2 = {
            Direction.DOWN: (cx, cy + dy, cx, cy - dy),
            Direction.UP: (cx, cy - dy, cx, cy + dy),
            Direction.RIGHT: (cx + dx, cy, cx - dx, cy),
            Direction.LEFT: (cx - dx, cy, cx + dx, cy),
        }[Direction(direction)]
        self.phone.swipe(x1, y1, x2, y2, 400)

    def press(self, key: Key) -> None:
        """Press a hardware or navigation key."""
        self._enter("press", Key(key))
        self.phone.press_key(_KEY_NAMES[Key(key)])

    def type_text(self, text: str, *, clear: bool = False) -> None:
        """Type Unicode `text` into the focused field (appending unless `clear`).

        Like `AndroidDevice`, non-ASCII text without a focused field is refused.
        """
        self._enter("type_text", text, clear)
        if not self._has_focused_field():
            if not text.isascii():
                raise DeviceError("No text field has focus: tap the field first, then type.")
            self.phone.input_text(text)  # key input: lands nowhere without a field
            return
        if clear:
            self.phone.clear_focused_text()
        self.phone.input_text(text)

    def _has_focused_field(self) -> bool:
        return any(
            node.focused and node.class_name.endswith("EditText")
            for node in _walk(self.phone.nodes())
        )

    # -- apps -----------------------------------------------------------------------------
    def open_app(self, name_or_package: str) -> AppInfo:
        """Bring a launcher app to the front by label (any case) or package;
        `AppNotFound` names close matches when none matches."""
        self._enter("open_app", name_or_package)
        app = find_app(name_or_package, self._launcher_apps())
        if not self.phone.start_app(app.package, app.activity or None):
            raise DeviceError(f"Could not start {app.label} ({app.package})")
        return app

    # -- life cycle -----------------------------------------------------------------------
    def close(self) -> None:
        """Release the device (the phone itself stays as it is, for the test to inspect)."""
        self._enter("close")
        self._closed = True

    def __repr__(self) -> str:
        return f"MemoryDevice({self.serial!r})"


@lru_cache(maxsize=4)
def blank_png(width: int, height: int) -> bytes:
    """A black PNG of the given size (encoded once per size)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _walk(nodes: list[NodeInfo]) -> Iterator[NodeInfo]:
    for node in nodes:
        yield node
        yield from _walk(node.children)
