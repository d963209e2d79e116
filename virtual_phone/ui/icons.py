"""Simple icons drawn with PIL primitives, looked up by name."""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import ImageDraw

from .glyphs import GLYPHS

Color = tuple[int, int, int]
Box = tuple[int, int, int, int]
Painter = Callable[[ImageDraw.ImageDraw, Box, Color], None]


def _stroke(box: Box) -> int:
    """The line width of an icon drawn in `box`."""
    return max(3, (box[2] - box[0]) // 11)


def _arrow_left(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cy, w = (y0 + y1) // 2, _stroke(b)
    d.line([(x0 + 4, cy), (x1 - 4, cy)], fill=c, width=w)
    d.line([(x0 + 4, cy), ((x0 + x1) // 2, y0 + 6)], fill=c, width=w)
    d.line([(x0 + 4, cy), ((x0 + x1) // 2, y1 - 6)], fill=c, width=w)


def _nav_back(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    d.polygon(
        [(x0 + 8, (y0 + y1) // 2), (x1 - 8, y0 + 6), (x1 - 8, y1 - 6)], outline=c, width=_stroke(b)
    )


def _circle(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    d.ellipse([b[0] + 6, b[1] + 6, b[2] - 6, b[3] - 6], outline=c, width=_stroke(b))


def _square(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    d.rounded_rectangle(
        [b[0] + 10, b[1] + 10, b[2] - 10, b[3] - 10], radius=6, outline=c, width=_stroke(b)
    )


def _plus(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    cx, cy, w = (b[0] + b[2]) // 2, (b[1] + b[3]) // 2, _stroke(b) + 2
    d.line([(b[0] + 8, cy), (b[2] - 8, cy)], fill=c, width=w)
    d.line([(cx, b[1] + 8), (cx, b[3] - 8)], fill=c, width=w)


def _search(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    r = (x1 - x0) * 0.3
    cx, cy = x0 + (x1 - x0) * 0.42, y0 + (y1 - y0) * 0.42
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=c, width=_stroke(b))
    d.line([(cx + r * 0.7, cy + r * 0.7), (x1 - 6, y1 - 6)], fill=c, width=_stroke(b) + 2)


def _more(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    cx, r = (b[0] + b[2]) // 2, max(3, (b[2] - b[0]) // 14)
    for k in (0.25, 0.5, 0.75):
        cy = b[1] + (b[3] - b[1]) * k
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=c)


def _trash(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    w = _stroke(b)
    d.line([(x0 + 6, y0 + 14), (x1 - 6, y0 + 14)], fill=c, width=w)
    d.rectangle([x0 + (x1 - x0) * 0.38, y0 + 4, x0 + (x1 - x0) * 0.62, y0 + 14], outline=c, width=w)
    d.polygon(
        [(x0 + 12, y0 + 18), (x1 - 12, y0 + 18), (x1 - 16, y1 - 4), (x0 + 16, y1 - 4)],
        outline=c,
        width=w,
    )


def _phone(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.arc(
        [x0 + w * 0.1, y0 + h * 0.1, x1 + w * 0.5, y1 + h * 0.5],
        180,
        270,
        fill=c,
        width=_stroke(b) + 4,
    )
    d.ellipse([x0 + w * 0.05, y0 + h * 0.45, x0 + w * 0.3, y0 + h * 0.7], fill=c)
    d.ellipse([x0 + w * 0.45, y0 + h * 0.05, x0 + w * 0.7, y0 + h * 0.3], fill=c)


def _wifi(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, _, x1, y1 = b
    cx, by = (x0 + x1) / 2, y1 - 4
    for k in (0.9, 0.62, 0.34):
        r = (x1 - x0) / 2 * k
        d.arc([cx - r, by - r, cx + r, by + r], 225, 315, fill=c, width=_stroke(b))
    d.ellipse([cx - 4, by - 8, cx + 4, by], fill=c)


def _bluetooth(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cx, w = (x0 + x1) / 2, _stroke(b)
    top, bot = y0 + 4, y1 - 4
    lx, rx = x0 + (x1 - x0) * 0.28, x0 + (x1 - x0) * 0.72
    q1, q3 = y0 + (y1 - y0) * 0.3, y0 + (y1 - y0) * 0.7
    d.line([(cx, top), (cx, bot)], fill=c, width=w)
    d.line([(lx, q1), (rx, q3), (cx, bot)], fill=c, width=w)
    d.line([(lx, q3), (rx, q1), (cx, top)], fill=c, width=w)


def _battery(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    mx = (x0 + x1) // 2
    bw = (x1 - x0) * 0.28
    d.rectangle([mx - bw / 3, y0 + 2, mx + bw / 3, y0 + 7], fill=c)
    d.rectangle([mx - bw, y0 + 7, mx + bw, y1 - 2], fill=c)


def _gear(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 - 6
    for k in range(8):
        a = k * math.pi / 4
        d.line(
            [(cx, cy), (cx + r * math.cos(a), cy + r * math.sin(a))], fill=c, width=_stroke(b) + 4
        )
    d.ellipse([cx - r * 0.75, cy - r * 0.75, cx + r * 0.75, cy + r * 0.75], fill=c)
    hole = r * 0.3
    d.ellipse([cx - hole, cy - hole, cx + hole, cy + hole], fill=(255, 255, 255))


def _note(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    d.rounded_rectangle([x0 + 8, y0 + 4, x1 - 8, y1 - 4], radius=6, outline=c, width=_stroke(b))
    for k in (0.35, 0.55, 0.75):
        y = y0 + (y1 - y0) * k
        d.line([(x0 + 18, y), (x1 - 18, y)], fill=c, width=max(2, _stroke(b) - 1))


def _person(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.ellipse([x0 + w * 0.32, y0 + h * 0.08, x0 + w * 0.68, y0 + h * 0.44], fill=c)
    d.pieslice([x0 + w * 0.12, y0 + h * 0.52, x1 - w * 0.12, y1 + h * 0.4], 180, 360, fill=c)


def _globe(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    w = _stroke(b)
    d.ellipse([x0 + 4, y0 + 4, x1 - 4, y1 - 4], outline=c, width=w)
    d.ellipse([x0 + (x1 - x0) * 0.3, y0 + 4, x1 - (x1 - x0) * 0.3, y1 - 4], outline=c, width=w)
    cy = (y0 + y1) // 2
    d.line([(x0 + 4, cy), (x1 - 4, cy)], fill=c, width=w)


def _clock(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    d.ellipse([x0 + 4, y0 + 4, x1 - 4, y1 - 4], outline=c, width=_stroke(b))
    d.line([(cx, cy), (cx, y0 + (y1 - y0) * 0.25)], fill=c, width=_stroke(b))
    d.line([(cx, cy), (x0 + (x1 - x0) * 0.72, cy)], fill=c, width=_stroke(b))


def _camera(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle(
        [x0 + 4, y0 + h * 0.25, x1 - 4, y1 - 6], radius=8, outline=c, width=_stroke(b)
    )
    d.rectangle([x0 + w * 0.35, y0 + h * 0.12, x0 + w * 0.65, y0 + h * 0.25], fill=c)
    r = w * 0.17
    cx, cy = (x0 + x1) / 2, y0 + h * 0.6
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=c, width=_stroke(b))


def _check(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    d.line(
        [
            (x0 + w * 0.15, y0 + h * 0.55),
            (x0 + w * 0.42, y0 + h * 0.8),
            (x1 - w * 0.12, y0 + h * 0.22),
        ],
        fill=c,
        width=_stroke(b) + 2,
    )


def _close(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    w = _stroke(b) + 1
    d.line([(b[0] + 10, b[1] + 10), (b[2] - 10, b[3] - 10)], fill=c, width=w)
    d.line([(b[0] + 10, b[3] - 10), (b[2] - 10, b[1] + 10)], fill=c, width=w)


def _moon(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    d.chord([x0 + 6, y0 + 6, x1 - 6, y1 - 6], 60, 300, fill=c)


def _sun(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
    d.ellipse([cx - r * 0.45, cy - r * 0.45, cx + r * 0.45, cy + r * 0.45], fill=c)
    for k in range(8):
        a = k * math.pi / 4
        d.line(
            [
                (cx + r * 0.6 * math.cos(a), cy + r * 0.6 * math.sin(a)),
                (cx + r * 0.9 * math.cos(a), cy + r * 0.9 * math.sin(a)),
            ],
            fill=c,
            width=_stroke(b),
        )


def _info(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cx = (x0 + x1) // 2
    d.ellipse([x0 + 4, y0 + 4, x1 - 4, y1 - 4], outline=c, width=_stroke(b))
    d.line([(cx, y0 + (y1 - y0) * 0.45), (cx, y1 - (y1 - y0) * 0.25)], fill=c, width=_stroke(b) + 1)
    d.ellipse([cx - 3, y0 + (y1 - y0) * 0.25, cx + 3, y0 + (y1 - y0) * 0.25 + 6], fill=c)


def _mail(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    h = y1 - y0
    d.rectangle([x0 + 4, y0 + h * 0.2, x1 - 4, y1 - h * 0.2], outline=c, width=_stroke(b))
    d.line(
        [(x0 + 4, y0 + h * 0.2), ((x0 + x1) / 2, y0 + h * 0.55), (x1 - 4, y0 + h * 0.2)],
        fill=c,
        width=_stroke(b),
    )


def _backspace(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cy = (y0 + y1) // 2
    d.polygon(
        [(x0 + 4, cy), (x0 + 18, y0 + 8), (x1 - 4, y0 + 8), (x1 - 4, y1 - 8), (x0 + 18, y1 - 8)],
        outline=c,
        width=_stroke(b),
    )
    _close(d, (x0 + 16, y0 + 8, x1 - 2, y1 - 8), c)


def _shift(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cx, w, h = (x0 + x1) / 2, x1 - x0, y1 - y0
    d.polygon(
        [
            (cx, y0 + 6),
            (x1 - 6, y0 + h * 0.5),
            (x0 + w * 0.68, y0 + h * 0.5),
            (x0 + w * 0.68, y1 - 6),
            (x0 + w * 0.32, y1 - 6),
            (x0 + w * 0.32, y0 + h * 0.5),
            (x0 + 6, y0 + h * 0.5),
        ],
        outline=c,
        width=_stroke(b),
    )


def _enter(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cy, w = y0 + (y1 - y0) * 0.62, _stroke(b)
    d.line([(x1 - 8, y0 + 8), (x1 - 8, cy), (x0 + 8, cy)], fill=c, width=w)
    d.line([(x0 + 8, cy), (x0 + 22, cy - 14)], fill=c, width=w)
    d.line([(x0 + 8, cy), (x0 + 22, cy + 14)], fill=c, width=w)


def _edit(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    d.line([(x0 + 10, y1 - 10), (x1 - 10, y0 + 10)], fill=c, width=_stroke(b) + 4)
    d.polygon([(x0 + 6, y1 - 6), (x0 + 8, y1 - 18), (x0 + 18, y1 - 8)], fill=c)


def _star(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    cx, cy, r = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2, (b[2] - b[0]) / 2 - 4
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.45
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    d.polygon(pts, fill=c)


def _refresh(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    d.arc([b[0] + 8, b[1] + 8, b[2] - 8, b[3] - 8], 40, 340, fill=c, width=_stroke(b))
    d.polygon([(b[2] - 6, b[1] + 10), (b[2] - 6, b[1] + 30), (b[2] - 26, b[1] + 22)], fill=c)


def _plane(d: ImageDraw.ImageDraw, b: Box, c: Color) -> None:
    x0, y0, x1, y1 = b
    cx, w, h = (x0 + x1) / 2, x1 - x0, y1 - y0
    d.polygon(
        [
            (cx, y0 + 4),
            (cx + w * 0.08, y0 + h * 0.4),
            (x1 - 4, y0 + h * 0.6),
            (cx + w * 0.08, y0 + h * 0.55),
            (cx + w * 0.06, y1 - 14),
            (cx + w * 0.2, y1 - 4),
            (cx - w * 0.2, y1 - 4),
            (cx - w * 0.06, y1 - 14),
            (cx - w * 0.08, y0 + h * 0.55),
            (x0 + 4, y0 + h * 0.6),
            (cx - w * 0.08, y0 + h * 0.4),
        ],
        fill=c,
    )


ICONS: dict[str, Painter] = {
    "arrow_back": _arrow_left,
    "nav_back": _nav_back,
    "nav_home": _circle,
    "nav_recents": _square,
    "add": _plus,
    "search": _search,
    "more": _more,
    "delete": _trash,
    "call": _phone,
    "phone": _phone,
    "wifi": _wifi,
    "bluetooth": _bluetooth,
    "battery": _battery,
    "settings": _gear,
    "notes": _note,
    "person": _person,
    "contacts": _person,
    "globe": _globe,
    "browser": _globe,
    "clock": _clock,
    "camera": _camera,
    "check": _check,
    "close": _close,
    "moon": _moon,
    "sun": _sun,
    "info": _info,
    "email": _mail,
    "backspace": _backspace,
    "shift": _shift,
    "enter": _enter,
    "edit": _edit,
    "star": _star,
    "refresh": _refresh,
    "airplane": _plane,
    **GLYPHS,
}


def draw_icon(draw: ImageDraw.ImageDraw, name: str, box: Box, color: Color) -> None:
    """Draw icon `name` inside `box` (unknown names draw a small square outline)."""
    ICONS.get(name, _square)(draw, box, color)
