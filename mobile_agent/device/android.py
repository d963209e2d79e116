"""`AndroidDevice`: the `Device` protocol over uiautomator2 RPCs and adb shell.

Identical for real phones, emulators and the virtual phone. Gestures, keys, text and the
hierarchy go through the uiautomator2 server's JSON-RPC (a few milliseconds each once
Nagle is off, see `transport.enable_tcp_nodelay`); the screenshot, focus and keyboard
state go through adb services. Every call has a time limit (`DeviceTimeout`); a device
that vanished raises `DeviceDisconnected`. A uiautomator2 server that stopped is restarted
within a limit of its own and the call retried once (`_rpc`); one that cannot come back
counts as a lost device.
"""

from __future__ import annotations

import base64
import io
import logging
import shlex
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from http.client import HTTPException
from typing import Any, NoReturn, TypeVar

import adbutils
from uiautomator2 import Selector
from uiautomator2 import exceptions as u2_errors

from mobile_agent.device import parsing, transport
from mobile_agent.device.apps import (
    LAUNCHER_QUERY,
    default_label,
    find_app,
    parse_launcher_activities,
    parse_package_list,
)
from mobile_agent.device.base import AppInfo, Direction, Key, Screen
from mobile_agent.device.recovery import (
    RECOVER_TIMEOUT_S,
    SERVER_GONE,
    ServerKeeper,
    ServerRestartFailed,
    ServerStopped,
)
from mobile_agent.device.transport import CallTimeout
from mobile_agent.errors import (
    AppNotFound,
    DeviceDisconnected,
    DeviceError,
    DeviceTimeout,
)
from mobile_agent.perception import focused_field, hierarchy_rotation

log = logging.getLogger(__name__)
T = TypeVar("T")

# Android key codes; pressKeyCode behaves the same on every uiautomator2 server version.
_KEY_CODES = {Key.HOME: 3, Key.BACK: 4, Key.ENTER: 66, Key.DELETE: 67, Key.APP_SWITCH: 187}
_TIMEOUT_ERRORS = (TimeoutError, adbutils.AdbTimeout, u2_errors.HTTPTimeoutError)
_LINK_ERRORS = (
    adbutils.AdbError,
    OSError,
    EOFError,
    HTTPException,
    u2_errors.DeviceError,
    u2_errors.RPCError,
)
# Calls that only read: retried after a restart of the server even if they were sent.
_READ_ONLY_RPCS = frozenset({"deviceInfo", "dumpWindowHierarchy", "takeScreenshot"})
_PNG_END = b"IEND"  # the type of a PNG's last chunk, within its last 12 bytes
_STATE_SPLIT = "@@mobile-agent-ime@@"
_GREP_STATE = (
    "dumpsys window windows | grep -E 'mCurrentFocus|mFocusedApp'; echo "
    + _STATE_SPLIT
    + "; dumpsys input_method | grep mInputShown"
)
_FULL_STATE = f"dumpsys window windows; echo {_STATE_SPLIT}; dumpsys input_method"


class AndroidDevice:
    """A phone, emulator or virtual phone reached through adb and uiautomator2."""

    def __init__(
        self,
        adb_device: adbutils.AdbDevice,
        u2_device: Any,
        *,
        timeout: CallTimeout | None = None,
        launch_timeout_s: float = 5.0,
        recover_timeout_s: float = RECOVER_TIMEOUT_S,
    ) -> None:
        self.serial: str = adb_device.serial or ""
        self.adb_device = adb_device
        self.u2 = u2_device
        self._timeout = timeout or CallTimeout()
        self.timeout_s = self._timeout.seconds
        self.launch_timeout_s = launch_timeout_s
        self._server = ServerKeeper(u2_device, self.serial, recover_timeout_s)
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix=f"device-{self.serial}")
        self._apps: list[AppInfo] | None = None
        self._size: tuple[int, int] | None = None
        self._grep_state: bool | None = None

    # -- plumbing ----------------------------------------------------------------------

    @contextmanager
    def _guard(self, what: str, timeout_s: float | None = None) -> Iterator[float]:
        """Run one device call under a time limit, turning library errors into ours."""
        limit = timeout_s or self.timeout_s
        self._timeout.seconds = limit
        try:
            yield limit
        except DeviceError:
            raise
        except _TIMEOUT_ERRORS as exc:
            self._fail(
                what, exc, DeviceTimeout(f"{what} on {self.serial} got no answer in {limit:g} s")
            )
        except _LINK_ERRORS as exc:
            self._fail(what, exc, DeviceError(f"{what} on {self.serial} failed: {exc}"))

    def _fail(self, what: str, exc: BaseException, otherwise: DeviceError) -> NoReturn:
        self._raise_if_gone(what, exc)
        raise otherwise from exc

    def _raise_if_gone(self, what: str, exc: BaseException) -> None:
        """`DeviceDisconnected` when adb no longer lists the phone as ready."""
        state = transport.device_state(self.serial)
        if state == "device":
            return
        reason = {
            "absent": "is no longer attached",
            "offline": "went offline",
            "no-server": "is unreachable (the adb server stopped)",
        }.get(state, f"is now {state!r}")
        raise DeviceDisconnected(
            f"{self.serial} {reason} during {what}. Reconnect it (for a network device "
            f"`adb connect {self.serial}`) and start again."
        ) from exc

    def _rpc(
        self, method: str, *params: Any, timeout_s: float | None = None, missing_ok: bool = False
    ) -> Any:
        """One uiautomator2 JSON-RPC (positional params), time-limited. With `missing_ok`,
        a selector that matches nothing gives None instead of an error.

        When the uiautomator2 server has stopped, it is restarted (`recovery.ServerKeeper`)
        and the call is tried once more, if that cannot repeat it: the request never reached
        a server, or the method only reads. A gesture that a dying server may have carried
        out is not sent again; it fails with a `DeviceError` that says so. A server that
        cannot be restarted, or stops again at once, raises `DeviceDisconnected`.
        """
        call = (method, list(params) if params else {}, timeout_s, missing_ok)
        try:
            return self._rpc_once(*call)
        except ServerStopped as stopped:
            self._restart_server(stopped)
            if not (stopped.unsent or method in _READ_ONLY_RPCS):
                raise DeviceError(
                    f"{self.serial}: {stopped}. The server was restarted; whether {stopped.what} "
                    "took effect is unknown, so it was not sent again."
                ) from stopped
        try:
            return self._rpc_once(*call)
        except ServerStopped as again:
            raise DeviceDisconnected(
                self._server_lost(again.what, "stopped again at once")
            ) from again

    def _rpc_once(self, method: str, args: Any, timeout_s: float | None, missing_ok: bool) -> Any:
        what = f"{method}()"
        generation = self._server.generation
        with self._guard(what, timeout_s) as limit:
            try:
                return self.u2.jsonrpc_call(method, args, limit)
            except u2_errors.UiObjectNotFoundError:
                if missing_ok:
                    return None
                raise
            except _TIMEOUT_ERRORS:
                raise
            except SERVER_GONE as exc:
                self._raise_if_gone(what, exc)
                raise ServerStopped(what, exc, generation) from exc

    def _restart_server(self, stopped: ServerStopped) -> None:
        try:
            self._server.restart(stopped)
        except ServerRestartFailed as failed:
            self._raise_if_gone(stopped.what, failed)
            raise DeviceDisconnected(self._server_lost(stopped.what, failed.reason)) from failed

    def _server_lost(self, what: str, why: str) -> str:
        return (
            f"{self.serial}: the uiautomator2 server stopped during {what} and {why}. Unlock "
            "the phone, close other automation tools using it, and start again."
        )

    def shell(self, command: str, timeout_s: float | None = None) -> str:
        """Output of a shell command on the device (stdout and stderr merged)."""
        with self._guard(f"`{command[:40]}`", timeout_s) as limit:
            return transport.shell(self.adb_device, command, limit)

    def _timed(self, fn: Callable[[], T]) -> Callable[[], tuple[T, float]]:
        def run() -> tuple[T, float]:
            started = time.perf_counter()
            value = fn()
            return value, (time.perf_counter() - started) * 1000

        return run

    @property
    def recover_timeout_s(self) -> float:
        """The longest one restart of the uiautomator2 server may take."""
        return self._server.timeout_s

    @recover_timeout_s.setter
    def recover_timeout_s(self, seconds: float) -> None:
        self._server.timeout_s = seconds

    # -- observation -------------------------------------------------------------------

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the screen in its current rotation."""
        if self._size is None:
            info = self._rpc("deviceInfo")
            self._size = (int(info["displayWidth"]), int(info["displayHeight"]))
        return self._size

    def screen(self) -> Screen:
        """Screenshot, hierarchy, focused app and keyboard state, captured concurrently."""
        captured_at = time.time()
        started = time.perf_counter()
        parts: dict[str, Future[tuple[Any, float]]] = {
            "screenshot": self._pool.submit(self._timed(self.screenshot_png)),
            "hierarchy": self._pool.submit(self._timed(self.hierarchy_xml)),
            "state": self._pool.submit(self._timed(self._focus_and_keyboard)),
        }
        results: dict[str, Any] = {}
        timings: dict[str, float] = {}
        for name, future in parts.items():
            wait_s = self.timeout_s + 5
            if name == "hierarchy":  # may restart the uiautomator2 server and ask again
                wait_s += self.timeout_s + self.recover_timeout_s
            try:
                results[name], timings[name] = future.result(timeout=wait_s)
            except FutureTimeout as exc:
                self._fail(f"capturing the {name}", exc, DeviceTimeout(f"{name} capture timed out"))
        png: bytes = results["screenshot"]
        xml: str = results["hierarchy"]
        (package, activity), keyboard = results["state"]
        width, height = parsing.png_size(png)
        self._size = (width, height)
        timings["total"] = (time.perf_counter() - started) * 1000
        return Screen(
            png=png,
            hierarchy_xml=xml,
            width=width,
            height=height,
            package=package,
            activity=activity,
            keyboard_shown=keyboard,
            rotation=hierarchy_rotation(xml),
            captured_at=captured_at,
            timings_ms=timings,
        )

    def screenshot_png(self) -> bytes:
        """The screen as PNG bytes, pixel-exact.

        Chosen path: `screencap -p` through the binary-safe `exec:` service. uiautomator2's
        `takeScreenshot` RPC returns a lossy JPEG, and decoding plus re-encoding it as PNG
        costs more host time than the RPC saves: on the virtual phone 37 ms against 65 ms
        (medians, `mobile-agent bench perception` measures both). On real phones the
        device-side PNG encoding makes screencap slower, but its pixels stay exact, which
        OCR and set-of-marks images rely on. A device whose screencap gives no PNG falls
        back to the RPC; one whose PNG stops short raises `DeviceError`.
        """
        with self._guard("screencap") as limit:
            png = transport.exec_out(self.adb_device, "screencap -p", limit)
        if png.startswith(parsing.PNG_MAGIC):
            if _PNG_END not in png[-16:]:
                cut = f"screencap on {self.serial} ended after {len(png)} bytes, inside the image"
                self._fail("screencap", EOFError(cut), DeviceError(cut))
            return png
        log.debug("screencap gave no PNG (%r); using the uiautomator2 screenshot", png[:80])
        return self.screenshot_png_via_rpc()

    def screenshot_png_via_rpc(self, quality: int = 100) -> bytes:
        """The uiautomator2 `takeScreenshot` JPEG, re-encoded as PNG (lossy pixels)."""
        from PIL import Image

        data = self._rpc("takeScreenshot", 1, quality)
        if not data:
            raise DeviceError(f"{self.serial} returned an empty screenshot")
        with Image.open(io.BytesIO(base64.b64decode(data))) as image:
            out = io.BytesIO()
            image.convert("RGB").save(out, format="PNG", compress_level=1)
        return out.getvalue()

    def hierarchy_xml(self) -> str:
        """The accessibility hierarchy as uiautomator XML (retried at once if empty)."""
        for _ in range(3):
            xml = str(self._rpc("dumpWindowHierarchy", False, 50) or "")
            if xml.strip():
                return xml
        raise DeviceError(f"{self.serial} returned an empty hierarchy three times in a row")

    def current_app(self) -> tuple[str, str]:
        """(package, full activity name) of the focused app; ("", "") if none."""
        focus, _ = self._focus_and_keyboard()
        return focus

    def keyboard_shown(self) -> bool:
        """Whether the soft keyboard is on screen."""
        _, shown = self._focus_and_keyboard()
        return shown

    def _focus_and_keyboard(self) -> tuple[tuple[str, str], bool]:
        # One shell round trip for both; grep keeps real phones' large dumpsys output on
        # the device. Devices without grep get the full output (decided once).
        if self._grep_state is not False:
            output = self.shell(_GREP_STATE)
            if "mCurrentFocus" in output or "mInputShown" in output or "mFocusedApp" in output:
                self._grep_state = True
            else:
                self._grep_state = False
                output = self.shell(_FULL_STATE)
        else:
            output = self.shell(_FULL_STATE)
        window, _, ime = output.partition(_STATE_SPLIT)
        focus = parsing.parse_focus(window)
        if not focus[0]:
            focus = parsing.parse_focus(self.shell("dumpsys activity activities"))
        return focus, parsing.parse_input_shown(ime)

    # -- gestures and keys -------------------------------------------------------------

    def tap(self, x: int, y: int) -> None:
        """Tap at pixel (x, y)."""
        self._rpc("click", int(x), int(y))

    def long_press(self, x: int, y: int, duration_s: float = 0.8) -> None:
        """Touch and hold at (x, y) for `duration_s` seconds."""
        self._rpc(
            "click", int(x), int(y), int(duration_s * 1000), timeout_s=self.timeout_s + duration_s
        )

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_s: float = 0.3) -> None:
        """Drag a finger from (x1, y1) to (x2, y2) in `duration_s` seconds."""
        steps = max(2, int(duration_s * 200))  # uiautomator injects one move per ~5 ms step
        self._rpc(
            "swipe",
            int(x1),
            int(y1),
            int(x2),
            int(y2),
            steps,
            timeout_s=self.timeout_s + duration_s,
        )

    def scroll(self, direction: Direction, distance: float = 0.5) -> None:
        """Scroll the content so that more of it in `direction` comes into view.

        scroll(DOWN) reveals what is further down: the finger moves *up*, from the centre
        region of the screen. `distance` is a fraction of the screen height (width for
        LEFT/RIGHT), clamped to 0.05…0.6 so that the finger starts and ends inside the
        middle band (not on a toolbar or the navigation bar).
        """
        width, height = self.size
        fraction = min(max(distance, 0.05), 0.6)
        cx, cy = width // 2, height // 2
        dy, dx = int(height * fraction / 2), int(width * fraction / 2)
        vectors = {
            Direction.DOWN: (cx, cy + dy, cx, cy - dy),
            Direction.UP: (cx, cy - dy, cx, cy + dy),
            Direction.RIGHT: (cx + dx, cy, cx - dx, cy),
            Direction.LEFT: (cx - dx, cy, cx + dx, cy),
        }
        self.swipe(*vectors[Direction(direction)], duration_s=0.4)

    def press(self, key: Key) -> None:
        """Press a hardware or navigation key."""
        self._rpc("pressKeyCode", _KEY_CODES[Key(key)])

    # -- text ----------------------------------------------------------------------------

    def type_text(self, text: str, *, clear: bool = False) -> None:
        """Type Unicode `text` into the focused field (appending unless `clear`).

        No input method is installed: the field's text is set with uiautomator's
        `setText` on the focused node. Where that is refused (some web views), ASCII goes
        through `input text` and other text through the clipboard and a paste. Without a
        focused text field, ASCII is sent as key input and other text is refused.
        """
        field = focused_field(self.hierarchy_xml())
        if field is None:
            if not text.isascii():
                raise DeviceError("No text field has focus: tap the field first, then type.")
            self._input_text(text)  # a custom view may still take key input
            return
        if clear or not field.current_text:
            value: str | None = text
        elif field.password:
            value = None  # masked: the current text cannot be read back
        else:
            value = field.current_text + text
        if value is not None and self._set_focused_text(value, field.class_name):
            return
        if clear:
            self._rpc("clearInputText")
        if text.isascii():
            self._input_text(text)
        else:
            self._rpc("setClipboard", None, text)
            self._rpc("pasteClipboard")

    def _set_focused_text(self, value: str, class_name: str) -> bool:
        selector = (
            Selector(focused=True, className=class_name) if class_name else Selector(focused=True)
        )
        return bool(self._rpc("setText", selector, value, missing_ok=True))

    def _input_text(self, text: str) -> None:
        """`input text` (ASCII only; spaces travel as %s)."""
        self.shell("input text " + shlex.quote(text.replace(" ", "%s")))

    # -- apps ----------------------------------------------------------------------------

    def installed_apps(self) -> list[AppInfo]:
        """Apps with a launcher icon (package, label, launch activity); cached."""
        if self._apps is None:
            apps = parse_launcher_activities(self.shell(LAUNCHER_QUERY))
            if not apps:  # Android < 7 has no `cmd package`
                packages = parse_package_list(self.shell("pm list packages"))
                apps = [AppInfo(p, default_label(p)) for p in packages]
            self._apps = apps
        return list(self._apps)

    def open_app(self, name_or_package: str) -> AppInfo:
        """Launch an installed app by package or label and wait until it is in front.

        Raises AppNotFound (naming close matches) when nothing installed matches.
        """
        try:
            app = find_app(name_or_package, self.installed_apps())
        except AppNotFound:
            self._apps = None  # maybe installed since the list was read
            app = find_app(name_or_package, self.installed_apps())
        if app.activity:
            command = (
                "am start -a android.intent.action.MAIN -c android.intent.category.LAUNCHER "
                f"-n {shlex.quote(app.package + '/' + app.activity)}"
            )
        else:
            command = f"monkey -p {shlex.quote(app.package)} -c android.intent.category.LAUNCHER 1"
        output = self.shell(command)
        if "Error" in output or "No activities found" in output or "Exception" in output:
            raise DeviceError(
                f"Could not start {app.label} ({app.package}): {output.strip()[:300]}"
            )
        self._await_foreground(app.package)
        return app

    def _await_foreground(self, package: str) -> None:
        deadline = time.monotonic() + self.launch_timeout_s
        while time.monotonic() < deadline:
            if self.current_app()[0] == package:
                return
            time.sleep(0.05)
        log.warning(
            "%s was started but is not in front after %.1f s", package, self.launch_timeout_s
        )

    # -- life cycle ----------------------------------------------------------------------

    def close(self) -> None:
        """Release the worker threads (the phone and its uiautomator2 server stay up)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> AndroidDevice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AndroidDevice({self.serial!r})"
