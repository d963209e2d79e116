"""What "the same screen" means: one digest of a capture, equal for captures that look alike.

The digest covers the focused package and activity and, for every hierarchy node, its
class, text, description, resource id, bounds and checked / selected / focused / enabled
flags. What changes while nothing happens is left out: the system bars (status and
navigation bar windows of `com.android.systemui`) are ignored, clock times and percentages
are normalised in every text, and every digit in other system UI windows (the shade, quick
settings, system dialogs, which do count) is too. A capture whose hierarchy is empty,
unreadable or holds nothing but the system bars is judged by a small thumbnail of its
screenshot instead.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator

from mobile_agent.errors import ParseError
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.xmltree import RawHierarchy, RawNode, Rect, load_hierarchy

log = logging.getLogger(__name__)

SYSTEM_UI = "com.android.systemui"
BAR_MAX_SHARE = 0.15  # a system UI window this thin (and spanning the screen) is a bar
BAR_MIN_SPAN = 0.9
STATUS_BAR_SHARE = 0.05  # top strip of a screenshot masked in thumbnails
THUMB_WIDTH = 64
SIGNATURE_THUMB_WIDTH = 32
SIGNATURE_LEVELS_SHIFT = 5  # thumbnail grey levels kept in a signature: 256 >> 5 = 8

_TIME = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
_PERCENT = re.compile(r"\d{1,3}\s?%")
_DIGITS = re.compile(r"\d+")

Thumbnail = tuple[int, int, bytes]


def screen_signature(screen: Screen) -> str:
    """A digest equal for captures that look the same (see the module docstring)."""
    digest = hashlib.sha1(f"{screen.package}|{screen.activity}".encode(), usedforsecurity=False)
    rows = list(_rows(screen))
    if rows:
        for row in rows:
            digest.update(repr(row).encode("utf-8", "replace"))
    else:
        digest.update(b"|png|" + _thumbnail_key(screen.png))
    return digest.hexdigest()


def normalize_text(value: str, *, system_ui: bool = False) -> str:
    """`value` with clock times and percentages blanked (every digit, for system UI)."""
    value = _PERCENT.sub("%", _TIME.sub("#:#", value))
    return _DIGITS.sub("#", value) if system_ui else value


def _rows(screen: Screen) -> Iterator[tuple[object, ...]]:
    """One row per counted node; nothing when the hierarchy is empty or unreadable."""
    if not screen.hierarchy_xml.strip():
        return
    try:
        raw = load_hierarchy(screen.hierarchy_xml)
    except ParseError as exc:
        log.debug("unreadable hierarchy (%s); the signature uses the screenshot", exc)
        return
    size = _screen_size(screen, raw)
    for window in raw.windows:
        system_window = window.get("package") == SYSTEM_UI
        if system_window and _is_bar(window.rect, size):
            continue
        for node in window.walk():
            system_node = node.get("package") == SYSTEM_UI
            if system_node and not system_window:
                continue
            yield _row(node, system_node)


def _row(node: RawNode, system_ui: bool) -> tuple[object, ...]:
    return (
        node.class_name,
        normalize_text(node.get("text"), system_ui=system_ui),
        normalize_text(node.get("content-desc"), system_ui=system_ui),
        node.get("resource-id"),
        node.rect,
        node.flag("checked"),
        node.flag("selected"),
        node.flag("focused"),
        node.get("enabled", "true").strip().lower() != "false",
    )


def _screen_size(screen: Screen, raw: RawHierarchy) -> tuple[int, int]:
    if screen.width > 0 and screen.height > 0:
        return screen.width, screen.height
    rects = [w.rect for w in raw.windows if w.rect is not None]
    return max((r[2] for r in rects), default=0), max((r[3] for r in rects), default=0)


def _is_bar(rect: Rect | None, size: tuple[int, int]) -> bool:
    """A thin strip spanning the screen: the status bar, the navigation bar (either way)."""
    if rect is None:
        return True
    width, height = max(1, size[0]), max(1, size[1])
    across = (rect[2] - rect[0]) / width
    down = (rect[3] - rect[1]) / height
    wide_bar = across >= BAR_MIN_SPAN and down <= BAR_MAX_SHARE
    tall_bar = down >= BAR_MIN_SPAN and across <= BAR_MAX_SHARE
    return wide_bar or tall_bar


def thumbnail(png: bytes, width: int = THUMB_WIDTH) -> Thumbnail | None:
    """(width, height, greyscale bytes) of a small copy of the screenshot without its
    status-bar strip; (0, 0, png) when the bytes are no readable image, None when empty."""
    if not png:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png)) as img:
            img.draft("L", (width * 4, width * 8))
            height = max(1, round(img.height * width / max(1, img.width)))
            small = img.convert("L").resize((width, height), Image.Resampling.BOX)
    except (UnidentifiedImageError, OSError, ValueError):
        log.debug("screenshot is not a readable image; comparing its bytes")
        return (0, 0, png)
    skip = int(height * STATUS_BAR_SHARE) * width
    return (width, height, small.tobytes()[skip:])


def _thumbnail_key(png: bytes) -> bytes:
    thumb = thumbnail(png, SIGNATURE_THUMB_WIDTH)
    if thumb is None:
        return b""
    width, height, pixels = thumb
    if width == 0:
        return hashlib.sha1(pixels, usedforsecurity=False).digest()
    coarse = bytes(p >> SIGNATURE_LEVELS_SHIFT for p in pixels)
    return f"{width}x{height}|".encode() + coarse
