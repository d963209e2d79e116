"""Selector RPCs of the uiautomator2 server: find, read, edit, click and scroll views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from virtual_phone.contract import NodeInfo, PhoneLike
from virtual_phone.u2 import device_methods
from virtual_phone.u2.faults import (
    arg,
    arg_bool,
    arg_int,
    arg_num,
    arg_str,
    invalid_params,
    not_found,
)
from virtual_phone.u2.selector import Selector, center, obj_info
from virtual_phone.u2.store import is_selector, selector_arg, store_for

Method = Callable[[PhoneLike, list[Any]], Any]

MAX_SCROLL_SWIPES = 30  # UiScrollable's default maxSearchSwipes
_CORNERS = {"topleft": (0.1, 0.1), "bottomright": (0.9, 0.9), "center": (0.5, 0.5)}


def find_all(phone: PhoneLike, selector: Selector) -> list[NodeInfo]:
    """Every node the selector designates on the current screen."""
    return selector.find_all(phone.nodes())


def find(phone: PhoneLike, selector: Selector) -> NodeInfo | None:
    """The first node the selector designates, or None."""
    return selector.find(phone.nodes())


def must_find(phone: PhoneLike, selector: Selector) -> NodeInfo:
    """The first node the selector designates; UiObjectNotFoundException otherwise."""
    node = find(phone, selector)
    if node is None:
        raise not_found(selector.summary)
    return node


def exists(phone: PhoneLike, args: list[Any]) -> bool:
    """`exist [sel]` (false, not an error, for an unknown UiObject name)."""
    if isinstance(arg(args, 0), str) and store_for(phone).get(args[0]) is None:
        return False
    return find(phone, selector_arg(phone, args, 0)) is not None


def count(phone: PhoneLike, args: list[Any]) -> int:
    """`count [sel]`."""
    return len(find_all(phone, selector_arg(phone, args, 0)))


def info(phone: PhoneLike, args: list[Any]) -> dict[str, Any]:
    """`objInfo [sel]`."""
    return obj_info(must_find(phone, selector_arg(phone, args, 0)))


def info_all(phone: PhoneLike, args: list[Any]) -> list[dict[str, Any]]:
    """`objInfoOfAllInstances [sel]`."""
    return [obj_info(n) for n in find_all(phone, selector_arg(phone, args, 0))]


def get_text(phone: PhoneLike, args: list[Any]) -> str:
    """`getText [sel]`."""
    return obj_info(must_find(phone, selector_arg(phone, args, 0)))["text"]


def set_text(phone: PhoneLike, args: list[Any]) -> bool:
    """`setText [sel, text]`."""
    node = must_find(phone, selector_arg(phone, args, 0))
    text = arg(args, 1, "")
    return phone.set_text(node.key, "" if text is None else str(text))


def clear_text_field(phone: PhoneLike, args: list[Any]) -> None:
    """`clearTextField [sel]`."""
    node = must_find(phone, selector_arg(phone, args, 0))
    phone.set_text(node.key, "")


def _point(node: NodeInfo, corner: str | None) -> tuple[float, float]:
    if corner is None or corner.lower() not in _CORNERS:
        return center(node)
    fx, fy = _CORNERS[corner.lower()]
    left, top, right, bottom = node.bounds
    return left + (right - left) * fx, top + (bottom - top) * fy


def click(phone: PhoneLike, args: list[Any]) -> bool:
    """`click [x, y(, ms)]` or `click [sel(, corner)]`."""
    if args and is_selector(args[0]):
        node = must_find(phone, selector_arg(phone, args, 0))
        corner = args[1] if len(args) > 1 and isinstance(args[1], str) else None
        phone.tap(*_point(node, corner))
        return True
    return device_methods.click(phone, args)


def long_click(phone: PhoneLike, args: list[Any]) -> bool:
    """`longClick [sel(, corner)]`."""
    node = must_find(phone, selector_arg(phone, args, 0))
    corner = args[1] if len(args) > 1 and isinstance(args[1], str) else None
    phone.long_press(*_point(node, corner))
    return True


def _swipe_object(phone: PhoneLike, args: list[Any]) -> bool:
    node = must_find(phone, selector_arg(phone, args, 0))
    direction = arg_str(args, 1).lower()
    steps = max(1, arg_int(args, 2, 10))
    left, top, right, bottom = node.bounds
    cx, cy = center(node)
    ends = {"up": (cx, top), "down": (cx, bottom - 1), "left": (left, cy), "right": (right - 1, cy)}
    if direction not in ends:
        raise invalid_params(f"unknown direction {direction!r}")
    phone.swipe(cx, cy, *ends[direction], duration_ms=steps * device_methods.STEP_MS)
    return True


def swipe(phone: PhoneLike, args: list[Any]) -> bool:
    """`swipe [fx, fy, tx, ty, steps]` or `swipe [sel, direction, steps]`."""
    if args and is_selector(args[0]):
        return _swipe_object(phone, args)
    return device_methods.swipe(phone, args)


def drag_to(phone: PhoneLike, args: list[Any]) -> bool:
    """`dragTo [sel, x, y, steps]` or `dragTo [sel, destSel, steps]`: a drag (held past the
    long-press timeout) from the object's centre."""
    node = must_find(phone, selector_arg(phone, args, 0))
    if isinstance(arg(args, 1), dict):
        tx, ty = center(must_find(phone, selector_arg(phone, args, 1)))
    else:
        tx, ty = arg_num(args, 1), arg_num(args, 2)
    phone.drag(*center(node), tx, ty)
    return True


def _scroll_once(phone: PhoneLike, selector: Selector, *, forward: bool, vertical: bool) -> bool:
    node = must_find(phone, selector)
    return phone.scroll_node(node.key, forward=forward, vertical=vertical)


def _scroll_fully(
    phone: PhoneLike, selector: Selector, *, forward: bool, vertical: bool, limit: int
) -> bool:
    for _ in range(max(1, limit)):
        if not _scroll_once(phone, selector, forward=forward, vertical=vertical):
            break
    return True


def _scroll_step(forward: bool) -> Method:
    def method(phone: PhoneLike, args: list[Any]) -> bool:
        vertical = arg_bool(args, 1, True)
        return _scroll_once(phone, selector_arg(phone, args, 0), forward=forward, vertical=vertical)

    return method


def _scroll_to_edge(forward: bool) -> Method:
    def method(phone: PhoneLike, args: list[Any]) -> bool:
        vertical = arg_bool(args, 1, True)
        limit = arg_int(args, 2, MAX_SCROLL_SWIPES)
        return _scroll_fully(
            phone, selector_arg(phone, args, 0), forward=forward, vertical=vertical, limit=limit
        )

    return method


def scroll_to(phone: PhoneLike, args: list[Any]) -> bool:
    """`scrollTo [sel, targetSel, vertical]`: scroll until the target shows (scrollIntoView)."""
    container, target = selector_arg(phone, args, 0), selector_arg(phone, args, 1)
    return scroll_into_view(phone, container, target, vertical=arg_bool(args, 2, True))


def scroll_into_view(
    phone: PhoneLike, container: Selector, target: Selector, *, vertical: bool = True
) -> bool:
    """UiScrollable.scrollIntoView: to the beginning, then forward until the target shows."""
    if find(phone, target) is not None:
        return True
    for _ in range(MAX_SCROLL_SWIPES):
        if not _scroll_once(phone, container, forward=False, vertical=vertical):
            break
    for _ in range(MAX_SCROLL_SWIPES):
        if find(phone, target) is not None:
            return True
        if not _scroll_once(phone, container, forward=True, vertical=vertical):
            break
    return find(phone, target) is not None


OBJECT_METHODS: dict[str, Method] = {
    "exist": exists,
    "count": count,
    "objInfo": info,
    "objInfoOfAllInstances": info_all,
    "getText": get_text,
    "setText": set_text,
    "clearTextField": clear_text_field,
    "click": click,
    "clickAndWaitForNewWindow": click,
    "longClick": long_click,
    "swipe": swipe,
    "dragTo": drag_to,
    "scrollForward": _scroll_step(True),
    "scrollBackward": _scroll_step(False),
    "flingForward": _scroll_step(True),
    "flingBackward": _scroll_step(False),
    "scrollToBeginning": _scroll_to_edge(False),
    "scrollToEnd": _scroll_to_edge(True),
    "flingToBeginning": _scroll_to_edge(False),
    "flingToEnd": _scroll_to_edge(True),
    "scrollTo": scroll_to,
}
