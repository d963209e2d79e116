"""Set-of-marks: the screenshot with every element boxed and numbered."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from mobile_agent.perception.elements import Source, UIElement

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Bold.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)
_COLORS = {Source.HIERARCHY: (220, 20, 60), Source.OCR: (0, 120, 255), Source.ICON: (0, 160, 80)}


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def draw_marks(png: bytes, elements: list[UIElement]) -> bytes:
    """PNG of the same size as `png` with a numbered box around each element."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    draw = ImageDraw.Draw(image)
    scale = max(image.width, image.height) / 2400
    font = _font(max(12, round(30 * scale)))
    line = max(1, round(4 * scale))
    for el in elements:
        color = _COLORS.get(el.source, _COLORS[Source.HIERARCHY])
        b = el.bounds
        draw.rectangle((b.x1, b.y1, b.x2 - 1, b.y2 - 1), outline=color, width=line)
        label = str(el.id)
        left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
        w, h = right - left + 2 * line, bottom - top + 2 * line
        x = min(max(b.x1, 0), image.width - w)
        y = b.y1 - h if b.y1 - h >= 0 else b.y1
        draw.rectangle((x, y, x + w, y + h), fill=color)
        draw.text((x + line - left, y + line - top), label, fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=1)
    return out.getvalue()
