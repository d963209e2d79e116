"""Reading order and stable numbering of screen elements."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from mobile_agent.perception.direction import is_rtl
from mobile_agent.perception.elements import UIElement

ROW_HEIGHT_RATIO = 3
SortKey = tuple[int, int, int, int, str, str, str, str]


def _sort_key(e: UIElement) -> SortKey:
    b = e.bounds  # at equal top-left corners the larger (the container) comes first
    return (b.y1, b.x1, -b.y2, -b.x2, e.text, e.description, e.resource_id, str(e.source))


def _is_label(e: UIElement) -> bool:
    return bool(e.text) and not (e.clickable or e.long_clickable or e.checkable or e.editable)


def _same_row(first: UIElement, other: UIElement) -> bool:
    """`other` (sorted after `first`) starts within a quarter of the smaller height of
    `first`'s top; or one of them is a label centred on the other's row (a label beside
    taller chips), their heights within a factor of `ROW_HEIGHT_RATIO`."""
    a, b = first.bounds, other.bounds
    low, high = sorted((a.height, b.height))
    tolerance = max(2, low // 4)
    if b.y1 - a.y1 <= tolerance:
        return True
    centred = abs((b.y1 + b.y2) - (a.y1 + a.y2)) <= 2 * tolerance
    label = _is_label(first) or _is_label(other)
    return centred and label and high <= low * ROW_HEIGHT_RATIO


def reading_order(elements: Sequence[UIElement], *, rtl: bool | None = None) -> list[UIElement]:
    """Elements top-to-bottom, then in the layout direction.

    Elements whose tops lie within a quarter of their height of the first element of a row
    join that row (an icon a few pixels above its label must not come first only because
    of that), as do labels centred on the row (a label beside taller chips comes before
    them, not after), and each row is read by x: left to right, or right to left when `rtl` (None:
    detected from the text, see `direction.is_rtl`). The order depends only on the
    elements' content, so identical input is numbered identically.
    """
    if rtl is None:
        rtl = is_rtl(elements)
    row_key = _rtl_row_key if rtl else _row_key
    ordered: list[UIElement] = []
    row: list[UIElement] = []
    for element in sorted(elements, key=_sort_key):
        if row and not _same_row(row[0], element):
            ordered.extend(sorted(row, key=row_key))
            row = []
        row.append(element)
    ordered.extend(sorted(row, key=row_key))
    return ordered


def _row_key(e: UIElement) -> tuple[int, SortKey]:
    return (e.bounds.x1, _sort_key(e))


def _rtl_row_key(e: UIElement) -> tuple[int, SortKey]:
    return (-e.bounds.x2, _sort_key(e))


def renumber(elements: Sequence[UIElement], *, rtl: bool | None = None) -> list[UIElement]:
    """The elements in reading order (see `reading_order`) with ids 1..N."""
    return [
        element if element.id == index else dataclasses.replace(element, id=index)
        for index, element in enumerate(reading_order(elements, rtl=rtl), start=1)
    ]
