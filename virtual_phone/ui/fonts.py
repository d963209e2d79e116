"""Font lookup for the renderer, done in one place and cached.

Prefers Roboto (Android's system font; Debian's `fonts-roboto-unhinted` or
`fonts-roboto-hinted`), falls back to DejaVu Sans with a warning, then to the TrueType font
embedded in Pillow (>= 10.1). Characters Roboto lacks (arrows, dingbats, math symbols) are
drawn with DejaVu, and CJK text with a CJK-capable font when one is installed.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont | ImageFont.TransposedFont

_ROBOTO_DIRS = (
    "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF",
    "/usr/share/fonts/truetype/roboto/hinted",
    "/usr/share/fonts/truetype/roboto/unhinted",
    "/usr/share/fonts/roboto",
    "/usr/share/fonts/TTF",
)
_ROBOTO = tuple(f"{d}/Roboto-Regular.ttf" for d in _ROBOTO_DIRS)
_ROBOTO_BOLD = tuple(f"{d}/Roboto-Medium.ttf" for d in _ROBOTO_DIRS)
_FALLBACK = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
_FALLBACK_BOLD = (
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
# Below this code point Roboto covers everything the apps draw (Latin, Greek, Cyrillic).
_ROBOTO_SURE = 0x2000
_PROBE_SIZE = 24


def _first_existing(paths: tuple[str, ...]) -> str | None:
    for path in paths:
        if Path(path).is_file():
            return path
    return None


@lru_cache(maxsize=2)
def main_font_path(bold: bool = False) -> str | None:
    """The file of the main font: Roboto, else DejaVu Sans (warned once), else None."""
    roboto = _first_existing(_ROBOTO_BOLD if bold else _ROBOTO) or _first_existing(_ROBOTO)
    if roboto is not None:
        return roboto
    if not bold:
        log.warning("Roboto not installed (Debian: fonts-roboto-unhinted); using DejaVu Sans")
    return _fallback_path(bold)


@lru_cache(maxsize=2)
def _fallback_path(bold: bool) -> str | None:
    return _first_existing(_FALLBACK_BOLD if bold else _FALLBACK) or _first_existing(_FALLBACK)


def _truetype(path: str | None, size: int) -> Font:
    if path is not None:
        return ImageFont.truetype(path, size)
    log.debug("no system font found; using Pillow's embedded font")
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> Font:
    """The main font (Roboto when installed) at `size` pixels, bold if asked."""
    return _truetype(main_font_path(bold), size)


@lru_cache(maxsize=64)
def fallback_font(size: int, bold: bool = False) -> Font:
    """DejaVu Sans (or the nearest available) for symbols the main font lacks."""
    return _truetype(_fallback_path(bold), size)


@lru_cache(maxsize=32)
def cjk_font(size: int) -> Font | None:
    """A font covering CJK ideographs, or None when none is installed."""
    path = _first_existing(_CJK)
    return ImageFont.truetype(path, size) if path is not None else None


def needs_cjk(text: str) -> bool:
    """True when `text` holds characters from the CJK / Hangul / kana blocks."""
    return any(ord(ch) >= 0x2E80 for ch in text)


@lru_cache(maxsize=1024)
def main_font_has(char: str) -> bool:
    """Whether the main font draws `char` with a glyph of its own (not the missing box)."""
    probe = font(_PROBE_SIZE)
    if not isinstance(probe, ImageFont.FreeTypeFont):
        return True
    missing = probe.getmask("\uffff")
    glyph = probe.getmask(char)
    return glyph.size != missing.size or bytes(glyph) != bytes(missing)


def _main_covers(text: str) -> bool:
    return all(ord(ch) < _ROBOTO_SURE or main_font_has(ch) for ch in text)


def font_for(text: str, size: int, bold: bool = False) -> Font:
    """The best available font to draw `text` with."""
    if needs_cjk(text):
        cjk = cjk_font(size)
        if cjk is not None:
            return cjk
    if _main_covers(text):
        return font(size, bold)
    return fallback_font(size, bold)


def text_width(text: str, size: int, bold: bool = False) -> float:
    """Rendered width of `text` in pixels."""
    return float(font_for(text, size, bold).getlength(text))
