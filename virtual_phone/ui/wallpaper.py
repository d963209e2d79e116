"""The home-screen wallpaper: a soft diagonal gradient with two blurred glows, like the
Pixel's default abstract wallpapers. Deterministic, cached per size and theme."""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

Color = tuple[int, int, int]

_LIGHT = ((30, 58, 112), (52, 118, 150), (170, 120, 200), (90, 190, 200))
_DARK = ((14, 22, 48), (24, 58, 82), (90, 60, 120), (40, 110, 120))


@lru_cache(maxsize=8)
def _wallpaper(width: int, height: int, dark: bool) -> Image.Image:
    top, bottom, glow1, glow2 = _DARK if dark else _LIGHT
    small_w, small_h = max(1, width // 8), max(1, height // 8)
    column = Image.linear_gradient("L").resize((small_w, small_h))
    base = Image.composite(
        Image.new("RGB", (small_w, small_h), bottom),
        Image.new("RGB", (small_w, small_h), top),
        column,
    )
    glows = Image.new("RGB", (small_w, small_h), (0, 0, 0))
    draw = ImageDraw.Draw(glows)
    draw.ellipse((-small_w * 0.4, small_h * 0.05, small_w * 0.7, small_h * 0.5), fill=glow1)
    draw.ellipse((small_w * 0.35, small_h * 0.55, small_w * 1.4, small_h * 1.05), fill=glow2)
    glows = glows.filter(ImageFilter.GaussianBlur(max(2, small_w // 5)))
    mixed = Image.blend(base, glows, 0.35)
    mixed = Image.composite(mixed, base, glows.convert("L").point(lambda v: min(255, v * 2)))
    return mixed.resize((width, height), Image.Resampling.BILINEAR)


def wallpaper(width: int, height: int, dark: bool = False) -> Image.Image:
    """The wallpaper at `width` × `height` (a shared image: do not draw on it)."""
    return _wallpaper(width, height, dark)
