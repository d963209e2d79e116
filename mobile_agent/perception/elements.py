"""The structured screen element every agent sees."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Source(StrEnum):
    """Where an element came from."""

    HIERARCHY = "hierarchy"
    OCR = "ocr"
    ICON = "icon"


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """Pixel rectangle, left/top inclusive, right/bottom exclusive."""

    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def width(self) -> int:
        return max(0, self.x2 - self.x1)

    @property
    def height(self) -> int:
        return max(0, self.y2 - self.y1)

    @property
    def area(self) -> int:
        return self.width * self.height

    @property
    def center(self) -> tuple[int, int]:
        return ((self.x1 + self.x2) // 2, (self.y1 + self.y2) // 2)

    def as_list(self) -> list[int]:
        return [self.x1, self.y1, self.x2, self.y2]

    def intersection(self, other: BoundingBox) -> int:
        """Area shared with `other`."""
        w = min(self.x2, other.x2) - max(self.x1, other.x1)
        h = min(self.y2, other.y2) - max(self.y1, other.y1)
        return w * h if w > 0 and h > 0 else 0

    def contains_point(self, x: int, y: int) -> bool:
        return self.x1 <= x < self.x2 and self.y1 <= y < self.y2


FOLD_SEPARATOR = " | "  # joins the texts of a row's children folded into the row


def _squeeze(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class UIElement:
    """One numbered, actionable or informative thing on the screen."""

    id: int
    bounds: BoundingBox
    text: str = ""
    description: str = ""
    resource_id: str = ""
    class_name: str = ""
    package: str = ""
    clickable: bool = False
    long_clickable: bool = False
    editable: bool = False
    scrollable: bool = False
    checkable: bool = False
    checked: bool = False
    selected: bool = False
    focused: bool = False
    enabled: bool = True
    password: bool = False
    source: Source = Source.HIERARCHY
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        """The most human-readable name of the element."""
        return self.text or self.description or self.resource_id.rsplit("/", 1)[-1]

    def named(self, label: str) -> int | None:
        """How `label` names this element (case and spacing ignored): 0 when it is the
        whole text or description, 1 when it is one of the texts folded into the element
        (a list row's title), None when it is neither."""
        wanted = _squeeze(label)
        if not wanted:
            return None
        if wanted in (_squeeze(self.text), _squeeze(self.description)):
            return 0
        parts = (*self.text.split(FOLD_SEPARATOR), *self.description.split(FOLD_SEPARATOR))
        return 1 if any(_squeeze(part) == wanted for part in parts) else None

    def to_json(self) -> dict[str, Any]:
        """The JSON object that `mobile-agent inspect --json` prints."""
        data = asdict(self)
        data["bounds"] = self.bounds.as_list()
        data["class"] = data.pop("class_name")
        data["source"] = str(self.source)
        if not data["extras"]:
            data.pop("extras")
        return data
