"""Names for controls that have none, from the text beside or above them.

Compose switches, rating stars and icon buttons often carry no text or description of their
own; their label is a sibling `TextView` on the same row (or just above a field). The agent
can only choose such a control if it knows what it is for, so the nearest label is attached
as `extras["nearby_label"]`. The hierarchy's own text and description are never changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from mobile_agent.perception.elements import BoundingBox, UIElement

_MAX_GAP_HEIGHTS = 6  # a label further away than 6 control heights is not this control's


def _needs_label(el: UIElement) -> bool:
    actionable = el.clickable or el.long_clickable or el.checkable or el.editable
    return actionable and not el.text and not el.description


def _is_label(el: UIElement) -> bool:
    passive = not (
        el.clickable or el.long_clickable or el.checkable or el.editable or el.scrollable
    )
    return passive and bool(el.text.strip())


def _vertical_overlap(a: BoundingBox, b: BoundingBox) -> int:
    return max(0, min(a.y2, b.y2) - max(a.y1, b.y1))


def _distance(control: BoundingBox, label: BoundingBox) -> float | None:
    """How far `label` is from `control` if it sits on the same row or just above; else None."""
    reach = _MAX_GAP_HEIGHTS * max(control.height, 1)
    same_row = _vertical_overlap(control, label) * 2 >= min(control.height, label.height)
    if same_row:
        gap = max(label.x1 - control.x2, control.x1 - label.x2, 0)
        return float(gap) if gap <= reach else None
    above = (
        0 <= control.y1 - label.y2 <= control.height
        and label.x1 < control.x2
        and control.x1 < label.x2
    )
    return float(control.y1 - label.y2) + 0.5 if above else None


def _same_window(a: UIElement, b: UIElement) -> bool:
    return a.extras.get("window") == b.extras.get("window") and a.package == b.package


def nearest_label(control: UIElement, labels: Sequence[UIElement]) -> UIElement | None:
    """The closest passive text on `control`'s row (or right above it) in its window."""
    best: tuple[float, UIElement] | None = None
    for label in labels:
        if label is control or not _same_window(control, label):
            continue
        distance = _distance(control.bounds, label.bounds)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, label)
    return best[1] if best else None


def attach_nearby_labels(elements: Sequence[UIElement]) -> list[UIElement]:
    """The elements, unlabelled controls given `extras["nearby_label"]` where one is near."""
    labels = [el for el in elements if _is_label(el)]
    result: list[UIElement] = []
    for el in elements:
        label = nearest_label(el, labels) if _needs_label(el) else None
        if label is not None:
            el = dataclasses.replace(el, extras={**el.extras, "nearby_label": label.text.strip()})
        result.append(el)
    return result
