"""One element per thing on screen: nested or near-identical nodes with the same label, and
clickable wrappers around a single labelled control, are merged.

Real dumps describe one control several times: a clickable row with a description and a
text child a few pixels inside it (Chrome's trending searches), a button inside a clickable
frame. Listing both gives the agent two numbers for one thing. What stays is the clickable
one, carrying the label of both; flags are the union (see `hierarchy._element`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from mobile_agent.perception.drafts import Draft, fold_key

OVERLAP_SHARE = 0.6  # same-label drafts sharing this much of the smaller one are one thing


def merge_nested(drafts: Sequence[Draft], max_area: float) -> list[Draft]:
    """`drafts` with same-label duplicates and single-control wrappers merged; drafts larger
    than `max_area` (px², a screen-sized container) are never merged."""
    kept = _merge_same_label(list(drafts), max_area)
    return _merge_wrappers(kept, max_area)


def _labels(draft: Draft) -> set[str]:
    folded = {key for v in (*draft.texts, *draft.descs) if (key := fold_key(v))}
    return draft.own_labels() | folded


def _same_thing(a: Draft, b: Draft, max_area: float) -> bool:
    if a.node.window != b.node.window or max(a.bounds.area, b.bounds.area) > max_area:
        return False
    smaller = min(a.bounds.area, b.bounds.area)
    return smaller > 0 and a.bounds.intersection(b.bounds) >= smaller * OVERLAP_SHARE


def _rank(draft: Draft) -> tuple[bool, bool, int]:
    actionable = draft.pressable or draft.absorbs
    return (draft.pressable, actionable, draft.bounds.area)


def _absorb(keep: Draft, gone: Draft) -> None:
    keep.merged.extend(gone.nodes)
    for value in gone.texts:
        if value not in keep.texts:
            keep.texts.append(value)
    for value in gone.descs:
        if value not in keep.descs:
            keep.descs.append(value)


def _reparent(drafts: Sequence[Draft], gone: Draft, keep: Draft) -> None:
    for draft in drafts:
        if draft.parent is gone:
            draft.parent = keep if keep is not draft else gone.parent


def _merge_same_label(drafts: list[Draft], max_area: float) -> list[Draft]:
    by_label: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        for key in _labels(draft):
            by_label[key].append(draft)
    gone: set[int] = set()
    for group in by_label.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if id(a) in gone or id(b) in gone or not _same_thing(a, b, max_area):
                    continue
                keep, lost = (a, b) if _rank(a) >= _rank(b) else (b, a)
                _absorb(keep, lost)
                _reparent(drafts, lost, keep)
                gone.add(id(lost))
    return [d for d in drafts if id(d) not in gone]


def _merge_wrappers(drafts: list[Draft], max_area: float) -> list[Draft]:
    children: dict[int, list[Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.parent is not None:
            children[id(draft.parent)].append(draft)
    gone: set[int] = set()
    for wrapper in drafts:
        inner = children.get(id(wrapper), [])
        if len(inner) != 1 or not _is_bare_wrapper(wrapper, max_area):
            continue
        (control,) = inner
        if id(control) in gone or children.get(id(control)) or not _labels(control):
            continue
        if not (control.pressable or control.absorbs):
            continue
        keep, lost = (control, wrapper) if control.node.flag("clickable") else (wrapper, control)
        _absorb(keep, lost)
        keep.parent = wrapper.parent
        gone.add(id(lost))
    return [d for d in drafts if id(d) not in gone]


def _is_bare_wrapper(draft: Draft, max_area: float) -> bool:
    """A pressable draft without a label of its own or folded, not screen-sized."""
    return (
        draft.pressable
        and draft.bounds.area <= max_area
        and not draft.own_labels()
        and not draft.texts
        and not draft.descs
    )
