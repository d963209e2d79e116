"""Two-finger RPCs on a UiObject: `gesture`, `pinchIn`, `pinchOut` (androidx UiObject's
performTwoPointerGesture, pinchIn and pinchOut)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from virtual_phone.contract import NodeInfo, PhoneLike
from virtual_phone.u2.faults import arg, arg_int, invalid_params, server_exception
from virtual_phone.u2.object_methods import must_find
from virtual_phone.u2.store import selector_arg

Method = Callable[[PhoneLike, list[Any]], Any]
Point = tuple[float, float]
FINGER_TOUCH_HALF_WIDTH = 20  # UiObject.FINGER_TOUCH_HALF_WIDTH
ILLEGAL_STATE = "java.lang.IllegalStateException"


def _point(args: list[Any], i: int) -> Point:
    value = arg(args, i)
    if not isinstance(value, dict) or not {"x", "y"} <= value.keys():
        raise invalid_params(f"argument {i} must be a point {{x, y}}, got {value!r}")
    try:
        return float(value["x"]), float(value["y"])
    except (TypeError, ValueError):
        raise invalid_params(f"argument {i} must be a point {{x, y}}, got {value!r}") from None


def gesture(phone: PhoneLike, args: list[Any]) -> bool:
    """`gesture [sel, start1, start2, end1, end2, steps]`: two fingers moving at once."""
    must_find(phone, selector_arg(phone, args, 0))
    start = (_point(args, 1), _point(args, 2))
    end = (_point(args, 3), _point(args, 4))
    phone.pinch(start, end)
    return True


def _spread(node: NodeInfo, percent: int) -> tuple[tuple[Point, Point], tuple[Point, Point]]:
    """(outer, inner) finger pairs on the object's horizontal centre line."""
    left, top, right, bottom = node.bounds
    width = right - left
    if width <= FINGER_TOUCH_HALF_WIDTH * 2:
        raise server_exception(ILLEGAL_STATE, "Object width is too small for operation")
    cx, cy = float((left + right) // 2), float((top + bottom) // 2)
    reach = float(int(width / 2 * min(100, max(0, percent)) / 100))
    half = float(FINGER_TOUCH_HALF_WIDTH)
    return ((cx - reach, cy), (cx + reach, cy)), ((cx - half, cy), (cx + half, cy))


def _pinch(inward: bool) -> Method:
    def method(phone: PhoneLike, args: list[Any]) -> bool:
        node = must_find(phone, selector_arg(phone, args, 0))
        outer, inner = _spread(node, arg_int(args, 1, 100))
        if inward:
            phone.pinch(outer, inner)
        else:
            phone.pinch(inner, outer)
        return True

    return method


GESTURE_METHODS: dict[str, Method] = {
    "gesture": gesture,
    "pinchIn": _pinch(True),
    "pinchOut": _pinch(False),
}
