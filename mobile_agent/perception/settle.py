"""Waiting until the screen has settled after an action, instead of sleeping blindly.

Captures are compared after removing what changes while nothing happens: clock times and
battery levels in texts, every digit inside the system UI's status bar. With "image", a
small greyscale thumbnail is compared (status-bar strip masked, tiny differences allowed).
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from mobile_agent.perception.artifacts import Screen

log = logging.getLogger(__name__)

COMPARE_MODES = ("hierarchy", "image", "both")
THUMB_WIDTH = 64
STATUS_BAR_SHARE = 0.05  # top strip ignored when comparing images
MAX_MEAN_DIFF = 1.0  # mean absolute thumbnail difference (0..255) still counted as equal
MAX_PIXEL_DIFF = 48

_NODE = re.compile(r"<node\b[^>]*>")
_LABEL = re.compile(r'\b(text|content-desc)="([^"]*)"')
_TIME = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
_PERCENT = re.compile(r"\d{1,3}\s?%")
_DIGITS = re.compile(r"\d+")
_SYSTEM_UI = 'package="com.android.systemui"'


@dataclass(frozen=True)
class SettleResult:
    """The last capture and whether the screen was stable before the deadline."""

    screen: Screen
    settled: bool
    waited_ms: float
    captures: int


def normalized_hierarchy(xml: str) -> str:
    """The hierarchy with volatile text (clock, battery, status-bar digits) blanked."""
    return _NODE.sub(_normalize_node, xml)


def _normalize_node(match: re.Match[str]) -> str:
    system = _SYSTEM_UI in match.group(0)

    def label(m: re.Match[str]) -> str:
        value = _PERCENT.sub("%", _TIME.sub("#:#", m.group(2)))
        if system:
            value = _DIGITS.sub("#", value)
        return f'{m.group(1)}="{value}"'

    return _LABEL.sub(label, match.group(0))


@dataclass(frozen=True)
class _Signature:
    hierarchy: str | None
    thumb: tuple[int, int, bytes] | None


def _signature(screen: Screen, compare: str) -> _Signature:
    if compare not in COMPARE_MODES:
        raise ValueError(f"compare must be one of {COMPARE_MODES}, not {compare!r}")
    hierarchy = normalized_hierarchy(screen.hierarchy_xml) if compare != "image" else None
    thumb = _thumbnail(screen.png) if compare != "hierarchy" else None
    return _Signature(hierarchy, thumb)


def _thumbnail(png: bytes) -> tuple[int, int, bytes] | None:
    if not png:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png)) as img:
            img.draft("L", (THUMB_WIDTH * 4, THUMB_WIDTH * 8))
            height = max(1, round(img.height * THUMB_WIDTH / max(1, img.width)))
            small = img.convert("L").resize((THUMB_WIDTH, height), Image.Resampling.BOX)
    except (UnidentifiedImageError, OSError, ValueError):
        log.debug("screenshot is not a readable image; comparing its bytes")
        return (0, 0, png)
    skip = int(height * STATUS_BAR_SHARE) * THUMB_WIDTH
    return (THUMB_WIDTH, height, small.tobytes()[skip:])


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
