"""More vector glyphs drawn with PIL: one per app (launcher icons) and per settings row.

Each painter draws in one colour inside a square box, like a themed Material icon; the
launcher puts them on a coloured adaptive-icon circle. `icons.ICONS` includes them all.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import ImageDraw

Color = tuple[int, int, int]
Box = tuple[int, int, int, int]
Painter = Callable[[ImageDraw.ImageDraw, Box, Color], None]


def _frame(b: Box) -> tuple[float, float, float, float, int]:
    """(x0, y0, width, height, stroke) of a box."""
    w, h = b[2] - b[0], b[3] - b[1]
    return b[0], b[1], w, h, max(3, w // 11)


def _at(b: Box, fx: float, fy: float) -> tuple[float, float]:
    """The point at fractions (fx, fy) of the box."""
    return b[0] + (b[2] - b[0]) * fx, b[1] + (b[3] - b[1]) * fy


def _bubble(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, _ = _frame(b)
    d.rounded_rectangle([x + w * 0.06, y + h * 0.1, x + w * 0.94, y + h * 0.72], w * 0.18, fill=c)
    d.polygon([_at(b, 0.22, 0.66), _at(b, 0.16, 0.92), _at(b, 0.46, 0.7)], fill=c)


def _calendar(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    d.rounded_rectangle(
        [x + w * 0.08, y + h * 0.14, x + w * 0.92, y + h * 0.92], w * 0.1, outline=c, width=s
    )
    d.rectangle([x + w * 0.08, y + h * 0.14, x + w * 0.92, y + h * 0.34], fill=c)
    for fx in (0.3, 0.7):
        d.line([_at(b, fx, 0.04), _at(b, fx, 0.22)], fill=c, width=s)
    d.rectangle([*_at(b, 0.52, 0.56), *_at(b, 0.76, 0.78)], fill=c)


def _pin(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, _ = _frame(b)
    r = w * 0.3
    cx, cy = x + w / 2, y + h * 0.38
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=c)
    d.polygon(
        [(cx - r * 0.86, cy + r * 0.5), (cx + r * 0.86, cy + r * 0.5), (cx, y + h * 0.96)], fill=c
    )


def _pin_hole(d: ImageDraw.ImageDraw, b: Box, c: Color, hole: Color) -> None:
    _pin(d, b, c)
    x, y, w, h, _ = _frame(b)
    r = w * 0.11
    cx, cy = x + w / 2, y + h * 0.38
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=hole)


def _bag(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    d.rounded_rectangle([x + w * 0.12, y + h * 0.32, x + w * 0.88, y + h * 0.94], w * 0.08, fill=c)
    d.arc([x + w * 0.3, y + h * 0.06, x + w * 0.7, y + h * 0.5], 180, 360, fill=c, width=s)


def _gift(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    d.rectangle([x + w * 0.08, y + h * 0.32, x + w * 0.92, y + h * 0.5], fill=c)
    d.rectangle([x + w * 0.16, y + h * 0.54, x + w * 0.84, y + h * 0.94], fill=c)
    d.ellipse([x + w * 0.2, y + h * 0.06, x + w * 0.5, y + h * 0.34], outline=c, width=s)
    d.ellipse([x + w * 0.5, y + h * 0.06, x + w * 0.8, y + h * 0.34], outline=c, width=s)


def _dial(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    """A telephone handset."""
    x, y, w, h, s = _frame(b)
    d.arc([x + w * 0.1, y + h * 0.1, x + w * 1.3, y + h * 1.3], 180, 270, fill=c, width=s * 2)
    d.rounded_rectangle([x + w * 0.04, y + h * 0.5, x + w * 0.34, y + h * 0.72], w * 0.06, fill=c)
    d.rounded_rectangle([x + w * 0.5, y + h * 0.04, x + w * 0.72, y + h * 0.34], w * 0.06, fill=c)


def _grid(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    w = b[2] - b[0]
    r = w * 0.1
    for fx in (0.22, 0.5, 0.78):
        for fy in (0.22, 0.5, 0.78):
            cx, cy = _at(b, fx, fy)
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=c)


def _bell(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, _ = _frame(b)
    d.pieslice([x + w * 0.2, y + h * 0.12, x + w * 0.8, y + h * 0.9], 180, 360, fill=c)
    d.rectangle([x + w * 0.2, y + h * 0.5, x + w * 0.8, y + h * 0.74], fill=c)
    d.rectangle([x + w * 0.1, y + h * 0.72, x + w * 0.9, y + h * 0.8], fill=c)
    d.ellipse([x + w * 0.42, y + h * 0.8, x + w * 0.58, y + h * 0.94], fill=c)


def _storage(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    for fy in (0.12, 0.4, 0.68):
        d.rounded_rectangle(
            [x + w * 0.1, y + h * fy, x + w * 0.9, y + h * (fy + 0.2)], w * 0.04, outline=c, width=s
        )
        cx, cy = _at(b, 0.26, fy + 0.1)
        d.ellipse([cx - s, cy - s, cx + s, cy + s], fill=c)


def _speaker(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    w, s = b[2] - b[0], _frame(b)[4]
    d.polygon(
        [
            _at(b, 0.08, 0.36),
            _at(b, 0.28, 0.36),
            _at(b, 0.52, 0.12),
            _at(b, 0.52, 0.88),
            _at(b, 0.28, 0.64),
            _at(b, 0.08, 0.64),
        ],
        fill=c,
    )
    for k in (0.22, 0.36):
        cx, cy = _at(b, 0.52, 0.5)
        r = w * k
        d.arc([cx - r, cy - r, cx + r, cy + r], -50, 50, fill=c, width=s)


def _palette(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    d.ellipse([x + w * 0.06, y + h * 0.06, x + w * 0.94, y + h * 0.94], outline=c, width=s)
    for fx, fy in ((0.3, 0.34), (0.52, 0.24), (0.72, 0.38), (0.3, 0.6)):
        cx, cy = _at(b, fx, fy)
        d.ellipse([cx - w * 0.08, cy - w * 0.08, cx + w * 0.08, cy + w * 0.08], fill=c)


def _accessibility(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    _, y, w, h, s = _frame(b)
    cx, _ = _at(b, 0.5, 0)
    d.ellipse([cx - w * 0.1, y + h * 0.04, cx + w * 0.1, y + h * 0.24], fill=c)
    d.line([_at(b, 0.1, 0.34), _at(b, 0.9, 0.34)], fill=c, width=s)
    d.line([_at(b, 0.5, 0.34), _at(b, 0.5, 0.6)], fill=c, width=s + 2)
    d.line([_at(b, 0.5, 0.6), _at(b, 0.32, 0.94)], fill=c, width=s)
    d.line([_at(b, 0.5, 0.6), _at(b, 0.68, 0.94)], fill=c, width=s)


def _shield(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    pts = [
        _at(b, 0.5, 0.04),
        _at(b, 0.88, 0.18),
        _at(b, 0.84, 0.56),
        _at(b, 0.5, 0.96),
        _at(b, 0.16, 0.56),
        _at(b, 0.12, 0.18),
    ]
    d.polygon(pts, fill=c)


def _asterisk(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    w, s = b[2] - b[0], _frame(b)[4]
    cx, cy = _at(b, 0.5, 0.5)
    for angle in (90, 30, 150):
        dx, dy = math.cos(math.radians(angle)) * w * 0.42, math.sin(math.radians(angle)) * w * 0.42
        d.line([(cx - dx, cy - dy), (cx + dx, cy + dy)], fill=c, width=s * 2)


def _key(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    d.ellipse([x + w * 0.04, y + h * 0.3, x + w * 0.44, y + h * 0.7], outline=c, width=s + 1)
    d.line([_at(b, 0.44, 0.5), _at(b, 0.94, 0.5)], fill=c, width=s + 1)
    d.line([_at(b, 0.78, 0.5), _at(b, 0.78, 0.7)], fill=c, width=s + 1)
    d.line([_at(b, 0.9, 0.5), _at(b, 0.9, 0.66)], fill=c, width=s + 1)


def _leaf(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    d.chord([x + w * 0.1, y + h * 0.02, x + w * 1.3, y + h * 1.22], 180, 270, fill=c)
    d.chord([x - w * 0.3, y - h * 0.22, x + w * 0.9, y + h * 0.98], 0, 90, fill=c)
    d.line([_at(b, 0.1, 0.94), _at(b, 0.5, 0.5)], fill=c, width=s)


def _cog_i(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    """System: an "i" in a rounded square."""
    x, y, w, h, s = _frame(b)
    d.rounded_rectangle(
        [x + w * 0.08, y + h * 0.08, x + w * 0.92, y + h * 0.92], w * 0.2, outline=c, width=s
    )
    d.rectangle([*_at(b, 0.45, 0.42), *_at(b, 0.55, 0.74)], fill=c)
    d.ellipse([*_at(b, 0.44, 0.22), *_at(b, 0.56, 0.34)], fill=c)


def _handset(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    """About phone: a phone outline."""
    x, y, w, h, s = _frame(b)
    d.rounded_rectangle(
        [x + w * 0.26, y + h * 0.04, x + w * 0.74, y + h * 0.96], w * 0.08, outline=c, width=s
    )
    d.line([_at(b, 0.42, 0.86), _at(b, 0.58, 0.86)], fill=c, width=s)


def _notepad(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    d.rounded_rectangle([x + w * 0.14, y + h * 0.06, x + w * 0.86, y + h * 0.94], w * 0.08, fill=c)
    hole = (255, 255, 255) if sum(c) < 384 else (90, 90, 90)
    for fy in (0.32, 0.5, 0.68):
        d.line([_at(b, 0.28, fy), _at(b, 0.72, fy)], fill=hole, width=s)


def _contact(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, _ = _frame(b)
    d.ellipse([x + w * 0.3, y + h * 0.06, x + w * 0.7, y + h * 0.46], fill=c)
    d.pieslice([x + w * 0.1, y + h * 0.54, x + w * 0.9, y + h * 1.34], 180, 360, fill=c)


def _shutter(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    """Camera: a body with a lens."""
    x, y, w, h, _ = _frame(b)
    d.rounded_rectangle([x + w * 0.04, y + h * 0.24, x + w * 0.96, y + h * 0.86], w * 0.12, fill=c)
    d.rectangle([x + w * 0.32, y + h * 0.12, x + w * 0.68, y + h * 0.26], fill=c)
    hole = (255, 255, 255) if sum(c) > 384 else (30, 30, 30)
    d.ellipse([x + w * 0.3, y + h * 0.34, x + w * 0.7, y + h * 0.76], fill=hole)
    d.ellipse([x + w * 0.38, y + h * 0.42, x + w * 0.62, y + h * 0.68], fill=c)


def _switch_cam(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    d.arc([x + w * 0.1, y + h * 0.1, x + w * 0.9, y + h * 0.9], 200, 340, fill=c, width=s)
    d.arc([x + w * 0.1, y + h * 0.1, x + w * 0.9, y + h * 0.9], 20, 160, fill=c, width=s)
    d.polygon([_at(b, 0.84, 0.2), _at(b, 0.96, 0.44), _at(b, 0.72, 0.42)], fill=c)
    d.polygon([_at(b, 0.16, 0.8), _at(b, 0.04, 0.56), _at(b, 0.28, 0.58)], fill=c)


def _photo(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x, y, w, h, s = _frame(b)
    d.rounded_rectangle(
        [x + w * 0.06, y + h * 0.14, x + w * 0.94, y + h * 0.86], w * 0.08, outline=c, width=s
    )
    d.polygon(
        [
            _at(b, 0.16, 0.78),
            _at(b, 0.4, 0.44),
            _at(b, 0.58, 0.66),
            _at(b, 0.68, 0.54),
            _at(b, 0.86, 0.78),
        ],
        fill=c,
    )
    d.ellipse([*_at(b, 0.62, 0.24), *_at(b, 0.76, 0.38)], fill=c)


def _dinfo(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    """App info: an "i" in a circle, filled."""
    x, y, w, h, _ = _frame(b)
    d.ellipse([x + w * 0.06, y + h * 0.06, x + w * 0.94, y + h * 0.94], fill=c)
    hole = (255, 255, 255) if sum(c) < 384 else (40, 40, 40)
    d.rectangle([*_at(b, 0.44, 0.42), *_at(b, 0.56, 0.76)], fill=hole)
    d.ellipse([*_at(b, 0.43, 0.2), *_at(b, 0.57, 0.34)], fill=hole)


GLYPHS: dict[str, Painter] = {
    "message": _bubble,
    "calendar": _calendar,
    "pin": _pin,
    "place": lambda d, b, c: _pin_hole(d, b, c, (255, 255, 255)),
    "bag": _bag,
    "gift": _gift,
    "dialer": _dial,
    "apps": _grid,
    "bell": _bell,
    "storage": _storage,
    "volume": _speaker,
    "palette": _palette,
    "accessibility": _accessibility,
    "shield": _shield,
    "emergency": _asterisk,
    "key": _key,
    "wellbeing": _leaf,
    "system": _cog_i,
    "about": _handset,
    "notepad": _notepad,
    "contact": _contact,
    "camera_body": _shutter,
    "switch_camera": _switch_cam,
    "photo": _photo,
    "app_info": _dinfo,
}
