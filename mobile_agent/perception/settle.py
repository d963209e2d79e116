"""Waiting until the screen has settled after an action, instead of sleeping."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from mobile_agent.device.base import Screen

Compare = Literal["hierarchy", "image", "both"]

# Things that change without anything happening: the clock and battery in the status bar.
_VOLATILE = re.compile(
    r'(text|content-desc)="(?:\d{1,2}:\d{2}(?:\s?[AaPp][Mm])?|\d{1,3}\s?%|Battery[^"]*)"'
)


@dataclass(frozen=True)
class SettleResult:
    """The last capture and whether the screen was stable before the deadline."""

    screen: Screen
    settled: bool
    waited_ms: float
    captures: int


def normalized_hierarchy(xml: str) -> str:
    """The hierarchy with volatile status-bar text blanked."""
    return _VOLATILE.sub(r'\1=""', xml)


def screens_equal(a: Screen, b: Screen, compare: Compare = "hierarchy") -> bool:
    """True when two captures show the same screen."""
    if compare in ("hierarchy", "both") and normalized_hierarchy(
        a.hierarchy_xml
    ) != normalized_hierarchy(b.hierarchy_xml):
        return False
    if compare in ("image", "both"):
        return hashlib.sha1(a.png).digest() == hashlib.sha1(b.png).digest()
    return True


def wait_for_settle(
    capture: Callable[[], Screen],
    *,
    max_wait_s: float = 3.0,
    interval_s: float = 0.05,
    stable_captures: int = 2,
    first: Screen | None = None,
    compare: Compare = "hierarchy",
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SettleResult:
    """Capture until `stable_captures` consecutive captures are equal, or `max_wait_s` passes."""
    start = clock()
    previous = first if first is not None else capture()
    captures = 0 if first is not None else 1
    stable = 1
    while stable < stable_captures:
        if clock() - start >= max_wait_s:
            return SettleResult(previous, False, (clock() - start) * 1000, captures)
        sleep(interval_s)
        current = capture()
        captures += 1
        stable = stable + 1 if screens_equal(previous, current, compare) else 1
        previous = current
    return SettleResult(previous, True, (clock() - start) * 1000, captures)
