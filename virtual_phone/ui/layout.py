"""Layout: measure and place a view tree in pixels, clip scrolled content."""

from __future__ import annotations

from .fonts import text_width
from .views import (
    MATCH,
    CompoundButton,
    EditText,
    FrameLayout,
    IconTextView,
    ImageView,
    Rect,
    ScrollView,
    TextView,
    View,
    ViewGroup,
    WebView,
    intersect,
)

LINE_SPACING = 1.3


def line_height(size: int) -> int:
    """Pixel height of one line of text of `size`."""
    return round(size * LINE_SPACING)


def _ellipsize(text: str, width: int, size: int, bold: bool) -> str:
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text + "…"


def _fitting_prefix(text: str, width: int, size: int, bold: bool) -> int:
    """Length of the longest prefix (at least 1 char) that fits in `width` pixels."""
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if text_width(text[:mid], size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def wrap_text(
    text: str, width: int, size: int, bold: bool = False, max_lines: int = 0
) -> list[str]:
    """Word-wrap `text` to `width` pixels; the last kept line is ellipsised when cut."""
    lines: list[str] = []
    for para in text.split("\n"):
        current = ""
        for word in para.split(" "):
            trial = f"{current} {word}" if current else word
            if current and text_width(trial, size, bold) > width:
                lines.append(current)
                current = word
            else:
                current = trial
            while len(current) > 1 and text_width(current, size, bold) > width:
                cut = _fitting_prefix(current, width, size, bold)
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _ellipsize(lines[-1] + "…", width, size, bold)
    return lines or [""]


def _content_width(view: View) -> int:
    left, _, right, _ = view.padding
    if isinstance(view, TextView):
        shown = view.shown_text() if isinstance(view, EditText) else view.text
        return left + right + round(text_width(shown, view.size, view.bold)) + 2
    if isinstance(view, ImageView):
        return left + right + view.icon_size
    if isinstance(view, ViewGroup) and view.orientation == "horizontal":
        kids = [c for c in view.children if c.visible]
        gaps = view.spacing * max(0, len(kids) - 1)
        return left + right + sum(measure_width(c, 10_000) for c in kids) + gaps
    if isinstance(view, CompoundButton) and view.text:
        return left + right + 150 + round(text_width(view.text, view.label_size))
    return left + right


def measure_width(view: View, avail: int) -> int:
    """Outer width (margins included) the view wants inside `avail`."""
    ml, _, mr, _ = view.margin
    if view.width == MATCH:
        return avail
    inner = view.width if view.width >= 0 else min(avail - ml - mr, _content_width(view))
    return inner + ml + mr


def measure_height(view: View, width: int) -> int:
    """Inner height of the view laid out `width` pixels wide (margins excluded)."""
    left, top, right, bottom = view.padding
    inner_w = max(1, width - left - right)
    if isinstance(view, TextView):
        if isinstance(view, EditText):
            shown = view.shown_text()
            max_lines = 30 if view.multiline else 1
        else:
            shown, max_lines = view.text, view.max_lines
        view.lines = wrap_text(shown, inner_w, view.size, view.bold, max_lines)
    if view.height >= 0:
        return view.height
    if isinstance(view, TextView):
        if isinstance(view, EditText) and view.multiline:
            view.lines = view.lines[:6]
        extra = view.icon_size + 16 if isinstance(view, IconTextView) else 0
        return top + bottom + extra + line_height(view.size) * max(1, len(view.lines))
    if isinstance(view, ImageView):
        return top + bottom + view.icon_size
    if isinstance(view, WebView):
        return top + bottom + _layout_web(view, inner_w)
    if isinstance(view, ViewGroup) and view.orientation == "horizontal":
        widths = _row_widths(view, inner_w)
        tallest = 0
        for child, child_w in zip(view.children, widths, strict=True):
            if child.visible:
                tallest = max(
                    tallest, measure_height(child, child_w) + child.margin[1] + child.margin[3]
                )
        return top + bottom + tallest
    if isinstance(view, FrameLayout):
        tallest = 0
        for child in view.children:
            if child.visible:
                outer = measure_width(child, inner_w)
                inner = outer - child.margin[0] - child.margin[2]
                tallest = max(
                    tallest, measure_height(child, inner) + child.margin[1] + child.margin[3]
                )
        return top + bottom + tallest
    if isinstance(view, ViewGroup):
        return top + bottom + _stack_height(view, inner_w)
    return top + bottom


def _stack_height(view: ViewGroup, inner_w: int) -> int:
    total, shown = 0, 0
    for child in view.children:
        if not child.visible:
            continue
        outer = measure_width(child, inner_w)
        inner = outer - child.margin[0] - child.margin[2]
        total += measure_height(child, inner) + child.margin[1] + child.margin[3]
        shown += 1
    return total + view.spacing * max(0, shown - 1)


def _row_widths(view: ViewGroup, inner_w: int) -> list[int]:
    visible = [c for c in view.children if c.visible]
    gaps = view.spacing * max(0, len(visible) - 1)
    widths = [
        0 if (c.weight or not c.visible) else measure_width(c, inner_w) for c in view.children
    ]
    rest = max(0, inner_w - gaps - sum(widths))
    total_weight = sum(c.weight for c in visible) or 1.0
    for i, child in enumerate(view.children):
        if child.visible and child.weight:
            widths[i] = int(rest * child.weight / total_weight)
    return widths


def layout(view: View, left: int, top: int, width: int, height: int, clip: Rect) -> None:
    """Place `view` (its margin box at left/top, width × height) and its subtree."""
    ml, mt, mr, mb = view.margin
    view.rect = (left + ml, top + mt, left + width - mr, top + height - mb)
    view.clip = intersect(view.rect, clip)
    pl, pt, pr, pb = view.padding
    box = (view.rect[0] + pl, view.rect[1] + pt, view.rect[2] - pr, view.rect[3] - pb)
    if isinstance(view, WebView):
        _place_web(view, box)
    elif isinstance(view, ScrollView):
        _place_scroll(view, box)
    elif isinstance(view, ViewGroup) and view.orientation == "horizontal":
        _place_row(view, box)
    elif isinstance(view, ViewGroup):
        _place_stack(view, box, view.clip)
    elif isinstance(view, FrameLayout):
        _place_frame(view, box)
    elif isinstance(view, TextView):
        measure_height(view, view.rect[2] - view.rect[0])
        if isinstance(view, EditText) and view.multiline:
            full = wrap_text(view.shown_text(), max(1, box[2] - box[0]), view.size, view.bold)
            view.lines = full[-max(1, (box[3] - box[1]) // line_height(view.size)) :]


def _child_height(child: View, outer_w: int) -> int:
    inner_w = outer_w - child.margin[0] - child.margin[2]
    return measure_height(child, inner_w) + child.margin[1] + child.margin[3]


def _place_stack(view: ViewGroup, box: Rect, clip: Rect) -> None:
    inner_w, inner_h = box[2] - box[0], box[3] - box[1]
    visible = [c for c in view.children if c.visible]
    heights = {
        id(c): 0 if (c.weight or c.height == MATCH) else _child_height(c, measure_width(c, inner_w))
        for c in visible
    }
    gaps = view.spacing * max(0, len(visible) - 1)
    rest = max(0, inner_h - gaps - sum(heights.values()))
    flexible = [c for c in visible if c.weight or c.height == MATCH]
    total_weight = sum(c.weight or 1.0 for c in flexible) or 1.0
    for child in flexible:
        heights[id(child)] = int(rest * (child.weight or 1.0) / total_weight)
    y = box[1]
    for child in visible:
        outer_w = measure_width(child, inner_w)
        x = box[0] + _align(view.gravity, inner_w, outer_w, horizontal=True)
        layout(child, x, y, outer_w, heights[id(child)], clip)
        y += heights[id(child)] + view.spacing


def _place_row(view: ViewGroup, box: Rect) -> None:
    inner_w, inner_h = box[2] - box[0], box[3] - box[1]
    widths = _row_widths(view, inner_w)
    x = box[0]
    if "center_horizontal" in view.gravity or view.gravity == "center":
        used = sum(w for c, w in zip(view.children, widths, strict=True) if c.visible)
        x += max(0, (inner_w - used - view.spacing * max(0, len(widths) - 1)) // 2)
    for child, outer_w in zip(view.children, widths, strict=True):
        if not child.visible:
            continue
        outer_h = inner_h if child.height == MATCH else _child_height(child, outer_w)
        y = box[1] + _align(view.gravity, inner_h, outer_h, horizontal=False)
        layout(child, x, y, outer_w, outer_h, view.clip)
        x += outer_w + view.spacing


def _align(gravity: str, space: int, size: int, *, horizontal: bool) -> int:
    tokens = set(gravity.replace(" ", "").split("|")) if gravity else set()
    if "center" in tokens or ("center_horizontal" if horizontal else "center_vertical") in tokens:
        return max(0, (space - size) // 2)
    if ("end" in tokens or "right" in tokens) if horizontal else "bottom" in tokens:
        return max(0, space - size)
    return 0


def _place_frame(view: View, box: Rect) -> None:
    inner_w, inner_h = box[2] - box[0], box[3] - box[1]
    for child in view.children:
        if not child.visible:
            continue
        outer_w = measure_width(child, inner_w)
        outer_h = inner_h if child.height == MATCH else _child_height(child, outer_w)
        x = box[0] + _align(child.gravity, inner_w, outer_w, horizontal=True)
        y = box[1] + _align(child.gravity, inner_h, outer_h, horizontal=False)
        layout(child, x, y, outer_w, outer_h, view.clip)


def _place_scroll(view: ScrollView, box: Rect) -> None:
    """Rows scrolled by `view.state`. The vertical padding scrolls with them (RecyclerView's
    `clipToPadding="false"`, how lists keep clear of a floating button), so a short list
    still shows and scrolls its rows."""
    inner_w = box[2] - box[0]
    top_pad, bottom_pad = view.padding[1], view.padding[3]
    rows = _stack_height(view, inner_w)
    view.content_height = rows
    window = (box[0], box[1] - top_pad, box[2], box[3] + bottom_pad)
    state = view.state
    state.viewport = window[3] - window[1]
    state.max_y = max(0, top_pad + rows + bottom_pad - state.viewport)
    state.y = min(max(0, state.y), state.max_y)
    first = window[1] + top_pad - state.y
    _place_stack(view, (box[0], first, box[2], first + rows), intersect(view.clip, window))


def _layout_web(view: WebView, inner_w: int) -> int:
    from .layout_web import layout_blocks

    view.runs, height = layout_blocks(view.blocks, inner_w, view.padding[0])
    return height


def _place_web(view: WebView, box: Rect) -> None:
    content = _layout_web(view, box[2] - box[0])
    view.content_height = content
    state = view.state
    state.viewport = box[3] - box[1]
    state.max_y = max(0, content - state.viewport)
    state.y = min(max(0, state.y), state.max_y)
