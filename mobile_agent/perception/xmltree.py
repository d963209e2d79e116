"""The one reader of uiautomator hierarchy dumps: tolerant loading into a light tree.

Everything that reads hierarchy XML (element extraction, settling, the screen signature,
the device's focused-field lookup, benchmarks) goes through `load_hierarchy`.

Real dumps are not always well-formed documents: `uiautomator dump /dev/tty` appends
``UI hierchary dumped to: /dev/tty`` after ``</hierarchy>``, some carry a byte-order mark or
control characters that XML 1.0 forbids. Those are repaired; anything else that does not
parse raises `ParseError` with the parser's position.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from mobile_agent.errors import ParseError

_BOUNDS = re.compile(r"\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]")
_ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHAR_REF = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")
_MAX_DEPTH = 400
_ROOT_CHUNK = 1024

Rect = tuple[int, int, int, int]


@dataclass(slots=True)
class RawNode:
    """One `<node>` as dumped, attributes decoded, before any filtering."""

    attrs: dict[str, str]
    rect: Rect | None
    window: int
    order: int
    children: list[RawNode] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)

    def flag(self, name: str) -> bool:
        return self.attrs.get(name, "").strip().lower() == "true"

    @property
    def class_name(self) -> str:
        return self.attrs.get("class", "")

    def walk(self) -> Iterator[RawNode]:
        """This node and its descendants, depth first in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass(slots=True)
class RawHierarchy:
    """The windows of one dump (top-level nodes) and the root's rotation."""

    windows: list[RawNode]
    rotation: int
    count: int

    def nodes(self) -> Iterator[RawNode]:
        """Every node, depth first in document order."""
        for window in self.windows:
            yield from window.walk()


def parse_bounds(value: str) -> Rect | None:
    """``"[l,t][r,b]"`` → (l, t, r, b), or None when missing or unreadable."""
    match = _BOUNDS.search(value) if value else None
    if match is None:
        return None
    x1, y1, x2, y2 = (int(v) for v in match.groups())
    return (x1, y1, x2, y2)


def _legal_char_ref(match: re.Match[str]) -> str:
    ref = match.group(1)
    code = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
    legal = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
    legal = legal or 0x10000 <= code <= 0x10FFFF
    return match.group(0) if legal else ""


def clean_xml(xml: str) -> str:
    """The dump without leading/trailing junk and characters XML 1.0 forbids."""
    text = xml.lstrip("\ufeff \t\r\n")
    start = text.find("<")
    end = text.rfind(">")
    if start < 0 or end < start:
        raise ParseError("the hierarchy dump holds no XML")
    text = text[start : end + 1]
    closing = text.rfind("</hierarchy>")
    if closing >= 0:
        text = text[: closing + len("</hierarchy>")]
    text = _ILLEGAL_CHARS.sub("", text)
    if "&#" in text:
        text = _CHAR_REF.sub(_legal_char_ref, text)
    return text


def load_hierarchy(xml: str) -> RawHierarchy:
    """Parse a uiautomator (or uiautomator2, or Appium-style) dump into raw nodes."""
    if not xml or not xml.strip():
        raise ParseError("the hierarchy dump is empty")
    try:
        root = ET.fromstring(clean_xml(xml))
    except ET.ParseError as exc:
        raise ParseError(f"the hierarchy dump is not well-formed XML ({exc})") from exc
    rotation = _int(root.get("rotation", "0"))
    top = [root] if root.tag == "node" else list(root)
    counter = [0]
    windows = [_convert(el, index, counter, 0) for index, el in enumerate(top)]
    return RawHierarchy(windows=windows, rotation=rotation, count=counter[0])


def hierarchy_rotation(xml: str) -> int:
    """The ``rotation`` attribute of ``<hierarchy>``, read from the start of the dump alone
    (0 when absent or unreadable)."""
    start = xml.find("<")
    if start < 0:
        return 0
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start",))
    for offset in range(start, len(xml), _ROOT_CHUNK):
        try:
            parser.feed(xml[offset : offset + _ROOT_CHUNK])
        except ET.ParseError:
            return 0
        for event in parser.read_events():
            root = event[-1]
            if isinstance(root, ET.Element):
                return _int(root.get("rotation", "0")) if root.tag == "hierarchy" else 0
    return 0


def _convert(el: ET.Element, window: int, counter: list[int], depth: int) -> RawNode:
    attrs = dict(el.attrib)
    if el.tag != "node" and "class" not in attrs:
        attrs["class"] = el.tag  # Appium page source: the tag is the class name
    node = RawNode(
        attrs=attrs, rect=parse_bounds(attrs.get("bounds", "")), window=window, order=counter[0]
    )
    counter[0] += 1
    if depth < _MAX_DEPTH:
        node.children = [_convert(child, window, counter, depth + 1) for child in el]
    return node


def _int(value: str) -> int:
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        return 0
