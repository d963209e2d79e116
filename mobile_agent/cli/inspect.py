"""`mobile-agent inspect`: exactly what the agents see on a screen."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobile_agent.cli.args import add_adb_option
from mobile_agent.errors import ConfigError

if TYPE_CHECKING:
    from mobile_agent.perception.artifacts import Screen


def register(sub: Any) -> None:
    """Add the `inspect` command."""
    parser = sub.add_parser(
        "inspect",
        help="show the numbered elements the agents see",
        description="Show the numbered screen elements (and optionally the set-of-marks image) "
        "of a connected device or of a saved uiautomator dump.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--device",
        metavar="SERIAL",
        nargs="?",
        const="",
        help="capture this device (no SERIAL: the only attached one; the default)",
    )
    source.add_argument("--xml", type=Path, metavar="FILE", help="a saved hierarchy dump")
    parser.add_argument(
        "--image", type=Path, metavar="FILE", help="the screenshot that goes with --xml"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list of elements")
    add_adb_option(parser)
    parser.add_argument("--marks", type=Path, metavar="OUT.png", help="write a set-of-marks image")
    parser.add_argument(
        "--ocr",
        choices=("rapidocr", "paddleocr", "none"),
        default="rapidocr",
        help="OCR engine for text the hierarchy lacks (default: rapidocr)",
    )
    parser.add_argument(
        "--ocr-policy",
        choices=("auto", "always", "never"),
        default="auto",
        help="when OCR runs (default: auto = only where the hierarchy lacks text)",
    )
    parser.add_argument(
        "--icons",
        choices=("auto", "always", "never"),
        default="never",
        help="find icons no label or text explains (auto: only on a thin hierarchy; "
        "default: never)",
    )
    parser.add_argument(
        "--captioner",
        default="none",
        metavar="none|local:FOLDER",
        help="who names the icons found: a local captioning model's folder, or none (they "
        "are listed as unnamed icons)",
    )
    parser.set_defaults(handler=_inspect)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc


def _png_size(png: bytes, path: Path) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png)) as img:
            return img.size
    except (UnidentifiedImageError, OSError) as exc:
        raise ConfigError(f"cannot read image {path}: not a PNG/JPEG screenshot") from exc


def _as_png(data: bytes) -> bytes:
    """Screenshots saved as JPEG work too: perception works on PNG bytes."""
    if data.startswith(b"\x89PNG"):
        return data
    from PIL import Image

    out = io.BytesIO()
    with Image.open(io.BytesIO(data)) as img:
        img.save(out, format="PNG")
    return out.getvalue()


def _screen_from_files(xml_path: Path, image_path: Path | None) -> tuple[Screen, str]:
    """The Screen of a saved dump (any encoding) and screenshot, and what the reader's
    limits left out of the dump ("" when nothing). A screenshot whose size does not fit the
    dump is a `ScreenSizeMismatch` (a scaled one is accepted, with a warning)."""
    from mobile_agent.perception import analyse_hierarchy
    from mobile_agent.perception.artifacts import Screen
    from mobile_agent.perception.inputs import decode_dump

    xml = decode_dump(_read(xml_path, "hierarchy"))
    if image_path is None:
        analysis = analyse_hierarchy(xml)  # also: a broken dump is an error here
        width, height = analysis.screen_size
        return Screen(png=b"", hierarchy_xml=xml, width=width, height=height), analysis.truncated
    data = _read(image_path, "image")
    width, height = _png_size(data, image_path)
    analysis = analyse_hierarchy(xml, screen_size=(width, height))  # the same screen?
    screen = Screen(png=_as_png(data), hierarchy_xml=xml, width=width, height=height)
    return screen, analysis.truncated


def _capture(serial: str | None) -> Screen:
    from mobile_agent.device import connect

    device = connect(serial or None)
    try:
        return device.screen()
    finally:
        device.close()


def _inspect(args: argparse.Namespace) -> int:
    from mobile_agent.perception import (
        draw_marks,
        elements_to_json,
        get_ocr_engine,
        perceive,
        render_elements,
    )
    from mobile_agent.perception.pipeline import make_icon_finder

    if args.captioner.strip() == "model":
        raise ConfigError("inspect has no model to name icons with: use local:FOLDER or none")

    if args.image is not None and args.xml is None:
        raise ConfigError("--image goes with --xml FILE")
    truncated = ""
    if args.xml is not None:
        screen, truncated = _screen_from_files(args.xml, args.image)
    else:
        screen = _capture(args.device)
    if args.marks is not None and not screen.png:
        raise ConfigError("--marks needs a screenshot: add --image FILE (or use --device)")
    engine = get_ocr_engine(args.ocr) if screen.png else None
    icons = make_icon_finder(args.icons, args.captioner)
    perception = perceive(screen, ocr=engine, ocr_policy=args.ocr_policy, icons=icons)
    if truncated:
        print(f"dump truncated: {truncated}", file=sys.stderr)
    if args.marks is not None:
        _write(args.marks, draw_marks(screen.png, perception.elements))
    if args.json:
        print(json.dumps(elements_to_json(perception.elements), ensure_ascii=False, indent=1))
        return 0
    print(render_elements(perception.elements))
    ocr = "with OCR" if perception.ocr_used else "no OCR"  # notes go to stderr: stdout pipes
    if perception.icons_used:
        ocr += ", icons looked for"
    note = f"{len(perception.elements)} elements, {screen.width}x{screen.height}, {ocr}"
    print(note, file=sys.stderr)
    if args.marks is not None:
        print(f"set-of-marks image: {args.marks}", file=sys.stderr)
    return 0


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc
