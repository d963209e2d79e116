"""Waiting until the screen has settled after an action, instead of sleeping blindly.

With "hierarchy" (the default), two captures agree when their `screen_signature`s do (the
system bars, clock times and percentages do not count). With "image", small greyscale
thumbnails are compared (status-bar strip masked, tiny differences allowed); "both" wants
both to agree.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.signature import Thumbnail, screen_signature, thumbnail

log = logging.getLogger(__name__)

COMPARE_MODES = ("hierarchy", "image", "both")
MAX_MEAN_DIFF = 1.0  # mean absolute thumbnail difference (0..255) still counted as equal
MAX_PIXEL_DIFF = 48


@dataclass(frozen=True)
class SettleResult:
    """The last capture and whether the screen was stable before the deadline."""

    screen: Screen
    settled: bool
    waited_ms: float
    captures: int


@dataclass(frozen=True)
class _Signature:
    hierarchy: str | None
    thumb: Thumbnail | None


def _signature(screen: Screen, compare: str) -> _Signature:
    if compare not in COMPARE_MODES:
        raise ValueError(f"compare must be one of {COMPARE_MODES}, not {compare!r}")
    hierarchy = screen_signature(screen) if compare != "image" else None
    thumb = thumbnail(screen.png) if compare != "hierarchy" else None
    return _Signature(hierarchy, thumb)


def _same(a: _Signature, b: _Signature) -> bool:
    if a.hierarchy != b.hierarchy:
        return False
    if a.thumb is None or b.thumb is None:
        return a.thumb is b.thumb
    if a.thumb[:2] != b.thumb[:2] or len(a.thumb[2]) != len(b.thumb[2]):
        return False
    if a.thumb[0] == 0:  # unreadable images: exact bytes
        return a.thumb[2] == b.thumb[2]
    diffs = [abs(x - y) for x, y in zip(a.thumb[2], b.thumb[2], strict=True)]
    return max(diffs, default=0) <= MAX_PIXEL_DIFF and sum(diffs) <= MAX_MEAN_DIFF * len(diffs)


def screens_equal(a: Screen, b: Screen, compare: str = "hierarchy") -> bool:
    """True when two captures show the same screen ("hierarchy", "image" or "both")."""
    return _same(_signature(a, compare), _signature(b, compare))


def wait_for_settle(
    capture: Callable[[], Screen],
    *,
    max_wait_s: float = 3.0,
    interval_s: float = 0.05,
    stable_captures: int = 2,
    first: Screen | None = None,
    compare: str = "hierarchy",
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SettleResult:
    """Capture until `stable_captures` consecutive captures are equal, or `max_wait_s` passes.

    `first` is a capture already taken (it counts towards stability, not in `captures`).
    Returns the last capture either way; `settled` says whether it was stable in time.
    """
    start = last = clock()
    previous = first if first is not None else capture()
    captures = 0 if first is not None else 1
    signature = _signature(previous, compare)
    stable = 1
    while stable < max(1, stable_captures):
        now = clock()
        if now - start >= max_wait_s:
            log.debug("screen still changing after %d captures", captures)
            return SettleResult(previous, False, (now - start) * 1000, captures)
        pause = min(interval_s - (now - last), max_wait_s - (now - start))
        if pause > 0:
            sleep(pause)  # the rest of the polling interval, counted from the last capture
        last = clock()
        previous = capture()
        captures += 1
        current = _signature(previous, compare)
        stable = stable + 1 if _same(signature, current) else 1
        signature = current
    return SettleResult(previous, True, (clock() - start) * 1000, captures)
