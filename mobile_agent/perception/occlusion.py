"""What lies under another window or a popup cannot be seen or tapped, so it is not listed.

Z-order of windows. Dumps list the active window first and the others top to bottom (what
`UiDevice.getWindowRoots` returns; the virtual phone lists them top first too), so each
window gets a rank by kind, and within a kind the earlier window lies above:

    system bars (thin strips of the system UI) > keyboard > other system UI (shade, system
    dialogs) > partial app windows (dialogs, popups, in-app keypads, floating windows) >
    full-screen app windows

An element is hidden when its centre lies inside a higher window that shows something.
Inside one window, a popup, dialog, sheet or keypad node (by class or resource id) hides what
was drawn before it (earlier in document order) under its centre. Passive texts inside a
popup's option list are its options: they are marked actionable (popups of web pages and
in-app menus often do not mark them clickable).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from mobile_agent.perception.drafts import Draft
from mobile_agent.perception.elements import BoundingBox
from mobile_agent.perception.xmltree import RawNode

log = logging.getLogger(__name__)

IME_PACKAGE = re.compile(r"inputmethod|keyboard|swiftkey|\.ime(\.|$)", re.I)
SYSTEM_UI = "com.android.systemui"
_COVER = re.compile(r"popup|drop_?down|spinner|dialog|bottom_?sheet|listbox|keypad|numpad", re.I)
_OPTIONS = re.compile(r"popup|drop_?down|spinner|listbox|menu|select", re.I)
_LIST = re.compile(r"ListView|RecyclerView", re.I)
BAR_SHARE = 0.12  # a system bar lies within this share of the screen from an edge
FULL_SHARE = 0.9  # a window covering this share of the screen is a full-screen one
KEYBOARD_MAX_SHARE = 0.75
_ByOrder = tuple[list[int], list[Draft]]  # drafts sorted by node order, and their orders


@dataclass(frozen=True, slots=True)
class _Layer:
    index: int
    rect: BoundingBox
    z: tuple[int, int]  # higher is above


@dataclass(frozen=True, slots=True)
class _Cover:
    window: int
    first: int  # order of the cover node
    last: int  # order of the last node of its subtree
    rect: BoundingBox
    hides: bool  # a popup, dialog, sheet or keypad: hides what was drawn before it
    options: bool  # an option list: its passive texts are options


def hide_occluded(
    drafts: Sequence[Draft], windows: Sequence[RawNode], size: tuple[int, int]
) -> list[Draft]:
    """The drafts not hidden by a higher window or a popup of their own window; passive
    texts of a popup's option list are marked as options."""
    shown = {d.node.window for d in drafts}
    layers = [layer for layer in _layers(windows, size) if layer.index in shown]
    partial = {layer.index for layer in layers if layer.z[0] == 1}
    last = _subtree_ends(windows)
    covers = _covers(windows, partial, drafts, last)
    kept = [d for d in drafts if not _under_window(d, layers) and not _under_cover(d, covers, last)]
    if len(kept) < len(drafts):
        log.debug("occlusion: %d of %d elements hidden", len(drafts) - len(kept), len(drafts))
    for draft in kept:
        if not draft.pressable and not draft.absorbs and _in_options(draft, covers):
            draft.option = True
    return kept


def _box(rect: tuple[int, int, int, int]) -> BoundingBox:
    return BoundingBox(*rect)


def _layers(windows: Sequence[RawNode], size: tuple[int, int]) -> list[_Layer]:
    count = len(windows)
    return [
        _Layer(i, _box(w.rect), (_kind(w, size), count - i))
        for i, w in enumerate(windows)
        if w.rect is not None
    ]


def _kind(window: RawNode, size: tuple[int, int]) -> int:
    """The window's rank by kind (see the module docstring)."""
    assert window.rect is not None
    x1, y1, x2, y2 = window.rect
    width, height = max(1, size[0]), max(1, size[1])
    package = window.get("package")
    if package == SYSTEM_UI and _is_bar(window.rect, width, height):
        return 4
    if IME_PACKAGE.search(package) and (y2 - y1) < height * KEYBOARD_MAX_SHARE:
        return 3
    if package == SYSTEM_UI:
        return 2
    covered = max(0, min(x2, width) - max(x1, 0)) * max(0, min(y2, height) - max(y1, 0))
    return 0 if covered >= width * height * FULL_SHARE else 1


def _is_bar(rect: tuple[int, int, int, int], width: int, height: int) -> bool:
    x1, y1, x2, y2 = rect
    thin_row = y2 <= height * BAR_SHARE or y1 >= height * (1 - BAR_SHARE)
    return thin_row or x2 <= width * BAR_SHARE or x1 >= width * (1 - BAR_SHARE)


def _under_window(draft: Draft, layers: Sequence[_Layer]) -> bool:
    own = next((layer for layer in layers if layer.index == draft.node.window), None)
    if own is None:
        return False
    return any(
        layer.z > own.z and _mostly_under(draft.bounds, layer.rect)
        for layer in layers
        if layer.index != own.index
    )


def _subtree_ends(windows: Sequence[RawNode]) -> dict[int, int]:
    """For every node's order, the order of the last node of its subtree."""
    ends: dict[int, int] = {}
    for window in windows:
        nodes = list(window.walk())
        for node in reversed(nodes):
            ends[node.order] = max([node.order, *(ends[c.order] for c in node.children)])
    return ends


def _shown_extent(rect: BoundingBox, drafts: _ByOrder, first: int, last: int) -> BoundingBox | None:
    """What a cover node really shows: the extent of the drafts of its subtree within it
    (a sheet's container often spans the screen while the sheet fills a part)."""
    orders, ordered = drafts
    inside = [d.bounds for d in ordered[bisect_left(orders, first) : bisect_right(orders, last)]]
    if not inside:
        return None
    box = BoundingBox(
        max(rect.x1, min(b.x1 for b in inside)),
        max(rect.y1, min(b.y1 for b in inside)),
        min(rect.x2, max(b.x2 for b in inside)),
        min(rect.y2, max(b.y2 for b in inside)),
    )
    return box if box.area > 0 else None


def _covers(
    windows: Sequence[RawNode], partial: set[int], drafts: Sequence[Draft], ends: dict[int, int]
) -> list[_Cover]:
    ordered = sorted(drafts, key=lambda d: d.node.order)
    by_order: _ByOrder = ([d.node.order for d in ordered], ordered)
    covers = []
    for index, window in enumerate(windows):
        for node in window.walk():
            named = f"{node.class_name} {node.get('resource-id')}"
            hides = bool(_COVER.search(named))
            options = bool(_OPTIONS.search(named))
            options = options or (index in partial and bool(_LIST.search(node.class_name)))
            if node.rect is None or not (hides or options):
                continue
            last = ends[node.order]
            shown = _shown_extent(_box(node.rect), by_order, node.order, last)
            if shown is not None:
                covers.append(_Cover(index, node.order, last, shown, hides, options))
    return covers


def _under_cover(draft: Draft, covers: Sequence[_Cover], ends: dict[int, int]) -> bool:
    """Drawn before a popup of its window (and not holding it), and mostly under it."""
    order = draft.node.order
    return any(
        c.hides
        and c.window == draft.node.window
        and ends.get(order, order) < c.first
        and _mostly_under(draft.bounds, c.rect)
        for c in covers
    )


def _mostly_under(box: BoundingBox, cover: BoundingBox) -> bool:
    return cover.contains_point(*box.center) and box.intersection(cover) * 2 >= box.area


def _in_options(draft: Draft, covers: Sequence[_Cover]) -> bool:
    order = draft.node.order
    return any(
        c.options and c.window == draft.node.window and c.first < order <= c.last for c in covers
    )
