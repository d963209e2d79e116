"""`screencap` and `uiautomator dump`."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from virtual_phone.shell.context import CommandFunc, Ctx

if TYPE_CHECKING:
    from PIL import Image

DEFAULT_DUMP = "/sdcard/window_dump.xml"
PIXEL_FORMAT_RGBA_8888 = 1
DATASPACE_SRGB = 142671872


def raw_frame(image: Image.Image) -> bytes:
    """`screencap` without -p: width, height, format, dataspace, then RGBA pixels."""
    rgba = image.convert("RGBA")
    header = struct.pack("<4I", rgba.width, rgba.height, PIXEL_FORMAT_RGBA_8888, DATASPACE_SRGB)
    return header + rgba.tobytes()


def screencap(ctx: Ctx) -> int:
    args = list(ctx.args)
    png = False
    path = None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "-p":
            png = True
        elif arg == "-d":
            index += 1
        elif arg in ("-h", "--help"):
            ctx.err("usage: screencap [-hp] [-d display-id] [FILENAME]\n")
            return 0
        elif not arg.startswith("-"):
            path = arg
        index += 1
    if path is not None and path.endswith(".png"):
        png = True
    data = ctx.phone.screenshot_png() if png else raw_frame(ctx.phone.screenshot())
    if path is None:
        ctx.out(data)
        return 0
    try:
        ctx.phone.fs.write(ctx.path(path), data)
    except OSError as exc:
        ctx.err(f"Error opening file: {path} ({exc.strerror or exc})\n")
        return 1
    return 0


UIAUTOMATOR_USAGE = (
    "Usage: uiautomator <subcommand> [options]\n\nAvailable subcommands:\n\n"
    "help: displays help message\n\n"
    "runtest: executes UI automation tests\n"
    "    runtest <class spec> [options]\n\n"
    "dump: creates an XML dump of current UI hierarchy\n"
    "    dump [--verbose][file]\n"
    "      [--compressed]: dumps compressed layout information.\n"
    "      [file]: the location where the dumped XML should be stored, default is\n"
    f"      {DEFAULT_DUMP}\n\n"
    "events: prints out accessibility events until terminated\n"
)


def uiautomator(ctx: Ctx) -> int:
    """`uiautomator dump [--compressed] [FILE]` as AOSP's DumpCommand: the active window in
    the classic format, written to FILE (the last operand; /dev/tty writes to stdout)."""
    if not ctx.args or ctx.args[0] != "dump":
        ctx.out(UIAUTOMATOR_USAGE)
        return 0 if ctx.args[:1] == ["help"] else 1
    operands = [a for a in ctx.args[1:] if not a.startswith("-")]
    path = ctx.path(operands[-1]) if operands else DEFAULT_DUMP
    xml = ctx.phone.window_dump(compressed="--compressed" in ctx.args[1:])
    if path == "/dev/tty":
        ctx.out(xml)
    else:
        try:
            ctx.phone.fs.write(path, xml.encode("utf-8"))
        except OSError as exc:
            ctx.err(f"ERROR: could not write {path}: {exc.strerror or exc}\n")
            return 1
    ctx.out(f"UI hierchary dumped to: {path}\n")
    return 0


COMMANDS: dict[str, CommandFunc] = {"screencap": screencap, "uiautomator": uiautomator}
