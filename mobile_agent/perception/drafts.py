"""Elements in the making: a kept hierarchy node, the nodes merged into it and the labels
folded into it (shared by extraction, merging and occlusion)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mobile_agent.perception.elements import BoundingBox
from mobile_agent.perception.xmltree import RawNode

_INVISIBLE_TEXT = str.maketrans("", "", "\ufeff\u200b")
MAX_FOLDED = 12  # at most this many child texts are folded into one element
PRESS_FLAGS = ("clickable", "long-clickable", "checkable")


@dataclass(slots=True, eq=False)
class Draft:
    """One future element: its node, bounds, and what was merged or folded into it."""

    node: RawNode
    bounds: BoundingBox
    absorbs: bool
    parent: Draft | None = None  # the nearest enclosing draft
    merged: list[RawNode] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    descs: list[str] = field(default_factory=list)
    option: bool = False  # an option of a popup: actionable even if not marked so

    def fold(self, node: RawNode) -> None:
        for value, into in ((node_text(node), self.texts), (node_desc(node), self.descs)):
            if value and value not in into and len(into) < MAX_FOLDED:
                into.append(value)

    @property
    def nodes(self) -> list[RawNode]:
        return [self.node, *self.merged]

    def own_labels(self) -> set[str]:
        """The fold keys of the texts and descriptions of its own nodes."""
        values = [v for n in self.nodes for v in (node_text(n), node_desc(n))]
        return {key for v in values if (key := fold_key(v))}

    @property
    def pressable(self) -> bool:
        return self.option or any(n.flag(f) for n in self.nodes for f in PRESS_FLAGS)


def node_text(node: RawNode) -> str:
    return node.get("text").translate(_INVISIBLE_TEXT).strip()


def node_desc(node: RawNode) -> str:
    return node.get("content-desc").translate(_INVISIBLE_TEXT).strip()


def fold_key(value: str) -> str:
    """`value` reduced to its lower-cased letters and digits (how labels are compared)."""
    return "".join(ch for ch in value.casefold() if ch.isalnum())
