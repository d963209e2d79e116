"""The on-screen keyboard and the system bars: summarised as state, never listed as elements.

Agents type with an action and go back or home with actions, so a keyboard's keys and the
status and navigation bars are noise in a prompt (in a typical editor screen they are two
thirds of the element list) and a trap (tapping keys one by one). `split_system_ui` takes
them out of the numbered elements and says what they showed in a `SystemUI` summary.

A keyboard key is any element of an input-method window. The bars are the system UI's
windows whose elements all lie in thin strips along the edges of the screen (the status bar
at the top, the navigation bar at the bottom or a side); a notification shade, a lock screen
or a system dialog reaches further and stays listed.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from mobile_agent.perception.elements import UIElement

IME_PACKAGE = re.compile(r"inputmethod|keyboard|swiftkey|\.ime(\.|$)", re.I)
SYSTEM_UI_PACKAGE = "com.android.systemui"
BAR_SHARE = 0.12  # a bar lies within this share of the screen's height (or width) of an edge
STATUS_TEXT_MAX = 120


@dataclass(frozen=True)
class SystemUI:
    """What the left-out keyboard and bars showed."""

    keyboard_keys: int = 0  # keys of an on-screen keyboard not listed as elements
    status_bar: str = ""  # the status bar's texts, e.g. "09:44 · Battery 85 percent."
    status_bar_shown: bool = False
    navigation_bar: bool = False  # a navigation bar (back, home, overview) was left out

    @property
    def hidden(self) -> bool:
        """Whether anything was left out of the elements."""
        return bool(self.keyboard_keys or self.status_bar_shown or self.navigation_bar)


def split_system_ui(
    elements: Sequence[UIElement], size: tuple[int, int]
) -> tuple[list[UIElement], SystemUI]:
    """The elements without keyboard keys and system bars, numbered 1..N in their order,
    and the summary of what was left out. `size` is the screen's (width, height)."""
    keys = [el for el in elements if IME_PACKAGE.search(el.package)]
    status, navigation = _bars(elements, size)
    dropped = {id(el) for el in [*keys, *status, *navigation]}
    kept = sorted((el for el in elements if id(el) not in dropped), key=lambda el: el.id)
    numbered = [
        el if el.id == number else dataclasses.replace(el, id=number)
        for number, el in enumerate(kept, start=1)
    ]
    summary = SystemUI(
        keyboard_keys=len(keys),
        status_bar=_status_text(status),
        status_bar_shown=bool(status),
        navigation_bar=bool(navigation),
    )
    return numbered, summary


def _bars(
    elements: Sequence[UIElement], size: tuple[int, int]
) -> tuple[list[UIElement], list[UIElement]]:
    """(status bar elements, navigation bar elements) among the system UI's windows."""
    windows: dict[object, list[UIElement]] = defaultdict(list)
    for el in elements:
        if el.package == SYSTEM_UI_PACKAGE:
            windows[el.extras.get("window")].append(el)
    width = size[0] or max((el.bounds.x2 for el in elements), default=0)
    height = size[1] or max((el.bounds.y2 for el in elements), default=0)
    status: list[UIElement] = []
    navigation: list[UIElement] = []
    for group in windows.values():
        edges = [_edge(el, width, height) for el in group]
        if None in edges:  # something beyond the edges: a shade, a dialog, a lock screen
            continue
        for el, edge in zip(group, edges, strict=True):
            (status if edge == "top" else navigation).append(el)
    return status, navigation


def _edge(el: UIElement, width: int, height: int) -> str | None:
    """The edge of the screen whose thin strip holds `el`, if one does."""
    if width <= 0 or height <= 0:
        return None
    b = el.bounds
    if b.y2 <= height * BAR_SHARE:
        return "top"
    if b.y1 >= height * (1 - BAR_SHARE):
        return "bottom"
    if b.x2 <= width * BAR_SHARE:
        return "left"
    if b.x1 >= width * (1 - BAR_SHARE):
        return "right"
    return None


def _status_text(elements: Sequence[UIElement]) -> str:
    """The status bar's texts and descriptions, in order, without repeats."""
    seen: list[str] = []
    for el in sorted(elements, key=lambda el: (el.bounds.x1, el.bounds.y1)):
        for value in (el.text, el.description):
            value = " ".join(value.split())
            if value and value not in seen:
                seen.append(value)
    text = " · ".join(seen)
    return text if len(text) <= STATUS_TEXT_MAX else text[: STATUS_TEXT_MAX - 1] + "…"
