"""Inputs that may lie: dump bytes in any encoding, dumps that are no UI dump, and a
screenshot whose size does not match the dump.

Named errors (all `ParseError`, so callers that fall back to pixels on an unusable dump
keep doing so)::

    ParseError
    ├── NotAHierarchyDump     well-formed XML that is not a UI dump (an Android layout file)
    └── ScreenSizeMismatch    the screenshot's size does not fit the dump's bounds
"""

from __future__ import annotations

import codecs
import logging
import re

from mobile_agent.errors import ParseError

log = logging.getLogger(__name__)

_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
ASPECT_TOLERANCE = 0.02  # relative difference of width/height ratios still called equal
SIZE_SLACK = 1.02  # bounds may overrun the screen by this factor (rounding, cut-outs)


class NotAHierarchyDump(ParseError):
    """Well-formed XML that is not a uiautomator / Appium UI dump."""


class ScreenSizeMismatch(ParseError):
    """The screenshot's size does not fit the dump's bounds, not even scaled."""


def decode_dump(data: bytes) -> str:
    """The text of a dump saved in any encoding: a byte-order mark, UTF-16 without one
    (a PowerShell redirect), the XML declaration's encoding, else UTF-8 (bad bytes replaced)."""
    encoding = sniff_encoding(data)
    bom = next((len(b) for b, name in _BOMS if name == encoding and data.startswith(b)), 0)
    try:
        return data[bom:].decode(encoding, errors="replace")
    except LookupError:
        log.warning("unknown encoding %r declared in the dump; reading it as UTF-8", encoding)
        return data[bom:].decode("utf-8", errors="replace")


def sniff_encoding(data: bytes) -> str:
    """The encoding of dump bytes (see `decode_dump`)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:64]
    if head.startswith(b"<\x00\x00\x00"):
        return "utf-32-le"
    if head.startswith(b"\x00\x00\x00<"):
        return "utf-32-be"
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    declared = _DECLARED.match(data.lstrip()[:200])
    if declared is not None and not declared.group(1).lower().startswith(b"utf-16"):
        return declared.group(1).decode("ascii").lower()
    return "utf-8"


def fit_screen(
    extent: tuple[int, int], given: tuple[int, int], *, what: str = "the screenshot"
) -> float:
    """How to map dump bounds spanning `extent` onto a screen of `given` (width, height):
    1.0 when they fit; a scale factor (logged as a warning) when the dump is larger but of
    the same aspect ratio (a screenshot saved scaled down); otherwise `ScreenSizeMismatch`.
    A dump smaller than the screen fits (a dialog-only dump never reaches the edges)."""
    width, height = extent
    gw, gh = given
    if width <= gw * SIZE_SLACK and height <= gh * SIZE_SLACK:
        return 1.0
    if width > 0 and height > 0 and abs((gw / gh) / (width / height) - 1) <= ASPECT_TOLERANCE:
        scale = gw / width
        log.warning(
            "%s is %dx%d but the dump's bounds span %dx%d (same aspect ratio): "
            "bounds scaled by %.3f",
            what, gw, gh, width, height, scale,
        )  # fmt: skip
        return scale
    raise ScreenSizeMismatch(
        f"{what} is {gw}x{gh} but the hierarchy dump's bounds span {width}x{height}: "
        "they do not show the same screen (capture both at once, or drop the image)"
    )
