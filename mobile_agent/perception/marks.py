"""Set-of-marks: the screenshot with every element boxed and numbered."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from mobile_agent.perception.elements import BoundingBox, Source, UIElement

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/Library/Fonts/DejaVuSans-Bold.ttf",
)
_PALETTE = (
    (230, 25, 75), (0, 130, 200), (245, 130, 48), (60, 180, 75), (145, 30, 180),
    (0, 128, 128), (170, 110, 40), (128, 0, 0), (0, 0, 128), (240, 50, 230),
)  # fmt: skip
_OCR_COLOR = (90, 90, 90)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Rect = tuple[int, int, int, int]


@lru_cache(maxsize=8)
def _font(size: int) -> Font:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def draw_marks(png: bytes, elements: Sequence[UIElement]) -> bytes:
    """A PNG of the same size as `png` with a numbered box around each element.

    Boxes are drawn first and labels last, so no box crosses a number; each label takes
    the first free corner of its box (outside top-left, inside top-left, …).
    """
    with Image.open(io.BytesIO(png)) as source:
        image = source.convert("RGB")
    draw = ImageDraw.Draw(image)
    scale = min(image.width, image.height) / 1080
    font = _font(max(10, round(28 * scale)))
    line = max(1, round(3 * scale))
    colors = [_color(el) for el in elements]
    for el, color in zip(elements, colors, strict=True):
        b = el.bounds
        draw.rectangle(
            (b.x1, b.y1, max(b.x1, b.x2 - 1), max(b.y1, b.y2 - 1)), outline=color, width=line
        )
    placed: list[Rect] = []
    for el, color in zip(elements, colors, strict=True):
        _label(draw, image.size, el, color, font, placed)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def _color(el: UIElement) -> tuple[int, int, int]:
    return _OCR_COLOR if el.source is Source.OCR else _PALETTE[el.id % len(_PALETTE)]


def _label(
    draw: ImageDraw.ImageDraw,
    size: tuple[int, int],
    el: UIElement,
    color: tuple[int, int, int],
    font: Font,
    placed: list[Rect],
) -> None:
    text = str(el.id)
    left, top, right, bottom = (round(v) for v in draw.textbbox((0, 0), text, font=font))
    pad = max(1, (bottom - top) // 6)
    w, h = right - left + 2 * pad, bottom - top + 2 * pad
    spots = _spots(el.bounds, w, h, size)
    spot = next((s for s in spots if not any(_overlap(s, p) for p in placed)), spots[0])
    placed.append(spot)
    draw.rectangle(spot, fill=color)
    draw.text((spot[0] + pad - left, spot[1] + pad - top), text, fill=(255, 255, 255), font=font)


def _spots(b: BoundingBox, w: int, h: int, size: tuple[int, int]) -> list[Rect]:
    """Candidate label rectangles around a box, clamped to the image."""
    width, height = size
    corners = [
        (b.x1, b.y1 - h),  # above, left
        (b.x1, b.y1),  # inside, top-left
        (b.x2 - w, b.y1),  # inside, top-right
        (b.x1, b.y2 - h),  # inside, bottom-left
        (b.x2 - w, b.y2 - h),  # inside, bottom-right
        (b.x1, b.y2),  # below, left
    ]
    spots = []
    for x, y in corners:
        x = min(max(0, x), max(0, width - w))
        y = min(max(0, y), max(0, height - h))
        spots.append((x, y, x + w, y + h))
    return spots


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
