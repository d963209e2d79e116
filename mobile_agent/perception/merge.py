"""Merging OCR text with hierarchy elements: no duplicates, OCR-only text kept with its box.

OCR text is normalised first (NFKC, common character variants, whitespace), so a forced OCR
pass does not repeat hierarchy text that differs only by a variant form (爲 / 為). Text read
off a large picture (a poster, a cover) is kept as "image text": information, not a control.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from mobile_agent.perception.elements import FOLD_SEPARATOR, BoundingBox, Source, UIElement
from mobile_agent.perception.ocr import OcrBox
from mobile_agent.perception.ordering import renumber

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
MIN_OVERLAP = 0.3  # share of the smaller box that must overlap to compare OCR with an element
MIN_NEW_SCORE = 0.7  # OCR text the hierarchy lacks is added only above this confidence
FUZZY_RATIO = 0.8  # difflib ratio above which two normalised texts count as the same
LEFTOVER = 0.2  # share of OCR characters left unexplained by nearby elements → new text
IMAGE_MIN_SHARE = 0.1  # OCR lines inside an image larger than this share of the screen
_IMAGE_CLASS = re.compile(r"ImageView|Image$|Picture|Poster|Thumbnail", re.I)
# variant forms → the form used for comparison (common 異體字 pairs OCR models mix up)
_VARIANT_PAIRS = (  # variant form → the form used for comparison
    "爲為 僞偽 眞真 敎教 衆眾 綫線 裏裡 峯峰 吿告 戶户 旣既 卽即 羣群 汙污 汚污 箇個 脣唇 "
    "蹟跡 鉤鈎 內内 説說 稅税 兌兑 黃黄 緖緒 淸清 靑青 値值 强強 啓啟 册冊 廐廄 匀勻"
)
VARIANTS = str.maketrans({pair[0]: pair[1] for pair in _VARIANT_PAIRS.split()})


def clean_text(text: str) -> str:
    """OCR text as shown: NFKC (full-width forms, ligatures) and single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def normalize(text: str) -> str:
    """Case, width, character variants and punctuation folded, for comparing texts."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(VARIANTS)
    return _NON_WORD.sub("", folded)


def merge_ocr(
    elements: list[UIElement], boxes: list[OcrBox], screen_size: tuple[int, int] | None = None
) -> list[UIElement]:
    """Hierarchy elements plus the OCR text they do not already hold, renumbered.

    OCR text that repeats an overlapping element's text or description (exactly, as a
    fragment, as a concatenation of several elements, or with small recognition errors) is
    dropped. The rest becomes `Source.OCR` elements, words on one line grouped together.
    """
    cleaned = [replace(b, text=clean_text(b.text)) for b in boxes]
    fresh = [b for b in cleaned if _plausible(b) and not _is_duplicate(b, elements)]
    added = [_ocr_element(line, elements) for line in _group_lines(fresh)]
    return renumber([*elements, *_image_text(added, elements, screen_size)])


def _image_text(
    added: list[UIElement], elements: Sequence[UIElement], size: tuple[int, int] | None
) -> list[UIElement]:
    """OCR lines lying inside a large picture, flagged as its text (never controls)."""
    width, height = size or (
        max((e.bounds.x2 for e in elements), default=0),
        max((e.bounds.y2 for e in elements), default=0),
    )
    screen = width * height
    pictures = [
        e.bounds
        for e in elements
        if _IMAGE_CLASS.search(e.class_name) and e.bounds.area >= IMAGE_MIN_SHARE * screen > 0
    ]
    return [
        replace(el, extras={**el.extras, "image_text": True})
        if any(p.contains_point(*el.bounds.center) for p in pictures)
        else el
        for el in added
    ]


def _plausible(box: OcrBox) -> bool:
    """Confident text with letters or digits; not an icon read as a wide lone glyph."""
    if box.score < MIN_NEW_SCORE or not any(ch.isalnum() for ch in box.text):
        return False
    glyphs = len(box.text.strip())
    return glyphs > 2 or box.bounds.width <= 2.2 * box.bounds.height * glyphs


def _nearby(box: BoundingBox, elements: Sequence[UIElement]) -> list[UIElement]:
    margin = max(2, box.height // 4)
    grown = BoundingBox(box.x1 - margin, box.y1 - margin, box.x2 + margin, box.y2 + margin)
    return [
        e
        for e in elements
        if e.bounds.intersection(grown) >= MIN_OVERLAP * max(1, min(box.area, e.bounds.area))
    ]


def _is_duplicate(box: OcrBox, elements: Sequence[UIElement]) -> bool:
    text = normalize(box.text)
    if not text:
        return True
    known = [k for e in _nearby(box.bounds, elements) for k in _texts(e)]
    if any(_same_text(text, k) for k in known):
        return True
    remaining = text
    for k in sorted(known, key=len, reverse=True):
        remaining = remaining.replace(k, "")
    return len(remaining) <= LEFTOVER * len(text)


def _texts(element: UIElement) -> list[str]:
    parts = [element.text, element.description, *element.text.split(FOLD_SEPARATOR)]
    return [n for n in {normalize(p) for p in parts if p} if n]


def _same_text(ocr: str, known: str) -> bool:
    if ocr in known or (known in ocr and len(known) >= 0.6 * len(ocr)):
        return True
    matcher = SequenceMatcher(None, ocr, known, autojunk=False)
    return matcher.real_quick_ratio() >= FUZZY_RATIO and matcher.ratio() >= FUZZY_RATIO


def _group_lines(boxes: list[OcrBox]) -> list[list[OcrBox]]:
    """Boxes that continue one another on the same text line, grouped left to right."""
    lines: list[list[OcrBox]] = []
    for box in sorted(boxes, key=lambda b: (b.bounds.x1, b.bounds.y1)):
        line = next((ln for ln in lines if _continues(ln[-1].bounds, box.bounds)), None)
        if line is None:
            lines.append([box])
        else:
            line.append(box)
    return lines


def _continues(left: BoundingBox, right: BoundingBox) -> bool:
    low, high = sorted((left.height, right.height))
    if low <= 0 or high > 1.5 * low or min(left.width, right.width) < low:  # not a text line
        return False
    overlap = min(left.y2, right.y2) - max(left.y1, right.y1)
    gap = right.x1 - left.x2
    return overlap >= 0.6 * low and -0.2 * low <= gap <= 0.8 * low


def _ocr_element(line: list[OcrBox], elements: Sequence[UIElement]) -> UIElement:
    bounds = BoundingBox(
        min(b.bounds.x1 for b in line),
        min(b.bounds.y1 for b in line),
        max(b.bounds.x2 for b in line),
        max(b.bounds.y2 for b in line),
    )
    x, y = bounds.center
    holders = [e for e in elements if e.bounds.contains_point(x, y)]
    holder = min(holders, key=lambda e: e.bounds.area, default=None)
    return UIElement(
        id=0,
        bounds=bounds,
        text=" ".join(b.text for b in line),
        package=holder.package if holder is not None else "",
        source=Source.OCR,
        extras={"score": round(min(b.score for b in line), 3)},
    )
