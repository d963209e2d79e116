"""Reading order and stable numbering of screen elements."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from mobile_agent.perception.elements import UIElement


def _sort_key(e: UIElement) -> tuple[int, int, int, int, str, str, str, str]:
    b = e.bounds
    return (b.y1, b.x1, b.y2, b.x2, e.text, e.description, e.resource_id, str(e.source))


def reading_order(elements: Sequence[UIElement]) -> list[UIElement]:
    """Elements top-to-bottom, then left-to-right.

    Elements whose tops lie within a small tolerance form one row (an icon a few pixels
    above its label must not come first only because of that), and each row is read by x.
    The order depends only on the elements' content, so identical input numbers identically.
    """
    if not elements:
        return []
    items = sorted(elements, key=_sort_key)
    bottom = max(e.bounds.y2 for e in items)
    tolerance = max(3, int(bottom * 0.004))
    ordered: list[UIElement] = []
    row: list[UIElement] = []
    for element in items:
        if row and element.bounds.y1 - row[0].bounds.y1 > tolerance:
            ordered.extend(sorted(row, key=lambda e: (e.bounds.x1, *_sort_key(e))))
            row = []
        row.append(element)
    ordered.extend(sorted(row, key=lambda e: (e.bounds.x1, *_sort_key(e))))
    return ordered


def renumber(elements: Sequence[UIElement]) -> list[UIElement]:
    """The elements in reading order with ids 1..N."""
    return [
        element if element.id == index else dataclasses.replace(element, id=index)
        for index, element in enumerate(reading_order(elements), start=1)
    ]
