"""Drawing a step's action on its screenshot: a ring where it touched, a box around the
element it aimed at, an arrow for a swipe or a scroll."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from PIL import Image, ImageDraw

RED = (220, 20, 60)
_SCROLL = {"down": (0, -1), "up": (0, 1), "left": (1, 0), "right": (-1, 0)}


def action_marks(
    action: dict[str, Any], elements: Sequence[dict[str, Any]], size: tuple[int, int]
) -> dict[str, Any]:
    """Where to draw `action` on a screen of `size`: `box` (element bounds), `point`, and
    `arrow` (start, end), each present only when it applies."""
    args = action.get("args") or {}
    name = action.get("name", "")
    marks: dict[str, Any] = {}
    el = _target(args, elements)
    if el is not None:
        x1, y1, x2, y2 = el["bounds"]
        marks["box"] = (x1, y1, x2, y2)
        marks["point"] = ((x1 + x2) // 2, (y1 + y2) // 2)
    elif isinstance(args.get("x"), int) and isinstance(args.get("y"), int):
        marks["point"] = (args["x"], args["y"])
    if name == "swipe" and all(isinstance(args.get(k), int) for k in ("x1", "y1", "x2", "y2")):
        marks["arrow"] = ((args["x1"], args["y1"]), (args["x2"], args["y2"]))
    elif name == "scroll" and args.get("direction") in _SCROLL:
        dx, dy = _SCROLL[args["direction"]]
        cx, cy = marks.get("point", (size[0] // 2, size[1] // 2))
        reach = min(size) // 4
        marks["arrow"] = ((cx - dx * reach, cy - dy * reach), (cx + dx * reach, cy + dy * reach))
        marks.pop("point", None)
    return marks


def draw_action(png: bytes, action: dict[str, Any], elements: Sequence[dict[str, Any]]) -> bytes:
    """`png` with the action's marks drawn on it (the image unchanged when it has none)."""
    with Image.open(io.BytesIO(png)) as img:
        canvas = img.convert("RGB")
    marks = action_marks(action, elements, canvas.size)
    if not marks:
        return png
    pen = ImageDraw.Draw(canvas)
    width = max(3, min(canvas.size) // 120)
    if "box" in marks:
        pen.rectangle(marks["box"], outline=RED, width=width)
    if "point" in marks:
        x, y = marks["point"]
        r = max(12, min(canvas.size) // 25)
        pen.ellipse((x - r, y - r, x + r, y + r), outline=RED, width=width)
    if "arrow" in marks:
        start, end = marks["arrow"]
        _arrow(pen, start, end, width)
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


def _arrow(
    pen: ImageDraw.ImageDraw, start: tuple[int, int], end: tuple[int, int], width: int
) -> None:
    pen.line((start, end), fill=RED, width=width)
    (x1, y1), (x2, y2) = start, end
    length = max(1.0, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    head = width * 6
    left = (x2 - ux * head - uy * head / 2, y2 - uy * head + ux * head / 2)
    right = (x2 - ux * head + uy * head / 2, y2 - uy * head - ux * head / 2)
    pen.polygon([end, left, right], fill=RED)


def _target(args: dict[str, Any], elements: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The element the arguments name (by number or by label), if it is in `elements`."""
    if isinstance(args.get("element"), int):
        return next((el for el in elements if el.get("id") == args["element"]), None)
    label = args.get("label")
    if isinstance(label, str):
        wanted = " ".join(label.split()).casefold()
        for el in elements:
            names = {
                " ".join(str(el.get(k, "")).split()).casefold() for k in ("text", "description")
            }
            if wanted in names:
                return el
    return None
