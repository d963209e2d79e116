"""`mobile-agent inspect`: exactly what the agents see on a screen."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from mobile_agent.errors import ConfigError


def register(sub: Any) -> None:
    """Add the `inspect` command."""
    parser = sub.add_parser(
        "inspect",
        help="show the numbered elements the agents see",
        description="Show the numbered screen elements (and optionally the set-of-marks image) "
        "for a connected device or a saved uiautomator dump.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--device", metavar="SERIAL", help="capture this device ('' = the only one)"
    )
    source.add_argument(
        "--xml", type=Path, metavar="FILE", help="a saved uiautomator hierarchy dump"
    )
    parser.add_argument(
        "--image", type=Path, metavar="FILE", help="the screenshot that goes with --xml"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list of elements")
    parser.add_argument(
        "--marks", type=Path, metavar="OUT.png", help="write the set-of-marks image"
    )
    parser.add_argument(
        "--ocr",
        choices=("rapidocr", "paddleocr", "none"),
        default="none",
        help="merge OCR text (default: none)",
    )
    parser.set_defaults(handler=_inspect)


def _read(path: Path, binary: bool = False) -> Any:
    try:
        return path.read_bytes() if binary else path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _screen_from_files(xml_path: Path, image_path: Path | None) -> Any:
    from PIL import Image

    from mobile_agent.device.base import Screen
    from mobile_agent.perception.hierarchy import _document, infer_screen_size

    xml = _read(xml_path)
    png = b""
    if image_path is not None:
        png = _read(image_path, binary=True)
        import io

        with Image.open(io.BytesIO(png)) as img:
            width, height = img.size
    else:
        width, height = infer_screen_size(_document(xml))
    return Screen(png=png, hierarchy_xml=xml, width=width, height=height)


def _inspect(args: argparse.Namespace) -> int:
    from mobile_agent.perception import (
        draw_marks,
        elements_to_json,
        get_ocr_engine,
        perceive,
        render_elements,
    )

    if args.xml is not None:
        screen = _screen_from_files(args.xml, args.image)
    else:
        from mobile_agent.device import connect

        device = connect(args.device or None)
        try:
            screen = device.screen()
        finally:
            device.close()
    engine = get_ocr_engine(args.ocr) if screen.png else None
    perception = perceive(screen, ocr=engine, ocr_policy="always" if engine else "never")
    if args.marks is not None:
        if not screen.png:
            raise ConfigError("--marks needs a screenshot: pass --image FILE (or use --device)")
        tmp = args.marks.with_name(args.marks.name + ".tmp")
        tmp.write_bytes(draw_marks(screen.png, perception.elements))
        tmp.replace(args.marks)
    if args.json:
        print(json.dumps(elements_to_json(perception.elements), ensure_ascii=False, indent=1))
    else:
        print(render_elements(perception.elements))
        if args.marks is not None:
            print(f"\nset-of-marks image: {args.marks}")
    return 0
