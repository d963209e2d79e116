"""View trees → accessibility nodes → uiautomator hierarchy XML (VIRTUAL_PHONE.md §5)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..contract import NodeInfo
from .views import Rect, View

XML_HEADER = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"

_LAYOUT_CLASSES = frozenset(
    {
        "android.view.View",
        "android.view.ViewGroup",
        "android.widget.FrameLayout",
        "android.widget.LinearLayout",
        "android.widget.RelativeLayout",
    }
)


class NodeBuilder:
    """Turns laid-out view trees into NodeInfo trees, numbering keys across windows; node
    bounds go through `to_pixels` when given (views are laid out in layout units)."""

    def __init__(self, to_pixels: Callable[[Rect], Rect] | None = None) -> None:
        self.views: dict[int, View] = {}
        self._next = 1
        self._to_pixels = to_pixels

    def build(self, view: View, package: str, index: int = 0, order: int = 0) -> NodeInfo | None:
        """The node for `view` (None when it is hidden or entirely off screen)."""
        if not view.visible or view.clip[2] <= view.clip[0] or view.clip[3] <= view.clip[1]:
            return None
        key = self._next
        self._next += 1
        self.views[key] = view
        node = NodeInfo(
            key=key,
            index=index,
            text=view.node_text,
            resource_id=view.id,
            class_name=view.class_name,
            package=package,
            content_desc=view.desc,
            bounds=self._to_pixels(view.clip) if self._to_pixels else view.clip,
            checkable=view.checkable,
            checked=view.checked,
            clickable=view.clickable,
            enabled=view.enabled,
            focusable=view.focusable,
            focused=view.is_focused,
            scrollable=view.scrollable,
            long_clickable=view.long_clickable,
            password=view.is_password,
            selected=view.selected,
            hint=view.hint_text,
            drawing_order=order,
        )
        if view.shows_children:
            shown = 0
            for position, child in enumerate(view.children):
                child_node = self.build(child, package, shown, position + 1)
                if child_node is not None:
                    child_node.parent = node
                    node.children.append(child_node)
                    shown += 1
        return node


def escape(value: str) -> str:
    """XML attribute escaping as Android's serializer does it (control chars dropped)."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;")
        elif ch in "\n\r\t":
            out.append(f"&#{code};")
        elif code < 0x20 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            continue
        else:
            out.append(ch)
    return "".join(out)


def _flag(flag: bool) -> str:
    """An XML boolean attribute value."""
    return "true" if flag else "false"


def _attrs(node: NodeInfo, index: int) -> str:
    left, top, right, bottom = node.bounds
    return (
        f'index="{index}" text="{escape(node.text)}" resource-id="{escape(node.resource_id)}" '
        f'class="{escape(node.class_name)}" package="{escape(node.package)}" '
        f'content-desc="{escape(node.content_desc)}" checkable="{_flag(node.checkable)}" '
        f'checked="{_flag(node.checked)}" clickable="{_flag(node.clickable)}" '
        f'enabled="{_flag(node.enabled)}" focusable="{_flag(node.focusable)}" '
        f'focused="{_flag(node.focused)}" scrollable="{_flag(node.scrollable)}" '
        f'long-clickable="{_flag(node.long_clickable)}" password="{_flag(node.password)}" '
        f'selected="{_flag(node.selected)}" visible-to-user="true" '
        f'bounds="[{left},{top}][{right},{bottom}]" drawing-order="{node.drawing_order}" '
        f'hint="{escape(node.hint)}" display-id="0"'
    )


def is_informative(node: NodeInfo) -> bool:
    """False for plain layout containers that carry nothing a reader needs."""
    return bool(
        node.class_name not in _LAYOUT_CLASSES
        or node.text
        or node.content_desc
        or node.resource_id
        or node.clickable
        or node.long_clickable
        or node.scrollable
        or node.checkable
        or node.focused
    )


def _kept_children(node: NodeInfo, compressed: bool) -> Iterator[NodeInfo]:
    for child in node.children:
        if compressed and not is_informative(child):
            yield from _kept_children(child, compressed)
        else:
            yield child


def _write(
    node: NodeInfo, index: int, depth: int, compressed: bool, max_depth: int, out: list[str]
) -> None:
    pad = "  " * (depth + 1)
    kids = list(_kept_children(node, compressed)) if depth + 1 < max_depth else []
    if not kids:
        out.append(f"{pad}<node {_attrs(node, index)} />")
        return
    out.append(f"{pad}<node {_attrs(node, index)}>")
    for position, child in enumerate(kids):
        _write(
            child, position if compressed else child.index, depth + 1, compressed, max_depth, out
        )
    out.append(f"{pad}</node>")


def to_xml(
    roots: list[NodeInfo], rotation: int = 0, compressed: bool = False, max_depth: int = 50
) -> str:
    """Serialise window roots as a uiautomator dump."""
    out = [XML_HEADER, f'<hierarchy rotation="{rotation}">']
    for root in roots:
        _write(root, 0, 0, compressed, max(1, max_depth), out)
    out.append("</hierarchy>")
    return "\n".join(out)


# -- the classic format of `uiautomator dump` (AOSP AccessibilityNodeInfoDumper) ---------

_NAF_EXCLUDED = ("GridView", "GridLayout", "ListView", "TableLayout")


def _classic_text(value: str) -> str:
    """AOSP's `stripInvalidXMLChars` (control characters become '.') then XML escaping."""
    kept = "".join(
        "." if (ord(ch) < 0x20 and ch not in "\n\r\t") or 0x7F <= ord(ch) <= 0x9F else ch
        for ch in value
    )
    return escape(kept)


def _labelled_below(node: NodeInfo) -> bool:
    return any(c.text or c.content_desc or _labelled_below(c) for c in node.children)


def _is_naf(node: NodeInfo) -> bool:
    """AOSP's "not accessibility friendly" mark: a clickable with no label anywhere in it."""
    if node.class_name.endswith(_NAF_EXCLUDED):
        return False
    unlabelled = node.clickable and node.enabled and not node.text and not node.content_desc
    return unlabelled and not _labelled_below(node)


def _classic_attrs(node: NodeInfo, index: int) -> str:
    left, top, right, bottom = node.bounds
    naf = 'NAF="true" ' if _is_naf(node) else ""
    return (
        f'{naf}index="{index}" text="{_classic_text(node.text)}" '
        f'resource-id="{_classic_text(node.resource_id)}" '
        f'class="{_classic_text(node.class_name)}" package="{_classic_text(node.package)}" '
        f'content-desc="{_classic_text(node.content_desc)}" '
        f'checkable="{_flag(node.checkable)}" checked="{_flag(node.checked)}" '
        f'clickable="{_flag(node.clickable)}" enabled="{_flag(node.enabled)}" '
        f'focusable="{_flag(node.focusable)}" focused="{_flag(node.focused)}" '
        f'scrollable="{_flag(node.scrollable)}" long-clickable="{_flag(node.long_clickable)}" '
        f'password="{_flag(node.password)}" selected="{_flag(node.selected)}" '
        f'bounds="[{left},{top}][{right},{bottom}]"'
    )


def _write_classic(node: NodeInfo, index: int, compressed: bool, out: list[str]) -> None:
    kids = list(_kept_children(node, compressed))
    if not kids:
        out.append(f"<node {_classic_attrs(node, index)} />")
        return
    out.append(f"<node {_classic_attrs(node, index)}>")
    for position, child in enumerate(kids):
        _write_classic(child, position if compressed else child.index, compressed, out)
    out.append("</node>")


def to_classic_xml(root: NodeInfo | None, rotation: int = 0, compressed: bool = False) -> str:
    """One window as `uiautomator dump` writes it (AOSP `DumpCommand`): the classic
    attributes in AOSP's order, `NAF` on unlabelled clickables, no indentation."""
    out = [XML_HEADER, f'<hierarchy rotation="{rotation}">']
    if root is not None:
        _write_classic(root, 0, compressed, out)
    out.append("</hierarchy>")
    return "".join(out)


def iter_nodes(roots: list[NodeInfo]) -> Iterator[NodeInfo]:
    """Every node under the given roots, depth first in document order."""
    for root in roots:
        yield root
        yield from iter_nodes(root.children)


def find_node(roots: list[NodeInfo], **attrs: object) -> NodeInfo | None:
    """The first node whose NodeInfo attributes equal all of `attrs` (e.g. text="OK")."""
    for node in iter_nodes(roots):
        if all(getattr(node, name) == value for name, value in attrs.items()):
            return node
    return None
