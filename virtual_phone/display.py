"""The display: its size in pixels, its density, and the layout units the UI is built in.

Views are sized in layout units: pixels of the reference screen, 1080 pixels wide at
440 dpi (2.75 px per dp). A display of another width keeps the same width in dp, with its
density scaled to match (720 pixels wide: 293 dpi), as phones of one model line do; its
height in layout units follows its own aspect ratio, so a longer screen shows more rows.
Touches arrive in pixels and are turned into layout units; node bounds, drawn texts and the
screenshot leave in pixels. At the reference width nothing is converted.

    Display(720, 1600).layout_size   # (1080, 2400)
    Display.parse("720x1600")         # Display(width=720, height=1600)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image

from .contract import DENSITY_DPI, HEIGHT, WIDTH

Rect = tuple[int, int, int, int]

MIN_WIDTH = 320
MAX_SIDE = 4096
MIN_ASPECT = 4 / 3  # height / width: portrait, with room for the keyboard and the bars
_SIZE = re.compile(r"^\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*$")


@dataclass(frozen=True)
class Display:
    """A portrait screen of `width` × `height` pixels (`ValueError` when unusable)."""

    width: int = WIDTH
    height: int = HEIGHT

    def __post_init__(self) -> None:
        problem = size_problem(self.width, self.height)
        if problem:
            raise ValueError(problem)

    @classmethod
    def parse(cls, text: str) -> Display:
        """A display from "WIDTHxHEIGHT" text, e.g. "720x1600"."""
        match = _SIZE.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a screen size; write WIDTHxHEIGHT, e.g. 720x1600")
        return cls(int(match[1]), int(match[2]))

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return (self.width, self.height)

    @property
    def scale(self) -> float:
        """Pixels per layout unit."""
        return self.width / WIDTH

    @property
    def scaled(self) -> bool:
        """Whether pixels and layout units differ (any width but the reference one)."""
        return self.width != WIDTH

    @property
    def density_dpi(self) -> int:
        """Dots per inch, as `wm density` reports them."""
        return DENSITY_DPI if not self.scaled else round(DENSITY_DPI * self.scale)

    @property
    def layout_size(self) -> tuple[int, int]:
        """(width, height) in layout units: what the windows are laid out in."""
        if not self.scaled:
            return self.size
        return (WIDTH, round(self.height / self.scale))

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
        """An image drawn in layout units, resampled to the display's pixels."""
        if not self.scaled:
            return image
        return image.resize(self.size, Image.Resampling.LANCZOS)


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
