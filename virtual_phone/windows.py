"""Composing the screen: windows in z-order, their layout, nodes, hit-testing, drawing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image

from .contract import NodeInfo
from .ui.fonts import font_for
from .ui.hierarchy import NodeBuilder
from .ui.layout import layout, line_height
from .ui.render import Canvas, DrawnText, draw_tree
from .ui.theme import Theme
from .ui.views import (
    MATCH,
    EditText,
    FrameLayout,
    Rect,
    ScrollView,
    SeekBar,
    View,
    contains,
    walk,
)

# Windows that can be the active one (AOSP `getRootInActiveWindow`): bars and the
# keyboard never take input focus.
ACTIVE_WINDOWS = ("shade", "dialog", "app")


@dataclass
class Window:
    """One window: its root view, the screen rectangle it occupies and its package."""

    name: str  # "shade", "navigation_bar", "status_bar", "keyboard", "dialog", "app"
    package: str
    root: View
    rect: Rect
    node_root: View | None = None  # the view reported as the window root (default: root)


@dataclass
class Snapshot:
    """Everything derived from one UI version: windows (topmost first) and nodes."""

    version: int
    windows: list[Window]
    theme: Theme
    toast: str | None = None
    scrim: bool = False
    clock: str = ""
    nodes: list[NodeInfo] = field(default_factory=list)
    views: dict[int, View] = field(default_factory=dict)
    focused: EditText | None = None
    xml: dict[tuple[str, bool, int], str] = field(default_factory=dict)
    active: NodeInfo | None = None  # the root of the window that takes input

    def shows(self, window: str) -> bool:
        """Whether a window of this name ("keyboard", "dialog", "shade"…) is on screen."""
        return any(w.name == window for w in self.windows)


def place(name: str, package: str, root: View, rect: Rect, screen: Rect) -> Window:
    """Lay `root` out inside `rect` and wrap it as a window."""
    layout(root, rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1], screen)
    return Window(name, package, root, rect)


def app_root(content: View, top: int, bottom: int, height: int) -> FrameLayout:
    """The app window's decor: full screen, content between the bars (adjustResize)."""
    frame = FrameLayout(id="android:id/content", height=MATCH, children=[content])
    return FrameLayout(
        height=MATCH,
        padding=(0, top, 0, height - bottom),
        bg=content.bg or "background",
        children=[frame],
    )


def build_nodes(snapshot: Snapshot, to_pixels: Callable[[Rect], Rect] | None = None) -> None:
    """Fill `snapshot.nodes` / `views` / `active` from its laid-out windows (node bounds
    through `to_pixels`, when the layout units are not the screen's pixels)."""
    builder = NodeBuilder(to_pixels)
    for window in snapshot.windows:
        node = builder.build(window.node_root or window.root, window.package)
        if node is not None:
            snapshot.nodes.append(node)
            if snapshot.active is None and window.name in ACTIVE_WINDOWS:
                snapshot.active = node
    snapshot.views = builder.views


def find_focused(root: View, field_name: str | None) -> EditText | None:
    """Mark the EditText whose field is `field_name` as focused and return it."""
    found = None
    for view in walk(root):
        if isinstance(view, EditText):
            view.focused = field_name is not None and view.field == field_name and view.visible
            if view.focused:
                found = view
    return found


def target_at(view: View, x: float, y: float, long: bool) -> View | None:
    """The deepest enabled view under (x, y) that handles a click (or long click)."""
    if not view.visible or not contains(view.clip, x, y):
        return None
    if view.shows_children:
        for child in reversed(view.children):
            hit = target_at(child, x, y, long)
            if hit is not None:
                return hit
    if view.enabled and (view.clickable or (long and view.long_clickable)):
        return view
    return None


def scroller_at(view: View, x: float, y: float) -> ScrollView | SeekBar | None:
    """The innermost scrollable view (or SeekBar) under (x, y)."""
    if not view.visible or not contains(view.clip, x, y):
        return None
    if view.shows_children:
        for child in reversed(view.children):
            hit = scroller_at(child, x, y)
            if hit is not None:
                return hit
    if isinstance(view, ScrollView) and view.state.max_y > 0:
        return view
    if isinstance(view, SeekBar) and view.on_change is not None:
        return view
    return None


def render(snapshot: Snapshot, width: int, height: int) -> tuple[Image.Image, list[DrawnText]]:
    """Draw all windows bottom-up, with the dialog scrim and the toast."""
    image = Image.new("RGB", (width, height), snapshot.theme.color("background"))
    canvas = Canvas(image, snapshot.theme)
    for window in reversed(snapshot.windows):
        if window.name == "shade" and snapshot.toast:
            _draw_toast(canvas, snapshot.toast, width, height)
        if window.name == "dialog":
            canvas.image.paste(Image.blend(canvas.image, Image.new("RGB", (width, height)), 0.45))
        draw_tree(canvas, window.root)
    if snapshot.toast and not any(w.name == "shade" for w in snapshot.windows):
        _draw_toast(canvas, snapshot.toast, width, height)
    return image, canvas.texts


def _draw_toast(canvas: Canvas, text: str, width: int, height: int) -> None:
    size = 38
    font = font_for(text, size)
    text_w = min(width - 160, int(font.getlength(text)))
    box_w = text_w + 100
    left = (width - box_w) // 2
    top = height - 420
    canvas.fill((left, top, left + box_w, top + line_height(size) + 50), "toast", radius=40)
    canvas.text(left + 50, top + 25, text, size, "on_toast", reported=False)
