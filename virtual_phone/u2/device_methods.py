"""Device-wide RPCs of the uiautomator2 server: info, screen, touch, keys, system UI."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

from virtual_phone.contract import PhoneLike
from virtual_phone.u2.faults import (
    arg,
    arg_bool,
    arg_int,
    arg_num,
    arg_str,
    invalid_params,
)

Method = Callable[[PhoneLike, list[Any]], Any]

LONG_CLICK_MS = 400  # ViewConfiguration.getLongPressTimeout()
STEP_MS = 5  # one uiautomator swipe step lasts about 5 ms
DEFAULT_SDK = 33
_ORIENTATIONS = {
    "n": 0,
    "natural": 0,
    "l": 1,
    "left": 1,
    "u": 2,
    "upsidedown": 2,
    "r": 3,
    "right": 3,
}
_KEY_ALIASES = {
    "delete": "del",
    "center": "dpad_center",
    "up": "dpad_up",
    "down": "dpad_down",
    "left": "dpad_left",
    "right": "dpad_right",
}


def _prop(phone: PhoneLike, name: str) -> str:
    value = phone.getprop(name)
    return value if isinstance(value, str) else ""


def display_size(phone: PhoneLike) -> tuple[int, int]:
    """Width and height of the display in its current rotation."""
    if phone.rotation in (1, 3) and phone.width < phone.height:
        return phone.height, phone.width
    return phone.width, phone.height


def device_info(phone: PhoneLike, args: list[Any]) -> dict[str, Any]:
    """`deviceInfo`: what `d.info` shows."""
    width, height = display_size(phone)
    px_per_dp = phone.density_dpi / 160
    sdk = _prop(phone, "ro.build.version.sdk")
    rotation = phone.rotation
    return {
        "currentPackageName": phone.current()[0],
        "displayWidth": width,
        "displayHeight": height,
        "displayRotation": rotation,
        "displaySizeDpX": round(width / px_per_dp),
        "displaySizeDpY": round(height / px_per_dp),
        "productName": _prop(phone, "ro.product.name"),
        "naturalOrientation": rotation in (0, 2),
        "screenOn": phone.screen_on,
        "sdkInt": int(sdk) if sdk.isdigit() else DEFAULT_SDK,
    }


def dump_hierarchy(phone: PhoneLike, args: list[Any]) -> str:
    """`dumpWindowHierarchy [compressed, maxDepth(, rootInActive)]`."""
    compressed = arg_bool(args, 0, False)
    depth = arg(args, 1, None)
    max_depth = 50 if depth is None else arg_int(args, 1)
    active_only = arg_bool(args, 2, False)
    return phone.hierarchy_xml(compressed, max_depth, active_only=active_only)


def take_screenshot(phone: PhoneLike, args: list[Any]) -> str:
    """`takeScreenshot [scale, quality]` → base64 JPEG."""
    scale = arg_num(args, 0, 1.0)
    quality = min(100, max(1, arg_int(args, 1, 100)))
    if not 0 < scale <= 1:
        raise invalid_params(f"scale must be in (0, 1], got {scale}")
    image = phone.screenshot().convert("RGB")
    if scale != 1:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def click(phone: PhoneLike, args: list[Any]) -> bool:
    """`click [x, y(, ms)]`: a tap, or a long press when held long enough."""
    x, y = arg_num(args, 0), arg_num(args, 1)
    duration = arg_int(args, 2, 0)
    if duration >= LONG_CLICK_MS:
        phone.long_press(x, y, duration)
    else:
        phone.tap(x, y)
    return True


def swipe(phone: PhoneLike, args: list[Any]) -> bool:
    """`swipe [fx, fy, tx, ty, steps]`; each step is about 5 ms."""
    fx, fy, tx, ty = (arg_num(args, i) for i in range(4))
    steps = max(1, arg_int(args, 4, 10))
    phone.swipe(fx, fy, tx, ty, duration_ms=steps * STEP_MS)
    return True


def swipe_points(phone: PhoneLike, args: list[Any]) -> bool:
    """`swipePoints [[x1, y1, x2, y2, …], steps]`: one finger along a path."""
    flat = arg(args, 0)
    steps = max(1, arg_int(args, 1, 10))
    if not isinstance(flat, list) or len(flat) < 4 or len(flat) % 2:
        raise invalid_params("swipePoints needs a flat list of at least two x, y pairs")
    points = [(float(flat[i]), float(flat[i + 1])) for i in range(0, len(flat), 2)]
    if len(points) == 2:
        (fx, fy), (tx, ty) = points
        phone.swipe(fx, fy, tx, ty, duration_ms=steps * STEP_MS)
        return True
    phone.touch(0, *points[0])
    for x, y in points[1:]:
        phone.touch(2, x, y)
    phone.touch(1, *points[-1])
    return True


def drag(phone: PhoneLike, args: list[Any]) -> bool:
    """`drag [sx, sy, ex, ey, steps]`: touch down, hold past the long-press timeout, move,
    lift (InteractionController.swipe with drag=true), not a plain swipe."""
    sx, sy, ex, ey = (arg_num(args, i) for i in range(4))
    phone.drag(sx, sy, ex, ey)
    return True


def inject_input_event(phone: PhoneLike, args: list[Any]) -> bool:
    """`injectInputEvent [action, x, y, metaState]`: 0 down, 1 up, 2 move."""
    action = arg_int(args, 0)
    if action not in (0, 1, 2):
        raise invalid_params(f"unsupported motion action {action}")
    phone.touch(action, arg_num(args, 1), arg_num(args, 2))
    return True


def press_key(phone: PhoneLike, args: list[Any]) -> bool:
    """`pressKey [name]` → whether the key is known."""
    name = arg_str(args, 0).strip().lower()
    return phone.press_key(_KEY_ALIASES.get(name, name))


def press_key_code(phone: PhoneLike, args: list[Any]) -> bool:
    """`pressKeyCode [code(, metaState)]`."""
    return phone.press_key(arg_int(args, 0))


def set_orientation(phone: PhoneLike, args: list[Any]) -> None:
    """`setOrientation ["natural"|"left"|"right"|"upsidedown"|n|l|r|u]`."""
    value = arg_str(args, 0).lower()
    if value not in _ORIENTATIONS:
        raise invalid_params(f"unknown orientation {value!r}")
    phone.set_rotation(_ORIENTATIONS[value])


def set_clipboard(phone: PhoneLike, args: list[Any]) -> None:
    """`setClipboard [label, text]`."""
    text = arg(args, 1)
    if text is not None and not isinstance(text, str):
        raise invalid_params("clipboard text must be a string")
    phone.clipboard = text


def paste_clipboard(phone: PhoneLike, args: list[Any]) -> None:
    """`pasteClipboard`: type the clipboard into the focused field."""
    text = phone.clipboard
    if text:
        phone.input_text(text)


def make_toast(phone: PhoneLike, args: list[Any]) -> bool:
    """`makeToast [text, durationMs]`."""
    phone.make_toast(arg_str(args, 0), arg_int(args, 1, 2000))
    return True


def _wake_up(phone: PhoneLike, args: list[Any]) -> None:
    phone.set_screen_on(True)


def _sleep(phone: PhoneLike, args: list[Any]) -> None:
    phone.set_screen_on(False)


def _open_notification(phone: PhoneLike, args: list[Any]) -> bool:
    phone.open_notifications()
    return True


def _open_quick_settings(phone: PhoneLike, args: list[Any]) -> bool:
    phone.open_quick_settings()
    return True


def _clear_last_toast(phone: PhoneLike, args: list[Any]) -> None:
    phone.clear_last_toast()


def _clear_input_text(phone: PhoneLike, args: list[Any]) -> None:
    phone.clear_focused_text()


def _nothing(phone: PhoneLike, args: list[Any]) -> None:
    return None


def _true(phone: PhoneLike, args: list[Any]) -> bool:
    return True


DEVICE_METHODS: dict[str, Method] = {
    "deviceInfo": device_info,
    "dumpWindowHierarchy": dump_hierarchy,
    "takeScreenshot": take_screenshot,
    "swipe": swipe,
    "swipePoints": swipe_points,
    "drag": drag,
    "injectInputEvent": inject_input_event,
    "pressKey": press_key,
    "pressKeyCode": press_key_code,
    "wakeUp": _wake_up,
    "sleep": _sleep,
    "setOrientation": set_orientation,
    "freezeRotation": _nothing,
    "openNotification": _open_notification,
    "openQuickSettings": _open_quick_settings,
    "getLastToast": lambda phone, args: phone.last_toast,
    "clearLastToast": _clear_last_toast,
    "makeToast": make_toast,
    "setClipboard": set_clipboard,
    "getClipboard": lambda phone, args: phone.clipboard,
    "pasteClipboard": paste_clipboard,
    "clearInputText": _clear_input_text,
    "getLastTraversedText": _nothing,
    "clearLastTraversedText": _nothing,
    "waitForIdle": _true,
    "waitForWindowUpdate": _true,
    "ping": lambda phone, args: "pong",
}
