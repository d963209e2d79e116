"""UiSelector matching over the phone's accessibility nodes.

The uiautomator2 client sends selectors as JSON objects: a `mask` of set criteria, the
criteria themselves, and a chain of `child` / `sibling` sub-selectors. Matching follows
androidx UiSelector: exact and regex criteria are case-sensitive (regex = Java full match),
`*Contains` / `*StartsWith` compare lower-cased strings, `instance` picks the n-th match in
document order (windows in order, depth-first), `child` searches the descendants of the
previous match and `sibling` (`fromParent`) the descendants of its parent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from virtual_phone.contract import NodeInfo

MASK_TEXT = 0x1
MASK_TEXT_CONTAINS = 0x2
MASK_TEXT_MATCHES = 0x4
MASK_TEXT_STARTS_WITH = 0x8
MASK_CLASS_NAME = 0x10
MASK_CLASS_NAME_MATCHES = 0x20
MASK_DESCRIPTION = 0x40
MASK_DESCRIPTION_CONTAINS = 0x80
MASK_DESCRIPTION_MATCHES = 0x100
MASK_DESCRIPTION_STARTS_WITH = 0x200
MASK_CHECKABLE = 0x400
MASK_CHECKED = 0x800
MASK_CLICKABLE = 0x1000
MASK_LONG_CLICKABLE = 0x2000
MASK_SCROLLABLE = 0x4000
MASK_ENABLED = 0x8000
MASK_FOCUSABLE = 0x10000
MASK_FOCUSED = 0x20000
MASK_SELECTED = 0x40000
MASK_PACKAGE_NAME = 0x80000
MASK_PACKAGE_NAME_MATCHES = 0x100000
MASK_RESOURCE_ID = 0x200000
MASK_RESOURCE_ID_MATCHES = 0x400000
MASK_INDEX = 0x800000
MASK_INSTANCE = 0x1000000


class SelectorError(ValueError):
    """The selector JSON is malformed or holds an invalid regular expression."""


def node_text(node: NodeInfo) -> str:
    """The text accessibility reports for a node: an empty text field reports its hint."""
    return node.text or node.hint


_Getter = Callable[[NodeInfo], str]
_STRING_FIELDS: dict[str, tuple[int, _Getter]] = {
    "text": (MASK_TEXT, node_text),
    "textContains": (MASK_TEXT_CONTAINS, node_text),
    "textMatches": (MASK_TEXT_MATCHES, node_text),
    "textStartsWith": (MASK_TEXT_STARTS_WITH, node_text),
    "className": (MASK_CLASS_NAME, lambda n: n.class_name),
    "classNameMatches": (MASK_CLASS_NAME_MATCHES, lambda n: n.class_name),
    "description": (MASK_DESCRIPTION, lambda n: n.content_desc),
    "descriptionContains": (MASK_DESCRIPTION_CONTAINS, lambda n: n.content_desc),
    "descriptionMatches": (MASK_DESCRIPTION_MATCHES, lambda n: n.content_desc),
    "descriptionStartsWith": (MASK_DESCRIPTION_STARTS_WITH, lambda n: n.content_desc),
    "packageName": (MASK_PACKAGE_NAME, lambda n: n.package),
    "packageNameMatches": (MASK_PACKAGE_NAME_MATCHES, lambda n: n.package),
    "resourceId": (MASK_RESOURCE_ID, lambda n: n.resource_id),
    "resourceIdMatches": (MASK_RESOURCE_ID_MATCHES, lambda n: n.resource_id),
}
_BOOL_FIELDS: dict[str, tuple[int, str]] = {
    "checkable": (MASK_CHECKABLE, "checkable"),
    "checked": (MASK_CHECKED, "checked"),
    "clickable": (MASK_CLICKABLE, "clickable"),
    "longClickable": (MASK_LONG_CLICKABLE, "long_clickable"),
    "scrollable": (MASK_SCROLLABLE, "scrollable"),
    "enabled": (MASK_ENABLED, "enabled"),
    "focusable": (MASK_FOCUSABLE, "focusable"),
    "focused": (MASK_FOCUSED, "focused"),
    "selected": (MASK_SELECTED, "selected"),
}


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise SelectorError(f"invalid regular expression {pattern!r}: {exc}") from exc


def _string_test(name: str, value: str) -> Callable[[str], bool]:
    if name.endswith("Matches"):
        regex = _compile(value)
        return lambda s: regex.fullmatch(s) is not None
    if name.endswith("Contains"):
        low = value.lower()
        return lambda s: low in s.lower()
    if name.endswith("StartsWith"):
        low = value.lower()
        return lambda s: s.lower().startswith(low)
    return lambda s: s == value


@dataclass(frozen=True, slots=True)
class _Criterion:
    getter: Callable[[NodeInfo], Any]
    test: Callable[[Any], bool]


@dataclass(slots=True)
class Selector:
    """One parsed UiSelector with its chain of child/sibling sub-selectors."""

    criteria: list[_Criterion] = field(default_factory=list)
    index: int | None = None
    instance: int | None = None
    chain: list[tuple[str, Selector]] = field(default_factory=list)
    summary: str = ""

    @classmethod
    def parse(cls, data: Any) -> Selector:
        """Build a selector from the client's JSON object."""
        if not isinstance(data, dict):
            raise SelectorError(f"selector must be an object, not {type(data).__name__}")
        mask = _int(data.get("mask", 0), "mask")
        sel = cls(summary=describe(data))
        for name, (bit, getter) in _STRING_FIELDS.items():
            if mask & bit:
                sel.criteria.append(_Criterion(getter, _string_test(name, _str(data, name))))
        for name, (bit, attr) in _BOOL_FIELDS.items():
            if mask & bit:
                want = bool(data.get(name, False))
                sel.criteria.append(_Criterion(_attr_getter(attr), _equals(want)))
        if mask & MASK_INDEX:
            sel.index = _int(data.get("index", 0), "index")
        if mask & MASK_INSTANCE:
            sel.instance = _int(data.get("instance", 0), "instance")
        sel.chain = _parse_chain(data)
        return sel

    def matches(self, node: NodeInfo) -> bool:
        """Whether the node meets every criterion of this level (not instance, not chain)."""
        if self.index is not None and node.index != self.index:
            return False
        return all(c.test(c.getter(node)) for c in self.criteria)

    def find_all(self, roots: Sequence[NodeInfo]) -> list[NodeInfo]:
        """Every node the whole selector designates, in document order."""
        found = self._pick([n for n in walk(roots) if self.matches(n)])
        for relation, sub in self.chain:
            pool = _related(found, relation)
            found = sub._pick([n for n in pool if sub.matches(n)])
            if not found:
                break
        return found

    def find(self, roots: Sequence[NodeInfo]) -> NodeInfo | None:
        """The first node the selector designates, or None."""
        found = self.find_all(roots)
        return found[0] if found else None

    def related(self, relation: str, sub: Selector) -> Selector:
        """This selector narrowed by `sub` among its descendants ("child") or its parent's
        ("sibling"), as UiSelector.childSelector / fromParent build it."""
        top = Selector(sub.criteria, sub.index, sub.instance, [], sub.summary)
        chain = [*self.chain, (relation, top), *sub.chain]
        summary = f"{self.summary}.{relation}({sub.summary})"
        return Selector(self.criteria, self.index, self.instance, chain, summary)

    def with_instance(self, instance: int) -> Selector:
        """A copy that picks the n-th match of its first level."""
        summary = f"{self.summary}[instance={instance}]"
        return Selector(self.criteria, self.index, instance, list(self.chain), summary)

    def _pick(self, nodes: list[NodeInfo]) -> list[NodeInfo]:
        if self.instance is None:
            return nodes
        return [nodes[self.instance]] if 0 <= self.instance < len(nodes) else []


def _attr_getter(attr: str) -> Callable[[NodeInfo], Any]:
    return lambda n: getattr(n, attr)


def _equals(want: bool) -> Callable[[Any], bool]:
    return lambda v: bool(v) == want


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SelectorError(f"selector field {name!r} must be a number, got {value!r}")
    return int(value)


def _str(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise SelectorError(f"selector field {name!r} must be a string, got {value!r}")
    return value


def _parse_chain(data: dict[str, Any]) -> list[tuple[str, Selector]]:
    relations = data.get("childOrSibling") or []
    subs = data.get("childOrSiblingSelector") or []
    if not isinstance(relations, list) or not isinstance(subs, list):
        raise SelectorError("childOrSibling and childOrSiblingSelector must be lists")
    chain: list[tuple[str, Selector]] = []
    for relation, sub in zip(relations, subs, strict=False):
        kind = str(relation).lower()
        if kind not in ("child", "sibling"):
            raise SelectorError(f"unknown selector relation {relation!r}")
        chain.append((kind, Selector.parse(sub)))
    return chain


def _related(nodes: list[NodeInfo], relation: str) -> list[NodeInfo]:
    """Candidates for the next chain level, deduplicated, in document order."""
    seen: set[int] = set()
    pool: list[NodeInfo] = []
    for node in nodes:
        if relation == "child":
            scope = node.children
        else:
            scope = node.parent.children if node.parent is not None else [node]
        for cand in walk(scope):
            if id(cand) not in seen:
                seen.add(id(cand))
                pool.append(cand)
    return pool


def walk(roots: Sequence[NodeInfo]) -> Iterator[NodeInfo]:
    """All nodes under the roots (roots included), depth-first in document order."""
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def describe(data: dict[str, Any]) -> str:
    """A readable form of selector JSON, like the platform's `UiSelector[TEXT=…]`."""
    skip = {"mask", "childOrSibling", "childOrSiblingSelector"}
    parts = [f"{k}={v!r}" for k, v in data.items() if k not in skip]
    subs = data.get("childOrSiblingSelector") or []
    for relation, sub in zip(data.get("childOrSibling") or [], subs, strict=False):
        if isinstance(sub, dict):
            parts.append(f"{relation}={describe(sub)}")
    return "UiSelector[" + ", ".join(parts) + "]"


def _rect(bounds: tuple[int, int, int, int]) -> dict[str, int]:
    left, top, right, bottom = bounds
    return {"left": left, "top": top, "right": right, "bottom": bottom}


def obj_info(node: NodeInfo) -> dict[str, Any]:
    """The `objInfo` reply for a node, as the platform's uiautomator server builds it."""
    rect = _rect(node.bounds)
    return {
        "bounds": rect,
        "visibleBounds": dict(rect),
        "checkable": node.checkable,
        "checked": node.checked,
        "childCount": len(node.children),
        "className": node.class_name or None,
        "clickable": node.clickable,
        "contentDescription": node.content_desc or None,
        "enabled": node.enabled,
        "focusable": node.focusable,
        "focused": node.focused,
        "longClickable": node.long_clickable,
        "packageName": node.package or None,
        "resourceName": node.resource_id or None,
        "scrollable": node.scrollable,
        "selected": node.selected,
        "text": node_text(node),
    }


def center(node: NodeInfo) -> tuple[float, float]:
    """The centre of a node's visible bounds."""
    left, top, right, bottom = node.bounds
    return (left + right) / 2, (top + bottom) / 2
