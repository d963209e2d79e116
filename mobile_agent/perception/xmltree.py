"""The one reader of uiautomator hierarchy dumps: a streaming, bounded load into a light tree.

Everything that reads hierarchy XML (element extraction, settling, the screen signature,
the device's focused-field lookup, benchmarks) goes through `load_hierarchy`.

Real dumps are not always well-formed documents: `uiautomator dump /dev/tty` appends
``UI hierchary dumped to: /dev/tty`` after ``</hierarchy>``, some carry a byte-order mark or
control characters that XML 1.0 forbids, some were saved as UTF-16. Those are repaired
(bytes are decoded by `decode_dump`); anything else that does not parse raises `ParseError`
with the parser's position, and well-formed XML that is no UI dump (an Android layout file)
raises `NotAHierarchyDump`.

The dump is read as a stream (expat, fed in chunks) with two limits: at most `MAX_NODES`
nodes are read (the parse stops there) and nodes deeper than `MAX_DEPTH` levels below their
window are skipped. Neither is silent: `RawHierarchy.truncated` says what was left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from mobile_agent.errors import ParseError
from mobile_agent.perception.inputs import NotAHierarchyDump, decode_dump

_BOUNDS = re.compile(r"\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]\s*\[\s*(-?\d+)\s*,\s*(-?\d+)\s*\]")
_ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHAR_REF = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")
_LAYOUT_ATTR = re.compile(r"^(xmlns:android|android:|app:|tools:)")
MAX_NODES = 20_000  # a real screen has hundreds; a dump with more is read up to here
MAX_DEPTH = 400  # levels below a window; deeper nodes are skipped (and counted)
_CHUNK = 1 << 20
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
    truncated: str = ""  # what the limits left out, in words; "" when nothing

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


def _clean(text: str) -> str:
    """`text` without the characters (and character references) XML 1.0 forbids."""
    text = _ILLEGAL_CHARS.sub("", text)
    return _CHAR_REF.sub(_legal_char_ref, text) if "&#" in text else text


def _span(xml: str) -> tuple[int, int]:
    """Where the document lies in `xml`: from the first ``<`` to ``</hierarchy>`` (or the
    last ``>``), leaving out leading and trailing junk."""
    start = xml.find("<")
    end = xml.rfind(">")
    if start < 0 or end < start:
        raise ParseError("the hierarchy dump holds no XML")
    closing = xml.rfind("</hierarchy>", start)
    return start, (closing + len("</hierarchy>") if closing >= 0 else end + 1)


def _chunks(xml: str, start: int, end: int) -> Iterator[str]:
    """Cleaned pieces of ``xml[start:end]``; a piece never ends inside a character reference."""
    while start < end:
        stop = min(end, start + _CHUNK)
        if stop < end:
            amp = xml.rfind("&", stop - 12, stop)
            if amp > start and xml.find(";", amp, stop) < 0:
                stop = amp
        yield _clean(xml[start:stop])
        start = stop


class _Stop(Exception):
    """Raised from a parser callback when the node limit is reached."""


class _Reader:
    """Builds `RawNode`s from expat's start/end callbacks, within the limits."""

    def __init__(self, max_nodes: int, max_depth: int) -> None:
        self.max_nodes, self.max_depth = max_nodes, max_depth
        self.stack: list[RawNode | None] = []  # None: a skipped (too deep) node
        self.windows: list[RawNode] = []
        self.root_tag = ""
        self.rotation = 0
        self.count = self.too_deep = 0
        self.full = self.closed = False
        self.layout_attrs = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.root_tag:
            self.root_tag = tag
            self.layout_attrs = any(_LAYOUT_ATTR.match(name) for name in attrs)
            if tag != "node":
                self.rotation = _int(attrs.get("rotation", "0"))
                return
        depth = len(self.stack)  # levels below the window
        if depth > self.max_depth or (self.stack and self.stack[-1] is None):
            self.too_deep += 1
            self.stack.append(None)
            return
        if self.count >= self.max_nodes:
            self.full = True
            raise _Stop
        self.stack.append(self._node(tag, attrs))

    def _node(self, tag: str, attrs: dict[str, str]) -> RawNode:
        if tag != "node" and "class" not in attrs:
            attrs["class"] = tag  # Appium page source: the tag is the class name
        parent = self.stack[-1] if self.stack else None
        window = parent.window if parent is not None else len(self.windows)
        node = RawNode(attrs, parse_bounds(attrs.get("bounds", "")), window, self.count)
        self.count += 1
        if parent is None:
            self.windows.append(node)
        else:
            parent.children.append(node)
        return node

    def end(self, _tag: str) -> None:
        if self.stack:
            self.stack.pop()
            if self.stack or self.root_tag != "node":
                return
        self.closed = True  # the root element ended: what follows is junk

    def truncated(self) -> str:
        parts = []
        if self.full:
            parts.append(f"the dump holds more than {self.max_nodes:,} nodes; read up to there")
        if self.too_deep:
            parts.append(
                f"{self.too_deep:,} nodes deeper than {self.max_depth} levels were left out"
            )
        return "; ".join(parts)


def load_hierarchy(
    xml: str | bytes, *, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH
) -> RawHierarchy:
    """Parse a uiautomator (or uiautomator2, or Appium-style) dump into raw nodes.

    Bytes are decoded by `decode_dump` (BOMs, UTF-16). Past `max_nodes` the parse stops, and
    nodes deeper than `max_depth` are skipped; `truncated` of the result reports either."""
    if isinstance(xml, bytes):
        xml = decode_dump(xml)
    if not xml or not xml.strip():
        raise ParseError("the hierarchy dump is empty")
    reader = _Reader(max_nodes, max_depth)
    parser = expat.ParserCreate()
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.buffer_text = True
    start, end = _span(xml)
    try:
        for chunk in _chunks(xml, start, end):
            parser.Parse(chunk, False)
        parser.Parse("", True)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        if not reader.closed:
            raise ParseError(f"the hierarchy dump is not well-formed XML ({exc})") from exc
    _check_is_dump(reader)
    return RawHierarchy(reader.windows, reader.rotation, reader.count, reader.truncated())


def _check_is_dump(reader: _Reader) -> None:
    """A layout file (``<LinearLayout android:layout_width=…>``) is no UI dump."""
    if reader.root_tag in ("hierarchy", "node"):
        return
    has_bounds = any(n.rect is not None for w in reader.windows for n in w.walk())
    if reader.layout_attrs or not has_bounds:
        raise NotAHierarchyDump(
            f"this XML is not a UI hierarchy dump: its root is <{reader.root_tag}> and "
            "no node has bounds (an Android layout file?); save one with "
            "`adb shell uiautomator dump` or `mobile-agent inspect --device`"
        )


def hierarchy_rotation(xml: str) -> int:
    """The ``rotation`` attribute of ``<hierarchy>``, read from the start of the dump alone
    (0 when absent or unreadable)."""
    start = xml.find("<")
    if start < 0:
        return 0
    found: list[int] = []

    def first(tag: str, attrs: dict[str, str]) -> None:
        found.append(_int(attrs.get("rotation", "0")) if tag == "hierarchy" else 0)
        raise _Stop

    parser = expat.ParserCreate()
    parser.StartElementHandler = first
    try:
        for offset in range(start, len(xml), _ROOT_CHUNK):
            parser.Parse(_clean(xml[offset : offset + _ROOT_CHUNK]), False)
    except (_Stop, expat.ExpatError):
        pass
    return found[0] if found else 0


def _int(value: str) -> int:
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        return 0
