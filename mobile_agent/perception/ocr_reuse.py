"""OCR that reads only what changed: text of regions whose pixels equal the previous
screenshot's is reused; changed regions are read again.

Rows of `TILE` pixels are compared first; each run of changed rows, narrowed to the columns
that changed (plus a margin), is a region. Regions grow until no previous text line
straddles their edge (a changed digit is read again with the rest of its line) and merge
where they meet; only the regions are recognised, and the previous lines outside them are
kept. When the regions cover most of the screen (a scroll, a new screen), the whole
screenshot is read as before. Reuse compares pixels, never screens' identities, so it
stays correct whatever was captured in between.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image

from mobile_agent.perception.elements import BoundingBox
from mobile_agent.perception.ocr import OcrBox, OcrEngine

log = logging.getLogger(__name__)

TILE = 32  # px
FULL_SHARE = 0.5  # regions covering more of the screen than this: read the whole screenshot
MARGIN = 8  # px added above and below each region
SIDE_MARGIN = 24  # px added left and right of each region


@dataclass
class ReuseStats:
    """What the reusing engine did: screenshots read whole, in regions, or not at all."""

    full: int = 0
    partial: int = 0
    reused: int = 0
    pixels_read: int = 0  # pixels recognised, all calls together
    pixels_seen: int = 0  # pixels of all screenshots asked about


@dataclass
class _Frame:
    pixels: np.ndarray
    boxes: list[OcrBox]


@dataclass
class ReusingOcr:
    """An `OcrEngine` that recognises only the regions changed since its last screenshot."""

    engine: OcrEngine
    stats: ReuseStats = field(default_factory=ReuseStats)
    _last: _Frame | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or self.engine.name

    def recognize(self, png: bytes) -> list[OcrBox]:
        """Text boxes of `png`, reusing the previous screenshot's where pixels are equal."""
        pixels = _decode(png)
        area = pixels.shape[0] * pixels.shape[1]
        with self._lock:
            last = self._last
            self.stats.pixels_seen += area
            regions = changed_regions(last.pixels, pixels, last.boxes) if last else None
            if last is None or regions is None or _area(regions) > FULL_SHARE * area:
                boxes = self.engine.recognize(png)
                self.stats.full += 1
                self.stats.pixels_read += area
            elif not regions:
                boxes = list(last.boxes)
                self.stats.reused += 1
            else:
                boxes = self._read_regions(pixels, last.boxes, regions)
            self._last = _Frame(pixels, boxes)
            return list(boxes)

    def forget(self) -> None:
        """Drop the previous screenshot (the next call reads everything)."""
        with self._lock:
            self._last = None

    def _read_regions(
        self, pixels: np.ndarray, previous: list[OcrBox], regions: list[BoundingBox]
    ) -> list[OcrBox]:
        kept = [b for b in previous if not any(b.bounds.intersection(r) for r in regions)]
        fresh: list[OcrBox] = []
        for r in regions:
            crop = _encode(pixels[r.y1 : r.y2, r.x1 : r.x2])
            fresh.extend(_shifted(box, r.x1, r.y1) for box in self.engine.recognize(crop))
        self.stats.partial += 1
        self.stats.pixels_read += _area(regions)
        log.debug("OCR read %d regions, kept %d lines", len(regions), len(kept))
        return sorted([*kept, *fresh], key=lambda b: (b.bounds.y1, b.bounds.x1))


def _decode(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as img:
        return np.asarray(img.convert("RGB"))


def _encode(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _area(regions: list[BoundingBox]) -> int:
    return sum(r.area for r in regions)


def changed_regions(
    before: np.ndarray, after: np.ndarray, lines: Sequence[OcrBox] = ()
) -> list[BoundingBox] | None:
    """Boxes to read again: changed pixels, grown over the previous text `lines` they touch;
    [] when nothing changed, None when the screenshots cannot be compared (sizes differ)."""
    if before.shape != after.shape:
        return None
    height, width = after.shape[:2]
    rows = np.any(before.reshape(height, -1) != after.reshape(height, -1), axis=1)
    regions = []
    for top, bottom in _runs(rows):
        columns = np.flatnonzero(np.any(before[top:bottom] != after[top:bottom], axis=(0, 2)))
        regions.append(
            BoundingBox(
                max(0, int(columns[0]) - SIDE_MARGIN),
                max(0, top - MARGIN),
                min(width, int(columns[-1]) + 1 + SIDE_MARGIN),
                min(height, bottom + MARGIN),
            )
        )
    return _grow(regions, [b.bounds for b in lines], (width, height))


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Row ranges of changed `TILE`-row blocks, neighbouring blocks joined."""
    height = rows.shape[0]
    blocks = -(-height // TILE)
    padded = np.zeros(blocks * TILE, dtype=bool)
    padded[:height] = rows
    runs: list[tuple[int, int]] = []
    for index in np.flatnonzero(padded.reshape(blocks, TILE).any(axis=1)).tolist():
        top, bottom = index * TILE, min(height, (index + 1) * TILE)
        if runs and top <= runs[-1][1]:
            runs[-1] = (runs[-1][0], bottom)
        else:
            runs.append((top, bottom))
    return runs


def _grow(
    regions: list[BoundingBox], lines: list[BoundingBox], size: tuple[int, int]
) -> list[BoundingBox]:
    """Regions widened over every text line they touch, merged where they overlap."""
    width, height = size
    changed = True
    while changed:
        changed = False
        for index, region in enumerate(regions):
            grown = region
            for line in lines:
                if line.intersection(grown):
                    grown = _union(grown, _pad(line, width, height))
            others = [o for o in regions[index + 1 :] if o.intersection(grown)]
            for other in others:
                grown = _union(grown, other)
            if grown != region or others:
                regions = [r for r in regions if all(r is not o for o in others)]
                regions[index] = grown
                changed = True
                break
    return regions


def _pad(box: BoundingBox, width: int, height: int) -> BoundingBox:
    return BoundingBox(
        max(0, box.x1 - MARGIN),
        max(0, box.y1 - MARGIN),
        min(width, box.x2 + MARGIN),
        min(height, box.y2 + MARGIN),
    )


def _union(a: BoundingBox, b: BoundingBox) -> BoundingBox:
    return BoundingBox(min(a.x1, b.x1), min(a.y1, b.y1), max(a.x2, b.x2), max(a.y2, b.y2))


def _shifted(box: OcrBox, dx: int, dy: int) -> OcrBox:
    b = box.bounds
    return replace(box, bounds=BoundingBox(b.x1 + dx, b.y1 + dy, b.x2 + dx, b.y2 + dy))


_wrappers: dict[int, ReusingOcr] = {}
_wrappers_lock = threading.Lock()


def reusing(engine: OcrEngine) -> OcrEngine:
    """The shared reusing wrapper of `engine` (itself, when it already reuses)."""
    if isinstance(engine, ReusingOcr):
        return engine
    with _wrappers_lock:
        wrapper = _wrappers.get(id(engine))
        if wrapper is None or wrapper.engine is not engine:
            wrapper = _wrappers[id(engine)] = ReusingOcr(engine)
        return wrapper
