"""Render a montage of the virtual phone's screens into one PNG grid with captions.

Starts a phone in-process, visits the launcher, every launchable app's main screen, the
recents screen, a screen with the keyboard open and the notification shade, and writes a
grid of scaled screenshots. Usage::

    python scripts/montage.py docs/screenshots/montage-after.png [--columns 6] [--width 300]
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node

log = logging.getLogger("montage")

Shot = tuple[str, Image.Image]


def _tap_node(phone: Phone, **attrs: object) -> bool:
    node = find_node(phone.nodes(), **attrs)
    if node is None:
        return False
    left, top, right, bottom = node.bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)
    return True


def _open_keyboard(phone: Phone) -> None:
    phone.start_app("com.example.notes")
    if not _tap_node(phone, resource_id="com.example.notes:id/search"):
        _tap_node(phone, class_name="android.widget.EditText")


def _open_drawer(phone: Phone) -> None:
    phone.press_key("home")
    width, height = phone.screen_size()
    phone.swipe(width / 2, height * 0.8, width / 2, height * 0.25, 300)


def _long_press_icon(phone: Phone) -> None:
    phone.press_key("home")
    node = find_node(phone.nodes(), text="Notes", clickable=True)
    if node is not None:
        left, top, right, bottom = node.bounds
        phone.long_press((left + right) / 2, (top + bottom) / 2, 800)


def _scenes(phone: Phone) -> list[tuple[str, Callable[[], object]]]:
    scenes: list[tuple[str, Callable[[], object]]] = [("Home", lambda: phone.press_key("home"))]
    for app in phone.launcher_apps():
        scenes.append((app.label, partial(phone.start_app, app.package)))
    scenes += [
        ("App drawer", lambda: _open_drawer(phone)),
        ("Long-press menu", lambda: _long_press_icon(phone)),
        ("Recents", lambda: (phone.press_key("home"), phone.press_key("app_switch"))),
        ("Keyboard", lambda: _open_keyboard(phone)),
        ("Notification shade", phone.open_notifications),
    ]
    return scenes


def capture(phone: Phone) -> list[Shot]:
    """Screenshots of every scene, in order, each with its caption."""
    shots: list[Shot] = []
    for caption, visit in _scenes(phone):
        phone.press_key("back")
        visit()
        shots.append((caption, phone.screenshot()))
        log.info("captured %s", caption)
    return shots


def _caption_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def grid(shots: list[Shot], columns: int, width: int) -> Image.Image:
    """One image: the shots scaled to `width` pixels wide, `columns` per row, captioned."""
    first = shots[0][1]
    height = round(first.height * width / first.width)
    caption_h, pad = 34, 12
    rows = (len(shots) + columns - 1) // columns
    sheet = Image.new(
        "RGB",
        (columns * (width + pad) + pad, rows * (height + caption_h + pad) + pad),
        (32, 33, 36),
    )
    draw = ImageDraw.Draw(sheet)
    font = _caption_font(20)
    for i, (caption, shot) in enumerate(shots):
        x = pad + (i % columns) * (width + pad)
        y = pad + (i // columns) * (height + caption_h + pad)
        draw.text((x + 4, y + 4), caption, fill=(232, 234, 237), font=font)
        sheet.paste(shot.resize((width, height), Image.Resampling.LANCZOS), (x, y + caption_h))
    return sheet


def main() -> None:
    """Parse arguments, capture the scenes and write the montage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--columns", type=int, default=6)
    parser.add_argument("--width", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    shots = capture(Phone(seed=args.seed))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    grid(shots, args.columns, args.width).save(args.output, optimize=True)
    log.info("wrote %s (%d screens)", args.output, len(shots))


if __name__ == "__main__":
    main()
