"""The layout direction of a screen: right-to-left when its text is mostly Arabic, Hebrew
(or another right-to-left script) and its texts do not clearly start on the left."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from mobile_agent.perception.elements import UIElement

_RTL_CLASSES = frozenset({"R", "AL"})
_SYSTEM = re.compile(r"^com\.android\.systemui$|inputmethod|keyboard|swiftkey|\.ime(\.|$)", re.I)
NARROW_SHARE = 0.6  # texts wider than this share of the screen say nothing about alignment


def strong_direction_counts(text: str) -> tuple[int, int]:
    """(right-to-left, left-to-right) strong characters of `text` by their bidi class."""
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL_CLASSES:
            rtl += 1
        elif kind == "L":
            ltr += 1
    return rtl, ltr


def is_rtl(elements: Sequence[UIElement], width: int | None = None) -> bool:
    """Whether the screen reads right to left: more right-to-left than left-to-right
    letters in the apps' texts (the system bars and the keyboard do not count), and not
    more than twice as many narrow texts aligned left as right."""
    elements = [el for el in elements if not _SYSTEM.search(el.package)]
    rtl = ltr = 0
    for el in elements:
        r, lt = strong_direction_counts(f"{el.text} {el.description}")
        rtl, ltr = rtl + r, ltr + lt
    if rtl <= ltr:
        return False
    width = width or max((el.bounds.x2 for el in elements), default=0)
    left = right = 0
    for el in elements:
        b = el.bounds
        if not el.text or b.width > width * NARROW_SHARE:
            continue
        start_gap, end_gap = b.x1, width - b.x2
        if abs(start_gap - end_gap) <= max(8, width // 50):
            continue  # centred
        left, right = (left + 1, right) if start_gap < end_gap else (left, right + 1)
    return left <= 2 * right or right == left == 0
