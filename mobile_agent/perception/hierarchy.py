"""uiautomator hierarchy XML → numbered `UIElement`s.

Works on what real phones produce: several windows, WebViews and Compose screens whose text
sits in non-clickable children, NAF (not-accessibility-friendly) icon buttons, zero-size and
off-screen bounds, dumps with trailing junk, non-Latin and right-to-left text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace

from mobile_agent.errors import ParseError
from mobile_agent.perception.elements import BoundingBox, Source, UIElement

_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")
_EDITABLE_CLASSES = (
    "EditText",
    "AutoCompleteTextView",
    "SearchView$SearchAutoComplete",
    "TextField",
)
_MAX_FOLDED = 3  # texts folded from children into one clickable parent
_FOLD_SEP = " · "


@dataclass
class _Node:
    attrs: dict[str, str]
    box: BoundingBox | None  # clipped to the screen; None when empty or off-screen
    children: list[_Node] = field(default_factory=list)

    def flag(self, name: str) -> bool:
        return self.attrs.get(name) == "true"

    @property
    def text(self) -> str:
        return _clean(self.attrs.get("text", ""))

    @property
    def desc(self) -> str:
        return _clean(self.attrs.get("content-desc", ""))

    @property
    def cls(self) -> str:
        return self.attrs.get("class", "")

    @property
    def editable(self) -> bool:
        return any(self.cls.endswith(c) for c in _EDITABLE_CLASSES)

    @property
    def tappable(self) -> bool:
        return self.flag("clickable") or self.flag("long-clickable") or self.flag("checkable")

    @property
    def actionable(self) -> bool:
        return self.tappable or self.flag("scrollable") or self.editable


def _clean(value: str) -> str:
    return " ".join(value.split())


def _document(xml: str) -> ET.Element:
    start = xml.find("<hierarchy")
    end = xml.rfind("</hierarchy>")
    if start < 0:
        raise ParseError("not a UI hierarchy: no <hierarchy> element")
    body = xml[start : end + len("</hierarchy>")] if end > start else xml[start:]
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise ParseError(f"malformed hierarchy XML: {exc}") from exc


def _raw_bounds(attrs: dict[str, str]) -> tuple[int, int, int, int] | None:
    match = _BOUNDS.fullmatch(attrs.get("bounds", "").strip())
    return tuple(int(v) for v in match.groups()) if match else None  # type: ignore[return-value]


def infer_screen_size(root: ET.Element) -> tuple[int, int]:
    """The screen size implied by the largest bounds in the dump."""
    width = height = 0
    for node in root.iter("node"):
        raw = _raw_bounds(node.attrib)
        if raw:
            width, height = max(width, raw[2]), max(height, raw[3])
    return max(width, 1), max(height, 1)


def _clip(raw: tuple[int, int, int, int] | None, size: tuple[int, int]) -> BoundingBox | None:
    if raw is None:
        return None
    x1, y1 = max(0, raw[0]), max(0, raw[1])
    x2, y2 = min(size[0], raw[2]), min(size[1], raw[3])
    if x2 - x1 < 2 or y2 - y1 < 2:
        return None
    return BoundingBox(x1, y1, x2, y2)


def _build(element: ET.Element, size: tuple[int, int]) -> _Node | None:
    attrs = dict(element.attrib)
    if attrs.get("visible-to-user") == "false":
        return None
    node = _Node(attrs, _clip(_raw_bounds(attrs), size))
    for child in element:
        if child.tag == "node":
            built = _build(child, size)
            if built is not None:
                node.children.append(built)
    return node


def _folded_texts(node: _Node) -> list[str]:
    """Texts of non-actionable descendants (stopping at actionable ones)."""
    found: list[str] = []
    for child in node.children:
        if child.actionable and child.box is not None:
            continue
        label = child.text or child.desc
        if label and child.box is not None and label not in found:
            found.append(label)
        found.extend(t for t in _folded_texts(child) if t not in found)
    return found


def _make(node: _Node, texts: list[str]) -> UIElement:
    a = node.attrs
    text, desc = node.text, node.desc
    if node.editable and not text:
        text = _clean(a.get("hint", ""))
    folded = [t for t in texts if t not in (text, desc)][:_MAX_FOLDED]
    if not text and folded:
        text = _FOLD_SEP.join(folded)
    elif folded and not desc:
        desc = _FOLD_SEP.join(folded)
    assert node.box is not None
    return UIElement(
        id=0,
        bounds=node.box,
        text=text,
        description=desc,
        resource_id=a.get("resource-id", ""),
        class_name=node.cls,
        package=a.get("package", ""),
        clickable=node.flag("clickable"),
        long_clickable=node.flag("long-clickable"),
        editable=node.editable,
        scrollable=node.flag("scrollable"),
        checkable=node.flag("checkable"),
        checked=node.flag("checked"),
        selected=node.flag("selected"),
        focused=node.flag("focused"),
        enabled=a.get("enabled", "true") != "false",
        password=node.flag("password"),
        source=Source.HIERARCHY,
        extras={"naf": True} if node.flag("NAF") else {},
    )


def _folds(node: _Node, screen_area: int) -> list[str] | None:
    """The texts a tappable node takes over from its children, or None if it should not
    (not tappable, a screen-sized container, or too many texts to stand for one control)."""
    if node.box is None or not node.tappable or node.box.area > screen_area * 0.4:
        return None
    texts = _folded_texts(node)
    return texts if len(texts) <= _MAX_FOLDED else None


def _collect(node: _Node, out: list[UIElement], screen_area: int) -> None:
    folded = _folds(node, screen_area)
    if folded is not None:
        out.append(_make(node, folded))
        for child in node.children:
            _collect_inside(child, out, screen_area)
        return
    if node.box is not None and (node.actionable or node.text or node.desc):
        out.append(_make(node, []))
    for child in node.children:
        _collect(child, out, screen_area)


def _collect_inside(node: _Node, out: list[UIElement], screen_area: int) -> None:
    """Below a folding node only actionable descendants become elements."""
    if node.box is not None and node.actionable:
        _collect(node, out, screen_area)
        return
    for child in node.children:
        _collect_inside(child, out, screen_area)


def _dedupe(elements: list[UIElement]) -> list[UIElement]:
    seen: set[tuple[object, ...]] = set()
    kept: list[UIElement] = []
    for el in elements:
        key = (el.bounds, el.text, el.description, el.clickable, el.editable)
        if key not in seen:
            seen.add(key)
            kept.append(el)
    return kept


def number(elements: list[UIElement]) -> list[UIElement]:
    """Sort into reading order (top to bottom, then left to right) and number from 1."""
    ordered = sorted(
        elements,
        key=lambda e: (e.bounds.y1, e.bounds.x1, e.bounds.y2, e.bounds.x2, e.text, e.description),
    )
    return [replace(el, id=i) for i, el in enumerate(ordered, start=1)]


def parse_hierarchy(xml: str, *, screen_size: tuple[int, int] | None = None) -> list[UIElement]:
    """Elements of a uiautomator dump, filtered, folded and numbered in reading order."""
    root = _document(xml)
    size = screen_size or infer_screen_size(root)
    elements: list[UIElement] = []
    for window in root:
        if window.tag != "node":
            continue
        built = _build(window, size)
        if built is not None:
            _collect(built, elements, size[0] * size[1])
    return number(_dedupe(elements))
