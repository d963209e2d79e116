"""Views: a small widget tree whose classes map to real Android widget classes.

Sizes are pixels at 1080×2400. `width`/`height` take a pixel value, `MATCH` (fill the
parent) or `WRAP` (size to content). Layout fills in `rect` (laid-out box) and `clip`
(the part visible on screen); `layout.py` does the arithmetic, `render.py` the drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

MATCH = -1
WRAP = -2

Rect = tuple[int, int, int, int]
EMPTY: Rect = (0, 0, 0, 0)
Insets = tuple[int, ...]  # (all) / (horizontal, vertical) / (left, top, right, bottom)

Action = Callable[[], object]
PressAction = Callable[[int, int], None]
SwipeAction = Callable[[float, float], bool]  # (dx, dy) -> handled
Painter = Callable[[int, int], "Image.Image"]  # (width, height) -> a bitmap of that size


def insets(value: tuple[int, ...]) -> tuple[int, int, int, int]:
    """Normalise padding/margin: (all), (horizontal, vertical) or (left, top, right, bottom)."""
    if len(value) == 1:
        return (value[0], value[0], value[0], value[0])
    if len(value) == 2:
        return (value[0], value[1], value[0], value[1])
    left, top, right, bottom = value
    return (left, top, right, bottom)


def intersect(a: Rect, b: Rect) -> Rect:
    """The intersection of two rectangles, or EMPTY."""
    left, top = max(a[0], b[0]), max(a[1], b[1])
    right, bottom = min(a[2], b[2]), min(a[3], b[3])
    return (left, top, right, bottom) if left < right and top < bottom else EMPTY


def contains(rect: Rect, x: float, y: float) -> bool:
    """True when the point lies inside the rectangle."""
    return rect[0] <= x < rect[2] and rect[1] <= y < rect[3]


@dataclass(eq=False, kw_only=True)
class View:
    """The base view (`android.view.View`)."""

    class_name: str = "android.view.View"
    id: str = ""
    text: str = ""
    desc: str = ""
    width: int = MATCH
    height: int = WRAP
    weight: float = 0.0
    padding: Insets = (0, 0, 0, 0)
    margin: Insets = (0, 0, 0, 0)
    gravity: str = ""  # position inside a FrameLayout / cross-axis alignment in a row
    bg: str | None = None
    radius: int = 0
    border: str | None = None
    on_click: Action | None = None
    on_long_click: Action | None = None
    on_press: PressAction | None = None  # click that needs the touch point
    on_swipe: SwipeAction | None = None  # a fling that is not a scroll (drawer, dismiss)
    focusable: bool = False
    enabled: bool = True
    selected: bool = False
    checkable: bool = False
    checked: bool = False
    visible: bool = True
    important: bool = False  # keep in compressed dumps even without text/id
    children: list[View] = field(default_factory=list)
    rect: Rect = field(default=EMPTY, init=False)
    clip: Rect = field(default=EMPTY, init=False)

    def __post_init__(self) -> None:
        self.padding = insets(self.padding)
        self.margin = insets(self.margin)

    # -- what the accessibility layer reports -------------------------------------
    @property
    def clickable(self) -> bool:
        return self.enabled and (self.on_click is not None or self.on_press is not None)

    @property
    def long_clickable(self) -> bool:
        return self.enabled and self.on_long_click is not None

    @property
    def scrollable(self) -> bool:
        return False

    @property
    def node_text(self) -> str:
        return self.text

    @property
    def hint_text(self) -> str:
        return ""

    @property
    def is_focused(self) -> bool:
        return False

    @property
    def is_password(self) -> bool:
        return False

    @property
    def shows_children(self) -> bool:
        """False for views whose content is drawn but not reported (web views, games)."""
        return True


@dataclass(eq=False, kw_only=True)
class ViewGroup(View):
    """A plain container (`android.view.ViewGroup`) stacking children vertically."""

    class_name: str = "android.view.ViewGroup"
    orientation: str = "vertical"
    spacing: int = 0


@dataclass(eq=False, kw_only=True)
class LinearLayout(ViewGroup):
    """`android.widget.LinearLayout`: children stacked vertically or horizontally."""

    class_name: str = "android.widget.LinearLayout"


def Row(**kwargs: object) -> LinearLayout:
    """A horizontal LinearLayout with children centred vertically."""
    kwargs.setdefault("gravity", "center_vertical")
    return LinearLayout(orientation="horizontal", **kwargs)  # type: ignore[arg-type]


@dataclass(eq=False, kw_only=True)
class FrameLayout(View):
    """`android.widget.FrameLayout`: children stacked on top of each other."""

    class_name: str = "android.widget.FrameLayout"


@dataclass(slots=True)
class ScrollState:
    """The scroll offset of one scrolling view, kept by its activity across rebuilds."""

    y: int = 0
    max_y: int = 0
    viewport: int = 0


@dataclass(eq=False, kw_only=True)
class ScrollView(ViewGroup):
    """`android.widget.ScrollView`: a vertical list clipped to its box, scrolled by `state`."""

    class_name: str = "android.widget.ScrollView"
    state: ScrollState = field(default_factory=ScrollState)
    content_height: int = field(default=0, init=False)

    @property
    def scrollable(self) -> bool:
        return self.state.max_y > 0


@dataclass(eq=False, kw_only=True)
class RecyclerView(ScrollView):
    """`androidx.recyclerview.widget.RecyclerView`."""

    class_name: str = "androidx.recyclerview.widget.RecyclerView"


@dataclass(eq=False, kw_only=True)
class TextView(View):
    """`android.widget.TextView`: text wrapped to `max_lines`, ellipsised after."""

    class_name: str = "android.widget.TextView"
    size: int = 42
    color: str = "on_surface"
    bold: bool = False
    align: str = "left"
    max_lines: int = 1
    lines: list[str] = field(default_factory=list, init=False)


@dataclass(eq=False, kw_only=True)
class KeyView(TextView):
    """A keyboard key: its label is drawn, but reported only as the content description,
    on a clickable FrameLayout (as Gboard's keys are)."""

    class_name: str = "android.widget.FrameLayout"

    @property
    def node_text(self) -> str:
        return ""


@dataclass(eq=False, kw_only=True)
class Button(TextView):
    """`android.widget.Button`: centred bold text on a filled rounded box."""

    class_name: str = "android.widget.Button"
    bg: str | None = "primary"
    color: str = "on_primary"
    bold: bool = True
    align: str = "center"
    radius: int = 60
    focusable: bool = True


@dataclass(eq=False, kw_only=True)
class ImageView(View):
    """`android.widget.ImageView` showing a drawn icon."""

    class_name: str = "android.widget.ImageView"
    icon: str = ""
    icon_color: str = "on_surface"
    icon_size: int = 66
    icon_bg: str | None = None  # a filled circle behind the icon


@dataclass(eq=False, kw_only=True)
class Picture(ImageView):
    """An `ImageView` showing a bitmap (`paint(width, height)`): a wallpaper, a camera
    preview, a task snapshot. `radius` rounds its corners."""

    paint: Painter | None = None


@dataclass(eq=False, kw_only=True)
class ImageButton(ImageView):
    """`android.widget.ImageButton`: an icon-only button, described by content-desc."""

    class_name: str = "android.widget.ImageButton"
    focusable: bool = True


@dataclass(eq=False, kw_only=True)
class IconTextView(TextView):
    """A TextView with an icon drawn above its label (a launcher shortcut)."""

    icon: str = ""
    icon_bg: str = "primary"
    icon_color: str = "#ffffff"  # the glyph on the app's colour, in both themes
    icon_size: int = 150
    align: str = "center"
    color: str = "on_wallpaper"
    size: int = 36
    show_label: bool = True  # False: the label is reported but not drawn (the dock)


@dataclass(eq=False, kw_only=True)
class EditText(TextView):
    """`android.widget.EditText`. `value` is the typed text; empty shows (and reports) the
    hint. `field` names the field for focus tracking by the activity."""

    class_name: str = "android.widget.EditText"
    field: str = ""
    value: str = ""
    hint: str = ""
    password: bool = False
    multiline: bool = False
    on_change: Callable[[str], None] | None = None
    on_submit: Action | None = None
    focused: bool = False
    focusable: bool = True
    bg: str | None = "surface_variant"
    radius: int = 18

    @property
    def clickable(self) -> bool:
        return self.enabled

    @property
    def long_clickable(self) -> bool:
        return self.enabled

    @property
    def node_text(self) -> str:
        if not self.value:
            return self.hint
        return "•" * len(self.value) if self.password else self.value

    @property
    def hint_text(self) -> str:
        return self.hint

    @property
    def is_focused(self) -> bool:
        return self.focused

    @property
    def is_password(self) -> bool:
        return self.password

    def shown_text(self) -> str:
        """What the field draws: the (masked) value, or the hint when empty."""
        return self.node_text


@dataclass(eq=False, kw_only=True)
class CompoundButton(View):
    """Base of Switch and CheckBox: checkable, toggled by a click."""

    checkable: bool = True
    focusable: bool = True
    label_size: int = 40


@dataclass(eq=False, kw_only=True)
class Switch(CompoundButton):
    """`android.widget.Switch`."""

    class_name: str = "android.widget.Switch"
    width: int = 150
    height: int = 90


@dataclass(eq=False, kw_only=True)
class CheckBox(CompoundButton):
    """`android.widget.CheckBox` (label drawn right of the box)."""

    class_name: str = "android.widget.CheckBox"
    height: int = 110


@dataclass(eq=False, kw_only=True)
class SeekBar(View):
    """`android.widget.SeekBar`; a tap moves the thumb to the touch point."""

    class_name: str = "android.widget.SeekBar"
    value: int = 0
    maximum: int = 255
    height: int = 110
    focusable: bool = True
    on_change: Callable[[int], None] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.on_change is not None and self.on_press is None:
            self.on_press = self._press

    def _press(self, x: int, _y: int) -> None:
        left, right = self.rect[0] + 40, self.rect[2] - 40
        frac = min(1.0, max(0.0, (x - left) / max(1, right - left)))
        if self.on_change is not None:
            self.on_change(round(frac * self.maximum))


@dataclass(slots=True)
class WebBlock:
    """One block of a web page: a heading, paragraph or link."""

    text: str
    kind: str = "p"  # h1, h2, p, link, small, hidden (in the background colour), tiny
    href: str = ""


@dataclass(eq=False, kw_only=True)
class WebView(ScrollView):
    """`android.webkit.WebView`: page text is drawn, never reported as nodes."""

    class_name: str = "android.webkit.WebView"
    blocks: list[WebBlock] = field(default_factory=list)
    on_link: Callable[[str], None] | None = None
    # laid-out lines: (text, kind, href, x, y relative to content top, size)
    runs: list[tuple[str, str, str, int, int, int]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.on_link is not None and self.on_press is None:
            self.on_press = self._press

    @property
    def shows_children(self) -> bool:
        return False

    def _press(self, x: int, y: int) -> None:
        top = self.rect[1] + self.padding[1] - self.state.y
        for text, kind, href, rx, ry, size in self.runs:
            if kind != "link" or not href:
                continue
            left = self.rect[0] + rx
            if (
                left <= x <= left + len(text) * size * 0.6
                and top + ry <= y <= top + ry + size * 1.4
            ):
                if self.on_link is not None:
                    self.on_link(href)
                return


def swipe_target_at(view: View, x: float, y: float) -> View | None:
    """The innermost view under (x, y) that handles a swipe (`on_swipe`)."""
    if not view.visible or not contains(view.clip, x, y):
        return None
    for child in reversed(view.children):
        hit = swipe_target_at(child, x, y)
        if hit is not None:
            return hit
    return view if view.on_swipe is not None and view.enabled else None


def walk(view: View) -> list[View]:
    """The view and its descendants, depth first."""
    out = [view]
    for child in view.children:
        out.extend(walk(child))
    return out
