"""Names for controls that have none, or share theirs, from the text beside or above them.

Compose switches, rating stars and icon buttons often carry no text or description of their
own; their label is a sibling `TextView` on the same row (or just above a field). The agent
can only choose such a control if it knows what it is for, so the nearest label is attached
as `extras["nearby_label"]`. Controls whose label repeats on the screen (18 "Add star"
buttons, one per task row) get their row's label the same way (`"Add star" near="Buy
milk"`). Labels come only from passive text outside the control, and only controls get
one: a container (larger than `MAX_CONTROL_SHARE` of the screen, or holding other elements)
or a scrim never does. The hierarchy's own text and description are never changed.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import Counter
from collections.abc import Sequence

from mobile_agent.perception.drafts import fold_key
from mobile_agent.perception.elements import BoundingBox, UIElement

_MAX_GAP_HEIGHTS = 6  # a label further away than 6 control heights is not this control's
MAX_CONTROL_SHARE = 0.25  # a "control" larger than this share of the screen is a container


def _is_control(el: UIElement) -> bool:
    return el.clickable or el.long_clickable or el.checkable or el.editable


def _key(el: UIElement) -> str:
    return fold_key(el.text or el.description)


def _repeated(elements: Sequence[UIElement]) -> set[tuple[object, str]]:
    """(window, label key) of labels that two or more controls of one window share."""
    counts = Counter(
        (el.extras.get("window"), key) for el in elements if _is_control(el) and (key := _key(el))
    )
    return {pair for pair, count in counts.items() if count > 1}


class _Centres:
    """The elements' centres sorted by y, to find what lies inside a box quickly."""

    def __init__(self, elements: Sequence[UIElement]) -> None:
        points = sorted((el.bounds.center[1], el.bounds.center[0], id(el)) for el in elements)
        self.ys = [p[0] for p in points]
        self.points = points

    def any_inside(self, box: BoundingBox, own: UIElement) -> bool:
        start = bisect.bisect_left(self.ys, box.y1)
        for y, x, ident in self.points[start:]:
            if y >= box.y2:
                return False
            if ident != id(own) and box.contains_point(x, y):
                return True
        return False


def _is_label(el: UIElement) -> bool:
    passive = not (
        el.clickable or el.long_clickable or el.checkable or el.editable or el.scrollable
    )
    return passive and bool(el.text.strip())


def _vertical_overlap(a: BoundingBox, b: BoundingBox) -> int:
    return max(0, min(a.y2, b.y2) - max(a.y1, b.y1))


def _same_row(control: BoundingBox, label: BoundingBox) -> bool:
    return _vertical_overlap(control, label) * 2 >= min(control.height, label.height)


def _distance(control: BoundingBox, label: BoundingBox) -> float | None:
    """How far `label` is from `control` if it sits on the same row or just above; else None."""
    reach = _MAX_GAP_HEIGHTS * max(control.height, 1)
    if _same_row(control, label):
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


def _candidates(control: UIElement, labels: Sequence[UIElement]) -> list[UIElement]:
    """Passive texts of `control`'s window that lie outside it and do not cover it."""
    box = control.bounds
    return [
        label
        for label in labels
        if label is not control
        and _same_window(control, label)
        and not box.contains_point(*label.bounds.center)  # its content, not its name
        and not label.bounds.contains_point(*box.center)  # a text drawn over it
    ]


def nearest_label(control: UIElement, labels: Sequence[UIElement]) -> UIElement | None:
    """The closest passive text outside `control` on its row (or right above it) in its
    window."""
    best: tuple[float, UIElement] | None = None
    for label in _candidates(control, labels):
        distance = _distance(control.bounds, label.bounds)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, label)
    return best[1] if best else None


def row_label(
    control: UIElement,
    labels: Sequence[UIElement],
    *,
    rtl: bool = False,
    blockers: Sequence[UIElement] = (),
) -> UIElement | None:
    """The text at the start of `control`'s row (left, or right when `rtl`): what names a
    row whose controls repeat (a task's title for its "Add star"). A text with one of
    `blockers` (other controls) between it and `control` is another pane's."""
    box = control.bounds
    row = [
        lb
        for lb in _candidates(control, labels)
        if _same_row(box, lb.bounds) and not _between(box, lb.bounds, blockers, control)
    ]
    return min(row, key=lambda lb: -lb.bounds.x2 if rtl else lb.bounds.x1) if row else None


def _between(a: BoundingBox, b: BoundingBox, blockers: Sequence[UIElement], own: UIElement) -> bool:
    """Whether one of `blockers` lies on `a`'s row horizontally between `a` and `b`."""
    left, right = min(a.x2, b.x2), max(a.x1, b.x1)
    return any(
        el is not own and left <= el.bounds.x1 and el.bounds.x2 <= right and _same_row(a, el.bounds)
        for el in blockers
    )


def attach_nearby_labels(
    elements: Sequence[UIElement],
    *,
    screen_size: tuple[int, int] | None = None,
    rtl: bool = False,
) -> list[UIElement]:
    """The elements, controls without a label of their own (or with one that repeats) given
    `extras["nearby_label"]` where one is near. `screen_size` (width, height) tells
    containers from controls; without it only what holds other elements is a container."""
    labels = [el for el in elements if _is_label(el)]
    controls = [el for el in elements if _is_control(el)]
    repeated = _repeated(elements)
    width, height = screen_size or (0, 0)
    max_area = width * height * MAX_CONTROL_SHARE if width and height else float("inf")
    centres = _Centres(elements)

    def label_for(el: UIElement) -> UIElement | None:
        if not _is_control(el) or el.bounds.area > max_area:
            return None
        named = bool(el.text or el.description)
        if named and (el.extras.get("window"), _key(el)) not in repeated:
            return None
        if centres.any_inside(el.bounds, el):
            return None
        if named:
            return row_label(el, labels, rtl=rtl) or nearest_label(el, labels)
        return nearest_label(el, labels) or row_label(el, labels, rtl=rtl, blockers=controls)

    result: list[UIElement] = []
    for el in elements:
        label = label_for(el)
        if label is not None:
            el = dataclasses.replace(el, extras={**el.extras, "nearby_label": label.text.strip()})
        result.append(el)
    return result
