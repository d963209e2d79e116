"""The display: its size in pixels, its density, and the layout units the UI is built in.

Views are sized in layout units: pixels of the reference screen, a Pixel 7's 1080 × 2400 at
420 dpi (2.625 px per dp). A display of another density has `density / 420` pixels per
layout unit, so it shows the same dp layout a phone of that density shows: 720 × 1600 at
320 dpi is 945 × 2100 layout units (360 × 800 dp). Without a density, a display keeps the
reference width in dp (720 pixels wide: 280 dpi), as phones of one model line do. The height
in layout units follows the aspect ratio, so a longer screen shows more rows.

The display is portrait; rotated a quarter turn (rotation 1 or 3) the UI is laid out in the
swapped size. Touches arrive in pixels of the current rotation and are turned into layout
units; node bounds, drawn texts and the screenshot leave in pixels.

    Display(720, 1600).layout_size              # (1080, 2400)
    Display(720, 1600, 320).layout_size_at(1)   # (2100, 945)
    Display.parse("720x1600")                    # Display(width=720, height=1600)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image

from .contract import DENSITY_DPI, HEIGHT, WIDTH  # the reference: a Pixel 7

Rect = tuple[int, int, int, int]

MIN_WIDTH = 320
MAX_SIDE = 4096
MIN_ASPECT = 4 / 3  # height / width: portrait, with room for the keyboard and the bars
MIN_DENSITY, MAX_DENSITY = 120, 800
MIN_LAYOUT_WIDTH = 720  # layout units (274 dp): the narrowest the apps are laid out in
_SIZE = re.compile(r"^\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*$")


@dataclass(frozen=True)
class Display:
    """A portrait screen of `width` × `height` pixels at `density` dpi (default: the
    reference width in dp); `ValueError` when unusable."""

    width: int = WIDTH
    height: int = HEIGHT
    density: int | None = None

    def __post_init__(self) -> None:
        problem = size_problem(self.width, self.height) or density_problem(self.width, self.density)
        if problem:
            raise ValueError(problem)

    @classmethod
    def parse(cls, text: str, density: int | None = None) -> Display:
        """A display from "WIDTHxHEIGHT" text, e.g. "720x1600"."""
        match = _SIZE.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a screen size; write WIDTHxHEIGHT, e.g. 720x1600")
        return cls(int(match[1]), int(match[2]), density)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return (self.width, self.height)

    @property
    def scale(self) -> float:
        """Pixels per layout unit."""
        return self.density_dpi / DENSITY_DPI

    @property
    def scaled(self) -> bool:
        """Whether pixels and layout units differ (any density but the reference one)."""
        return self.density_dpi != DENSITY_DPI

    @property
    def density_dpi(self) -> int:
        """Dots per inch, as `wm density` reports them."""
        if self.density is not None:
            return self.density
        return round(DENSITY_DPI * self.width / WIDTH)

    @property
    def layout_size(self) -> tuple[int, int]:
        """(width, height) in layout units, portrait: what the windows are laid out in."""
        if not self.scaled:
            return self.size
        return (round(self.width / self.scale), round(self.height / self.scale))

    def size_at(self, rotation: int) -> tuple[int, int]:
        """(width, height) in pixels in a rotation (0–3): swapped a quarter turn round."""
        return (self.height, self.width) if rotation % 2 else self.size

    def layout_size_at(self, rotation: int) -> tuple[int, int]:
        """(width, height) in layout units in a rotation (0–3)."""
        width, height = self.layout_size
        return (height, width) if rotation % 2 else (width, height)

    def to_layout(self, x: float, y: float) -> tuple[float, float]:
        """A touch point in pixels, in layout units."""
        if not self.scaled:
            return (x, y)
        return (x / self.scale, y / self.scale)

    def to_pixels(self, rect: Rect) -> Rect:
        """A rectangle in layout units, in pixels."""
        if not self.scaled:
            return rect
        s = self.scale
        left, top, right, bottom = rect
        return (round(left * s), round(top * s), round(right * s), round(bottom * s))

    def to_screen(self, image: Image.Image) -> Image.Image:
        """An image drawn in layout units, resampled to the display's pixels (landscape
        when the image is)."""
        if not self.scaled:
            return image
        return image.resize(self.size_at(int(image.width > image.height)), Image.Resampling.LANCZOS)


def density_problem(width: int, density: int | None) -> str:
    """Why a density cannot be simulated on a screen `width` pixels wide ("" when it can)."""
    if density is None:
        return ""
    if not isinstance(density, int) or not MIN_DENSITY <= density <= MAX_DENSITY:
        return f"a density of {density!r} dpi is not supported: use {MIN_DENSITY}–{MAX_DENSITY}"
    if width * DENSITY_DPI / density < MIN_LAYOUT_WIDTH:
        widest = width * DENSITY_DPI // MIN_LAYOUT_WIDTH
        return (
            f"{density} dpi is too dense for a {width}-pixel-wide screen: the apps need "
            f"{MIN_LAYOUT_WIDTH * 160 // DENSITY_DPI} dp of width (at most {widest} dpi)"
        )
    return ""


def size_problem(width: int, height: int) -> str:
    """Why a screen of `width` × `height` pixels cannot be simulated ("" when it can)."""
    if not (isinstance(width, int) and isinstance(height, int)):
        return f"a screen size is two whole numbers of pixels, not {width!r} × {height!r}"
    if not (MIN_WIDTH <= width <= MAX_SIDE and height <= MAX_SIDE):
        return (
            f"a {width}x{height} screen is not supported: the width must be "
            f"{MIN_WIDTH}–{MAX_SIDE} pixels and the height at most {MAX_SIDE}"
        )
    if height < width * MIN_ASPECT:
        return (
            f"a {width}x{height} screen is not supported: the phone is portrait, at least "
            f"4:3 (height ≥ {round(width * MIN_ASPECT)} for that width)"
        )
    return ""
