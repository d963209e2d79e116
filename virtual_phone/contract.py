"""The contract between the virtual phone's model (`phone.py`, UI toolkit and apps) and the
parts that serve it over the wire (ADB transport, shell, uiautomator2 server).

The transport, shell and uiautomator2 server only ever use what is declared here, so each
side can be read and tested alone. Every method is thread-safe (the phone holds one
re-entrant lock) and cheap except `screenshot()`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PIL import Image

WIDTH = 1080
HEIGHT = 2400
DENSITY_DPI = 420  # a Pixel 7: 2.625 px per dp (other sizes and densities: `display.py`)


@dataclass(slots=True)
class NodeInfo:
    """One visible view as the accessibility layer reports it (a hierarchy `<node>`)."""

    key: int  # unique within one snapshot; valid for node actions until the UI changes
    index: int  # position among the parent's visible children
    text: str
    resource_id: str
    class_name: str
    package: str
    content_desc: str
    bounds: tuple[int, int, int, int]  # left, top, right, bottom (visible part on screen)
    checkable: bool = False
    checked: bool = False
    clickable: bool = False
    enabled: bool = True
    focusable: bool = False
    focused: bool = False
    scrollable: bool = False
    long_clickable: bool = False
    password: bool = False
    selected: bool = False
    hint: str = ""
    drawing_order: int = 0
    children: list[NodeInfo] = field(default_factory=list)
    parent: NodeInfo | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class PackageInfo:
    """An installed app as `pm` and `dumpsys package` report it."""

    package: str
    label: str
    main_activity: str  # e.g. ".MainActivity" (relative) or a full class name
    version_name: str = "1.0"
    version_code: int = 1
    system: bool = True  # False → listed by `pm list packages -3`
    launcher: bool = True  # has a LAUNCHER activity (shown on the home grid)


# An async handler for one host stream to a device TCP port (`tcp:9008`):
# it reads the request bytes and writes the reply through the given stream object.
TcpHandler = Callable[["StreamLike"], Awaitable[None]]


class StreamLike(Protocol):
    """One ADB stream as the services see it."""

    async def read(self) -> bytes:
        """Next chunk from the host; b"" once the host has closed the stream."""
        ...

    async def write(self, data: bytes) -> None:
        """Send bytes to the host (split to the max payload, flow-controlled)."""
        ...

    async def close(self) -> None: ...


class PhoneLike(Protocol):
    """What the virtual phone's model offers to the transport, shell and u2 server."""

    width: int  # the screen in pixels, portrait
    height: int
    density_dpi: int
    serial: str

    # -- identity and system state ---------------------------------------------------
    def getprop(self, name: str | None = None) -> dict[str, str] | str: ...
    def settings_get(self, namespace: str, key: str) -> str | None: ...
    def settings_put(self, namespace: str, key: str, value: str) -> None: ...
    def settings_list(self, namespace: str) -> dict[str, str]: ...
    def settings_delete(self, namespace: str, key: str) -> bool: ...
    @property
    def rotation(self) -> int: ...
    def set_rotation(self, rotation: int) -> None: ...
    @property
    def screen_on(self) -> bool: ...
    def set_screen_on(self, on: bool) -> None: ...
    @property
    def keyboard_shown(self) -> bool: ...
    def hide_keyboard(self) -> None: ...
    @property
    def wifi_enabled(self) -> bool: ...
    def set_wifi(self, enabled: bool) -> None: ...

    # -- apps and activities ---------------------------------------------------------
    def packages(self) -> list[PackageInfo]: ...
    def app_state(self, package: str) -> dict[str, Any]:
        """A copy of one app's state (KeyError when not installed)."""
        ...

    def install_package(self, info: PackageInfo) -> None: ...
    def uninstall_package(self, package: str) -> bool: ...
    def start_app(self, package: str, activity: str | None = None) -> bool:
        """Bring the app to the front (launch it if needed). False if not installed."""
        ...

    def open_url(self, url: str) -> bool: ...
    def force_stop(self, package: str) -> None: ...
    def clear_data(self, package: str) -> bool: ...
    def current(self) -> tuple[str, str]:
        """(package, full activity class name) of the focused window."""
        ...

    def running_packages(self) -> list[str]: ...

    # -- input -----------------------------------------------------------------------
    def tap(self, x: float, y: float) -> None: ...
    def long_press(self, x: float, y: float, duration_ms: int = 600) -> None: ...
    def swipe(self, x1: float, y1: float, x2: float, y2: float, duration_ms: int = 300) -> None: ...
    def touch(self, action: int, x: float, y: float) -> None:
        """Raw MotionEvent: 0 down, 1 up, 2 move (injectInputEvent)."""
        ...

    def drag(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """Touch down, hold past the long-press timeout, move, lift (UiAutomator's drag)."""
        ...

    def pinch(
        self,
        start: tuple[tuple[float, float], tuple[float, float]],
        end: tuple[tuple[float, float], tuple[float, float]],
    ) -> float:
        """Two fingers moving from `start` to `end`; returns the scale factor."""
        ...

    def press_key(self, key: str | int, *, longpress: bool = False) -> bool:
        """A key by name ("home", "back", "enter", "del", "app_switch", "recent", "power",
        "volume_up", "menu", "search"…, case-insensitive, optional KEYCODE_ prefix) or
        Android key code. False for an unknown key."""
        ...

    def input_text(self, text: str) -> None:
        """Type into the focused editable view (no-op without one)."""
        ...

    def clear_focused_text(self) -> None: ...

    # -- node actions (uiautomator2 selector RPCs) ----------------------------------
    def set_text(self, key: int, text: str) -> bool: ...
    def scroll_node(self, key: int, *, forward: bool, vertical: bool = True) -> bool:
        """Scroll a scrollable node by one page; False when it can go no further."""
        ...

    # -- system UI -------------------------------------------------------------------
    def open_notifications(self) -> None: ...
    def open_quick_settings(self) -> None: ...
    def make_toast(self, text: str, duration_ms: int = 2000) -> None: ...
    @property
    def last_toast(self) -> str | None: ...
    def clear_last_toast(self) -> None: ...

    clipboard: str | None

    # -- observation -----------------------------------------------------------------
    @property
    def ui_version(self) -> int:
        """Incremented on every change of what the screen shows."""
        ...

    def nodes(self) -> list[NodeInfo]:
        """Root nodes of every visible window (app, keyboard, system UI), children linked."""
        ...

    def hierarchy_xml(
        self, compressed: bool = False, max_depth: int = 50, active_only: bool = False
    ) -> str:
        """The uiautomator2 dump: every window, or (`active_only`) the active one."""
        ...

    def window_dump(self, compressed: bool = False) -> str:
        """`uiautomator dump`: the active window in AOSP's classic format."""
        ...

    def screenshot(self) -> Image.Image:
        """The screen as an RGB image of width × height."""
        ...

    def screenshot_png(self) -> bytes:
        """The screen as PNG bytes (`screencap -p`)."""
        ...

    # -- device TCP ports (the uiautomator2 server registers 9008) -------------------
    def tcp_handler(self, port: int) -> TcpHandler | None: ...
    def register_tcp(self, port: int, handler: TcpHandler | None) -> None: ...

    # -- files (sync service, screencap/uiautomator dump to a path) ------------------
    @property
    def fs(self) -> FileSystemLike: ...


class FileSystemLike(Protocol):
    """A small in-memory file system: /sdcard, /data/local/tmp and friends."""

    def read(self, path: str) -> bytes: ...  # FileNotFoundError / IsADirectoryError
    def write(self, path: str, data: bytes, mode: int = 0o100644, mtime: int | None = None) -> None:
        """Create parent directories as needed."""
        ...

    def stat(self, path: str) -> tuple[int, int, int] | None:
        """(mode, size, mtime) or None when absent. Directories have mode 0o040755."""
        ...

    def listdir(self, path: str) -> list[str]: ...
    def remove(self, path: str, recursive: bool = False) -> None: ...
    def mkdir(self, path: str) -> None: ...
