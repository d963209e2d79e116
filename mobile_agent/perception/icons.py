"""Icons no hierarchy node or OCR line explains: found in the screenshot's pixels, named by a
`Captioner` (see `perception.captioners`).

Detection is classical: on a greyscale copy downscaled to `WORK_WIDTH`, pixels where the
brightness jumps form an edge mask; a small dilation joins an icon's strokes; connected
components of icon-like size and aspect become candidates. Candidates that overlap a labelled
hierarchy element or an OCR line are explained already and dropped, and a candidate inside
another candidate is part of it (a glyph on its filled circle).
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from mobile_agent.perception.elements import BoundingBox, Source, UIElement

log = logging.getLogger(__name__)

WORK_WIDTH = 360  # px; detection runs on a copy this wide (or the original, if narrower)
EDGE_STEP = 28  # brightness jump (0..255) between neighbours that counts as an edge
MIN_SIDE = 0.025  # an icon's longer side, as a share of the screen width (27 px at 1080)
MAX_SIDE = 0.2  # ... and at most this share (216 px at 1080)
MAX_ASPECT = 2.0  # longer side / shorter side
EXPLAINED_OVERLAP = 0.3  # share of a candidate covered by a labelled element or OCR line
LABELLED_MAX_SHARE = 0.05  # labelled elements larger than this share of the screen explain nothing
STRADDLE = 0.7  # a candidate less inside an element than this share straddles its edge
EDGE_SLACK = 3  # px; a candidate this close to an element's edge lies along its outline
MAX_ICONS = 32  # most icons taken from one screen (the largest first)
CROP_PAD = 0.15  # crops include this share of the icon's size around it
ICON_CLASS = "Icon"


@dataclass(frozen=True, slots=True)
class IconCrop:
    """One detected icon: where it is and its pixels (a PNG), keyed by their hash."""

    bounds: BoundingBox
    png: bytes
    key: str


def find_icon_regions(
    png: bytes,
    *,
    within: Sequence[BoundingBox] = (),
    explained: Sequence[BoundingBox] = (),
    outlines: Sequence[BoundingBox] = (),
) -> list[BoundingBox]:
    """Boxes (screenshot pixels) of icon-like shapes, largest first.

    `within`: only candidates whose centre lies in one of these boxes (all, when empty).
    `explained`: boxes of labelled elements and OCR lines; candidates they cover are dropped.
    `outlines`: boxes of elements; a candidate straddling or lying along the edge of a larger
    one is a piece of its outline (a rounded corner), not an icon.
    """
    with Image.open(io.BytesIO(png)) as img:
        grey = img.convert("L")
    width, height = grey.size
    if width < 8 or height < 8:
        return []
    scale = min(1.0, WORK_WIDTH / width)
    small = grey.resize((max(1, round(width * scale)), max(1, round(height * scale))))
    boxes = [_to_screen(b, scale, (width, height)) for b in _components(np.asarray(small))]
    low, high = MIN_SIDE * width, MAX_SIDE * width
    found = [
        b
        for b in boxes
        if _icon_shaped(b, low, high)
        and (not within or any(w.contains_point(*b.center) for w in within))
        and not any(b.intersection(e) >= EXPLAINED_OVERLAP * b.area for e in explained)
        and not any(_on_outline(b, o) for o in outlines)
    ]
    found = [b for b in found if not any(o != b and _inside(b, o) for o in found)]
    found.sort(key=lambda b: -b.area)
    return found[:MAX_ICONS]


def _components(grey: np.ndarray) -> list[BoundingBox]:
    """Bounding boxes of the connected edge regions of a greyscale array."""
    import cv2

    level = grey.astype(np.int16)
    edges = np.zeros(level.shape, dtype=np.uint8)
    edges[:, 1:] |= (np.abs(np.diff(level, axis=1)) >= EDGE_STEP).astype(np.uint8)
    edges[1:, :] |= (np.abs(np.diff(level, axis=0)) >= EDGE_STEP).astype(np.uint8)
    joined = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=1)
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    height, width = grey.shape
    return [
        BoundingBox(int(x), int(y), int(x + w), int(y + h))
        for x, y, w, h, _ in stats[1:count].tolist()
        if sum((x == 0, y == 0, x + w == width, y + h == height)) < 2  # not a screen corner
    ]


def _to_screen(box: BoundingBox, scale: float, size: tuple[int, int]) -> BoundingBox:
    return BoundingBox(
        max(0, int(box.x1 / scale)),
        max(0, int(box.y1 / scale)),
        min(size[0], round(box.x2 / scale)),
        min(size[1], round(box.y2 / scale)),
    )


def _icon_shaped(box: BoundingBox, low: float, high: float) -> bool:
    long_side, short_side = max(box.width, box.height), min(box.width, box.height)
    return (
        low <= long_side <= high
        and short_side >= low / 2  # not a sliver of a larger outline
        and long_side <= MAX_ASPECT * max(1, short_side)
    )


def _on_outline(box: BoundingBox, element: BoundingBox) -> bool:
    """Whether `box` straddles the edge of a larger element or lies along it."""
    shared = box.intersection(element)
    if not shared or element.area < 4 * box.area:
        return False
    along = min(
        abs(box.x1 - element.x1),
        abs(box.x2 - element.x2),
        abs(box.y1 - element.y1),
        abs(box.y2 - element.y2),
    )
    return shared < STRADDLE * box.area or along <= EDGE_SLACK


def _inside(inner: BoundingBox, outer: BoundingBox) -> bool:
    return inner.intersection(outer) >= 0.9 * inner.area and outer.area > inner.area


def explaining_boxes(elements: Sequence[UIElement], screen_area: int) -> list[BoundingBox]:
    """Boxes of the elements that already say what their pixels show: labelled, and not
    so large that everything drawn inside them would count as explained."""
    limit = LABELLED_MAX_SHARE * max(1, screen_area)
    return [e.bounds for e in elements if (e.text or e.description) and e.bounds.area <= limit]


def crop_icons(png: bytes, regions: Sequence[BoundingBox]) -> list[IconCrop]:
    """The regions cut out of the screenshot (a little margin around each), as PNGs."""
    with Image.open(io.BytesIO(png)) as img:
        rgb = img.convert("RGB")
    crops = []
    for box in regions:
        pad = round(CROP_PAD * max(box.width, box.height))
        area = (
            max(0, box.x1 - pad),
            max(0, box.y1 - pad),
            min(rgb.width, box.x2 + pad),
            min(rgb.height, box.y2 + pad),
        )
        piece = rgb.crop(area)
        key = hashlib.blake2b(piece.tobytes(), digest_size=16).hexdigest() + f"{piece.size}"
        out = io.BytesIO()
        piece.save(out, format="PNG")
        crops.append(IconCrop(box, out.getvalue(), key))
    return crops


def icon_elements(
    crops: Sequence[IconCrop], captions: Sequence[str], elements: Sequence[UIElement], by: str
) -> tuple[list[UIElement], list[UIElement]]:
    """(`elements` with unlabelled controls around an icon named by its caption, the icons
    no element holds as new `Source.ICON` elements)."""
    updated = list(elements)
    added: list[UIElement] = []
    for crop, caption in zip(crops, captions, strict=True):
        index = _unlabelled_holder(crop.bounds, updated)
        if index is not None and caption:
            extras = {**updated[index].extras, "icon_caption": by}
            updated[index] = replace(updated[index], description=caption, extras=extras)
            continue
        if index is not None:
            continue
        x, y = crop.bounds.center
        holders = [e for e in updated if e.bounds.contains_point(x, y)]
        holder = min(holders, key=lambda e: e.bounds.area, default=None)
        added.append(
            UIElement(
                id=0,
                bounds=crop.bounds,
                description=caption,
                class_name=ICON_CLASS,
                package=holder.package if holder is not None else "",
                clickable=True,
                source=Source.ICON,
                extras={"captioner": by},
            )
        )
    return updated, added


def _unlabelled_holder(box: BoundingBox, elements: Sequence[UIElement]) -> int | None:
    """The index of an unlabelled control about the icon's size that holds it, if any."""
    for index, element in enumerate(elements):
        if element.text or element.description:
            continue
        holds = _inside(box, element.bounds) or element.bounds == box
        if holds and element.bounds.area <= 4 * max(1, box.area):
            return index
    return None
