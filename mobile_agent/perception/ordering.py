"""Reading order and stable numbering of screen elements."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from mobile_agent.perception.elements import UIElement


def _sort_key(e: UIElement) -> tuple[int, int, int, int, str, str, str, str]:
    b = e.bounds  # at equal top-left corners the larger (the container) comes first
    return (b.y1, b.x1, -b.y2, -b.x2, e.text, e.description, e.resource_id, str(e.source))


def _same_row(first: UIElement, other: UIElement) -> bool:
    """`other` (sorted after `first`) starts within a quarter of the smaller height."""
    tolerance = max(2, min(first.bounds.height, other.bounds.height) // 4)
    return other.bounds.y1 - first.bounds.y1 <= tolerance


def reading_order(elements: Sequence[UIElement]) -> list[UIElement]:
    """Elements top-to-bottom, then left-to-right.

    Elements whose tops lie within a quarter of their height of the first element of a
    row join that row (an icon a few pixels above its label must not come first only
    because of that), and each row is read by x. The order depends only on the elements'
    content, so identical input is numbered identically.
    """
    ordered: list[UIElement] = []
    row: list[UIElement] = []
    for element in sorted(elements, key=_sort_key):
        if row and not _same_row(row[0], element):
            ordered.extend(sorted(row, key=_row_key))
            row = []
        row.append(element)
    ordered.extend(sorted(row, key=_row_key))
    return ordered


def _row_key(e: UIElement) -> tuple[int, tuple[int, int, int, int, str, str, str, str]]:
    return (e.bounds.x1, _sort_key(e))


def renumber(elements: Sequence[UIElement]) -> list[UIElement]:
    """The elements in reading order with ids 1..N."""
    return [
        element if element.id == index else dataclasses.replace(element, id=index)
        for index, element in enumerate(reading_order(elements), start=1)
    ]
