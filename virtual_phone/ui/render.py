"""Drawing laid-out view trees onto a PIL image."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from .fonts import font_for
from .icons import draw_icon
from .layout import line_height
from .theme import Color, Theme
from .views import (
    CheckBox,
    EditText,
    IconTextView,
    ImageView,
    Picture,
    Rect,
    ScrollView,
    SeekBar,
    Switch,
    TextView,
    View,
    WebView,
    intersect,
)
from .wallpaper import wallpaper


@dataclass(frozen=True, slots=True)
class DrawnText:
    """A string drawn on screen; `reported` is False for text absent from the hierarchy."""

    text: str
    bounds: Rect
    reported: bool = True


@dataclass
class Canvas:
    """An image plus the screen offset of its top-left corner and the texts drawn on it."""

    image: Image.Image
    theme: Theme
    origin: tuple[int, int] = (0, 0)
    texts: list[DrawnText] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.draw = ImageDraw.Draw(self.image)

    def box(self, rect: Rect) -> tuple[int, int, int, int]:
        ox, oy = self.origin
        return (rect[0] - ox, rect[1] - oy, rect[2] - ox - 1, rect[3] - oy - 1)

    def fill(
        self, rect: Rect, color: str | Color, radius: int = 0, outline: str | None = None
    ) -> None:
        """Fill `rect` (screen coordinates) with a colour role or RGB."""
        rgb = self.theme.color(color) if isinstance(color, str) else color
        line = self.theme.color(outline) if outline else None
        b = self.box(rect)
        if b[2] <= b[0] or b[3] <= b[1]:
            return
        if radius:
            self.draw.rounded_rectangle(b, radius=radius, fill=rgb, outline=line, width=3)
        else:
            self.draw.rectangle(b, fill=rgb, outline=line, width=3 if line else 0)

    def text(
        self,
        x: int,
        y: int,
        text: str,
        size: int,
        color: str | Color,
        *,
        bold: bool = False,
        reported: bool = True,
        clip: Rect | None = None,
    ) -> int:
        """Draw one line of text at screen (x, y); returns its width."""
        if not text:
            return 0
        font = font_for(text, size, bold)
        rgb = self.theme.color(color) if isinstance(color, str) else color
        ox, oy = self.origin
        self.draw.text((x - ox, y - oy), text, font=font, fill=rgb)
        width = int(font.getlength(text))
        bounds = (x, y, x + width, y + line_height(size))
        if clip is not None:
            bounds = intersect(bounds, clip)
        if bounds[2] > bounds[0]:
            self.texts.append(DrawnText(text, bounds, reported))
        return width


def draw_tree(canvas: Canvas, view: View) -> None:
    """Draw a laid-out view and its subtree (views outside their clip are skipped)."""
    if not view.visible or view.clip[2] <= view.clip[0]:
        return
    if view.bg == "wallpaper":
        _draw_wallpaper(canvas, view)
    elif view.bg:
        canvas.fill(
            view.rect if view.clip == view.rect else view.clip,
            view.bg,
            view.radius if view.clip == view.rect else 0,
            view.border,
        )
    elif view.border:
        canvas.fill(view.rect, canvas.theme.color("surface"), view.radius, view.border)
    _draw_content(canvas, view)
    if isinstance(view, ScrollView):
        _draw_scrolled(canvas, view)
        return
    for child in view.children:
        draw_tree(canvas, child)


def _draw_wallpaper(canvas: Canvas, view: View) -> None:
    _, _, right, bottom = view.rect
    clip = view.clip
    if clip[2] <= clip[0] or clip[3] <= clip[1]:
        return
    ox, oy = canvas.origin
    # one wallpaper for the whole screen, so bars and pages over it line up
    screen_w = max(right, canvas.image.width + ox)
    screen_h = max(bottom, canvas.image.height + oy)
    image = wallpaper(screen_w, screen_h, canvas.theme.dark)
    canvas.image.paste(image.crop(clip), (clip[0] - ox, clip[1] - oy))


def _draw_scrolled(canvas: Canvas, view: ScrollView) -> None:
    clip = view.clip
    width, height = clip[2] - clip[0], clip[3] - clip[1]
    if width <= 0 or height <= 0:
        return
    base = canvas.theme.color(view.bg) if view.bg else None
    ox, oy = canvas.origin
    region = (clip[0] - ox, clip[1] - oy, clip[2] - ox, clip[3] - oy)
    layer = canvas.image.crop(region) if base is None else Image.new("RGB", (width, height), base)
    sub = Canvas(layer, canvas.theme, (clip[0], clip[1]), canvas.texts)
    if isinstance(view, WebView):
        _draw_web(sub, view)
    for child in view.children:
        draw_tree(sub, child)
    canvas.image.paste(layer, (region[0], region[1]))


def _draw_content(canvas: Canvas, view: View) -> None:
    if isinstance(view, IconTextView):
        _draw_icon_text(canvas, view)
    elif isinstance(view, EditText):
        _draw_edit(canvas, view)
    elif isinstance(view, TextView):
        _draw_text(canvas, view)
    elif isinstance(view, Picture):
        _draw_picture(canvas, view)
    elif isinstance(view, ImageView):
        _draw_image(canvas, view)
    elif isinstance(view, Switch):
        _draw_switch(canvas, view)
    elif isinstance(view, CheckBox):
        _draw_checkbox(canvas, view)
    elif isinstance(view, SeekBar):
        _draw_seekbar(canvas, view)


def _draw_text(
    canvas: Canvas, view: TextView, color: str | None = None, lines: list[str] | None = None
) -> None:
    left, top, right, bottom = view.rect
    pl, pt, pr, pb = view.padding
    shown = lines if lines is not None else view.lines
    lh = line_height(view.size)
    block = lh * len(shown)
    y = top + pt
    if not getattr(view, "multiline", False):
        y += max(0, (bottom - pb - top - pt - block) // 2)
    for line in shown:
        width = font_for(line, view.size, view.bold).getlength(line)
        x = left + pl
        if view.align == "center":
            x = left + pl + max(0, int((right - pr - left - pl - width) // 2))
        elif view.align == "right":
            x = right - pr - int(width)
        canvas.text(
            x,
            y + (lh - view.size) // 3,
            line,
            view.size,
            color or view.color,
            bold=view.bold,
            clip=view.clip,
        )
        y += lh


def _draw_icon_text(canvas: Canvas, view: IconTextView) -> None:
    left, top, right, _ = view.rect
    cx, size = (left + right) // 2, view.icon_size
    y0 = top + view.padding[1]
    canvas.fill((cx - size // 2, y0, cx + size // 2, y0 + size), view.icon_bg, radius=size // 2)
    inner = size * 5 // 9
    ox, oy = canvas.origin
    box = (
        cx - inner // 2 - ox,
        y0 + (size - inner) // 2 - oy,
        cx + inner // 2 - ox,
        y0 + (size + inner) // 2 - oy,
    )
    draw_icon(canvas.draw, view.icon, box, canvas.theme.color(view.icon_color))
    y = y0 + size + 16
    for line in view.lines if view.show_label else []:
        width = font_for(line, view.size, view.bold).getlength(line)
        canvas.text(
            cx - int(width) // 2, y, line, view.size, view.color, bold=view.bold, clip=view.clip
        )
        y += line_height(view.size)


def _draw_edit(canvas: Canvas, view: EditText) -> None:
    color = view.color if view.value else "muted"
    _draw_text(canvas, view, color)
    if view.focused:
        left, top, right, bottom = view.rect
        last = view.lines[-1] if view.lines else ""
        lh = line_height(view.size)
        n = max(1, len(view.lines))
        y0 = top + view.padding[1]
        if not view.multiline:
            y0 += max(0, (bottom - top - view.padding[1] - view.padding[3] - lh * n) // 2)
        x = (
            left
            + view.padding[0]
            + (int(font_for(last, view.size).getlength(last)) if view.value else 0)
        )
        y = y0 + lh * (n - 1)
        canvas.fill((x + 2, y + 4, x + 6, y + lh - 4), "primary")
        canvas.fill((left + 12, bottom - 6, right - 12, bottom - 1), "primary")


def _draw_picture(canvas: Canvas, view: Picture) -> None:
    left, top, right, bottom = view.rect
    if view.paint is None or right <= left or bottom <= top:
        return
    bitmap = view.paint(right - left, bottom - top).convert("RGB")
    mask = None
    if view.radius:
        mask = Image.new("L", bitmap.size, 0)
        ImageDraw.Draw(mask).rounded_rectangle(
            (0, 0, bitmap.width - 1, bitmap.height - 1), radius=view.radius, fill=255
        )
    clip = view.clip
    crop = (clip[0] - left, clip[1] - top, clip[2] - left, clip[3] - top)
    ox, oy = canvas.origin
    canvas.image.paste(
        bitmap.crop(crop), (clip[0] - ox, clip[1] - oy), mask.crop(crop) if mask else None
    )


def _draw_image(canvas: Canvas, view: ImageView) -> None:
    left, top, right, bottom = view.rect
    size = min(view.icon_size, right - left, bottom - top)
    cx, cy = (left + right) // 2, (top + bottom) // 2
    if view.icon_bg:
        r = max(size // 2, min(right - left, bottom - top) // 2 - 4)
        canvas.fill((cx - r, cy - r, cx + r, cy + r), view.icon_bg, radius=r)
    half = size // 2
    ox, oy = canvas.origin
    draw_icon(
        canvas.draw,
        view.icon,
        (cx - half - ox, cy - half - oy, cx + half - ox, cy + half - oy),
        canvas.theme.color(view.icon_color),
    )


def _draw_switch(canvas: Canvas, view: Switch) -> None:
    _, top, right, bottom = view.rect
    cy = (top + bottom) // 2
    track = (right - 130, cy - 30, right - 10, cy + 30)
    canvas.fill(track, "primary" if view.checked else "divider", radius=30)
    knob_x = track[2] - 30 if view.checked else track[0] + 30
    canvas.fill(
        (knob_x - 24, cy - 24, knob_x + 24, cy + 24),
        "on_primary" if view.checked else "muted",
        radius=24,
    )


def _draw_checkbox(canvas: Canvas, view: CheckBox) -> None:
    left, top, _, bottom = view.rect
    cy = (top + bottom) // 2
    box = (left + 20, cy - 30, left + 80, cy + 30)
    canvas.fill(box, "primary" if view.checked else "surface", radius=8, outline="muted")
    if view.checked:
        ox, oy = canvas.origin
        draw_icon(
            canvas.draw,
            "check",
            (box[0] - ox, box[1] - oy, box[2] - ox, box[3] - oy),
            canvas.theme.color("on_primary"),
        )
    if view.text:
        canvas.text(
            left + 110,
            cy - line_height(view.label_size) // 2,
            view.text,
            view.label_size,
            "on_surface",
            clip=view.clip,
        )


def _draw_seekbar(canvas: Canvas, view: SeekBar) -> None:
    left, top, right, bottom = view.rect
    cy = (top + bottom) // 2
    x0, x1 = left + 40, right - 40
    frac = view.value / max(1, view.maximum)
    xv = int(x0 + (x1 - x0) * frac)
    canvas.fill((x0, cy - 8, x1, cy + 8), "divider", radius=8)
    canvas.fill((x0, cy - 8, max(x0 + 16, xv), cy + 8), "primary", radius=8)
    canvas.fill((xv - 26, cy - 26, xv + 26, cy + 26), "primary", radius=26)


_WEB_COLORS = {"link": "link", "small": "muted", "tiny": "muted", "hidden": "web"}


def _draw_web(canvas: Canvas, view: WebView) -> None:
    top = view.rect[1] + view.padding[1] - view.state.y
    left = view.rect[0]
    clip = view.clip
    for text, kind, _href, x, y, size in view.runs:
        sy = top + y
        if sy + size * 2 < clip[1] or sy > clip[3]:
            continue
        color = _WEB_COLORS.get(kind, "on_web")
        width = canvas.text(
            left + x, sy, text, size, color, bold=kind in ("h1", "h2"), reported=False, clip=clip
        )
        if kind == "link":
            canvas.fill((left + x, sy + size + 6, left + x + width, sy + size + 9), "link")
