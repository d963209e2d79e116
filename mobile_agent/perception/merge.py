"""Merging OCR text with hierarchy elements: no duplicates, OCR-only text kept with its box."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from difflib import SequenceMatcher

from mobile_agent.perception.elements import Source, UIElement
from mobile_agent.perception.hierarchy import number
from mobile_agent.perception.ocr import OcrBox

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    """Lower-case, accents and punctuation folded: for comparing OCR with hierarchy text."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub("", text)


def _same_text(ocr: str, known: str) -> bool:
    if not ocr or not known:
        return False
    if ocr in known or known in ocr:
        return True
    return SequenceMatcher(None, ocr, known).ratio() >= 0.8


def _is_duplicate(box: OcrBox, elements: list[UIElement]) -> bool:
    text = normalize(box.text)
    if not text:
        return True
    area = max(1, box.bounds.area)
    for el in elements:
        if el.bounds.intersection(box.bounds) < 0.3 * area:
            continue
        if _same_text(text, normalize(el.text)) or _same_text(text, normalize(el.description)):
            return True
    return False


def merge_ocr(elements: list[UIElement], boxes: list[OcrBox]) -> list[UIElement]:
    """Hierarchy elements plus the OCR lines they do not already contain, renumbered."""
    added = [
        UIElement(
            id=0,
            bounds=box.bounds,
            text=box.text,
            source=Source.OCR,
            extras={"score": round(box.score, 3)},
        )
        for box in boxes
        if not _is_duplicate(box, elements)
    ]
    return number([replace(el) for el in elements] + added)
