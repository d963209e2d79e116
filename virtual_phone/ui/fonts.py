"""Font lookup for the renderer, done in one place and cached.

Prefers DejaVu Sans from the system; falls back to the TrueType font embedded in Pillow
(>= 10.1). A CJK-capable font is used for text the main font cannot draw, when one is
installed.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont | ImageFont.TransposedFont

_REGULAR = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
_BOLD = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/Library/Fonts/Arial Bold.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)
_CJK = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


def _first_existing(paths: tuple[str, ...]) -> str | None:
    for path in paths:
        if Path(path).is_file():
            return path
    return None


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> Font:
    """A TrueType font of `size` pixels (bold if asked and available)."""
    path = _first_existing(_BOLD if bold else _REGULAR) or _first_existing(_REGULAR)
    if path is not None:
        return ImageFont.truetype(path, size)
    log.debug("no system font found; using Pillow's embedded font")
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=32)
def cjk_font(size: int) -> Font | None:
    """A font covering CJK ideographs, or None when none is installed."""
    path = _first_existing(_CJK)
    return ImageFont.truetype(path, size) if path is not None else None


def needs_cjk(text: str) -> bool:
    """True when `text` holds characters from the CJK / Hangul / kana blocks."""
    return any(ord(ch) >= 0x2E80 for ch in text)


def font_for(text: str, size: int, bold: bool = False) -> Font:
    """The best available font to draw `text` with."""
    if needs_cjk(text):
        cjk = cjk_font(size)
        if cjk is not None:
            return cjk
    return font(size, bold)


def text_width(text: str, size: int, bold: bool = False) -> float:
    """Rendered width of `text` in pixels."""
    return float(font_for(text, size, bold).getlength(text))
