"""`screenrecord [--time-limit N] [--size WxH] [--bit-rate R] [--verbose] FILE.mp4`.

Frames of the phone's screen are taken at a steady rate until the time limit passes, Ctrl-C
is typed on the terminal, SIGINT or SIGHUP arrives (`pkill -INT screenrecord`) or the host
closes the stream, then encoded into an MP4 file on the phone
(MPEG-4 Part 2 video through OpenCV's bundled FFmpeg: the wheel carries no H.264 encoder).
Options, limits and messages follow AOSP's `screenrecord`; another signal (`pkill`'s
default SIGTERM) kills it before the file is written.
"""

from __future__ import annotations

import asyncio
import logging
import os
import posixpath
import tempfile
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from virtual_phone.shell.context import CommandError, CommandFunc, Ctx
from virtual_phone.shell.jobs import SIGHUP, SIGINT, Job

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

MAX_TIME_LIMIT_S = 180  # kMaxTimeLimitSec
CTRL_C = 0x03
FRAME_RATE = 10
USAGE = (
    "Usage: screenrecord [options] <filename>\n"
    "\n"
    "Android screenrecord v1.3.  Records the device's display to a .mp4 file.\n"
    "\n"
    "Options:\n"
    "--size WIDTHxHEIGHT\n"
    '    Set the video size, e.g. "1280x720".  Default is the device\'s main\n'
    "    display resolution (if supported), 1280x720 if not.  For best results,\n"
    "    use a size supported by the AVC encoder.\n"
    "--bit-rate RATE\n"
    "    Set the video bit rate, in bits per second.  Value may be specified as\n"
    "    bits or megabits, e.g. '4000000' is equivalent to '4M'.  Default 20Mbps.\n"
    "--time-limit TIME\n"
    "    Set the maximum recording time, in seconds.  Default is 180. Set to 0\n"
    "    to remove the time limit.\n"
    "--verbose\n"
    "    Display interesting information on stdout.\n"
    "--help\n"
    "    Show this message.\n"
    "\n"
    "Recording continues until Ctrl-C is hit or the time limit is reached.\n"
)


@dataclass
class _Options:
    path: str = ""
    size: tuple[int, int] | None = None
    time_limit: float = MAX_TIME_LIMIT_S
    verbose: bool = False
    frames: list[Image.Image] = field(default_factory=list)


def _usage_error(message: str) -> CommandError:
    return CommandError(message, 2)


def _parse_size(text: str) -> tuple[int, int]:
    width, sep, height = text.partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise _usage_error(f"Invalid size '{text}', must be width x height")
    if int(width) <= 0 or int(height) <= 0:
        raise _usage_error(f"Invalid size {width}x{height}")
    return int(width), int(height)


def _parse_time_limit(text: str) -> float:
    if not text.isdigit() or int(text) > MAX_TIME_LIMIT_S:
        raise _usage_error(
            f"Time limit {text}s outside acceptable range [0,{MAX_TIME_LIMIT_S}] seconds"
        )
    return float(int(text)) or float("inf")


def _options(ctx: Ctx) -> _Options | None:
    options = _Options()
    operands: list[str] = []
    args = iter(ctx.args)
    for arg in args:
        if arg in ("--help", "-h"):
            ctx.out(USAGE)
            return None
        if arg == "--verbose":
            options.verbose = True
        elif arg in ("--size", "--time-limit", "--bit-rate", "--rotate", "--output-format"):
            value = next(args, None)
            if value is None:
                raise _usage_error(f"screenrecord: option '{arg}' requires an argument")
            if arg == "--size":
                options.size = _parse_size(value)
            elif arg == "--time-limit":
                options.time_limit = _parse_time_limit(value)
        elif arg.startswith("--"):
            raise _usage_error(f"Unknown option '{arg}'")
        else:
            operands.append(arg)
    if len(operands) != 1:
        raise _usage_error("Must specify output file (see --help).")
    options.path = ctx.path(operands[0])
    return options


async def _interrupted(ctx: Ctx, job: Job) -> None:
    """Ctrl-C typed on the terminal (a 0x03 byte on stdin) is a SIGINT."""
    while (chunk := await ctx.stdin.read()) and not job.signalled.is_set():
        if CTRL_C in chunk:
            job.signal = SIGINT
            job.signalled.set()
            return


async def _capture(ctx: Ctx, options: _Options, job: Job) -> None:
    """Append one frame per tick until the time limit, a signal or a hang-up."""
    watcher = asyncio.ensure_future(_interrupted(ctx, job))
    hangup = asyncio.ensure_future(ctx.hangup.wait())
    started = time.monotonic()
    try:
        while True:
            frame = await ctx.blocking(ctx.phone.screenshot)
            elapsed = time.monotonic() - started
            due = int(elapsed * FRAME_RATE) + 1 - len(options.frames)
            options.frames.extend([frame] * max(1, due))
            if elapsed >= options.time_limit or job.signalled.is_set() or ctx.hangup.is_set():
                return
            wait = min(1 / FRAME_RATE, options.time_limit - elapsed)
            signalled = asyncio.ensure_future(job.signalled.wait())
            await asyncio.wait({signalled, hangup}, timeout=max(0.0, wait))
            signalled.cancel()
    finally:
        watcher.cancel()
        hangup.cancel()


def encode_mp4(frames: list[Image.Image], size: tuple[int, int], fps: int) -> bytes:
    """Frames as an MP4 file (MPEG-4 Part 2 video, `fps` frames a second)."""
    import cv2
    import numpy as np

    with tempfile.TemporaryDirectory(prefix="screenrecord-") as tmp:
        path = os.path.join(tmp, "out.mp4")
        writer = cv2.VideoWriter(path, cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
        if not writer.isOpened():
            raise OSError("no MPEG-4 encoder available")
        try:
            for frame in frames:
                image = frame.convert("RGB")
                if image.size != size:
                    image = image.resize(size)
                writer.write(cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR))
        finally:
            writer.release()
        with open(path, "rb") as handle:
            return handle.read()


async def screenrecord(ctx: Ctx) -> int:
    options = _options(ctx)
    if options is None:
        return 0
    fs = ctx.phone.fs
    parent = fs.stat(posixpath.dirname(options.path))
    if parent is None or not parent[0] & 0o040000:
        raise CommandError(f"Unable to open '{options.path}': No such file or directory", 1)
    width, height = ctx.phone.width, ctx.phone.height
    if ctx.phone.rotation in (1, 3):
        width, height = height, width
    size = options.size or (width, height)
    if options.verbose:
        ctx.out(f"Main display is {width}x{height} @60.00fps (orientation=ROTATION_0)\n")
        ctx.out(f"Configuring recorder for {size[0]}x{size[1]} video/avc at 20.00Mbps\n")
        await ctx.flush()
    job = ctx.shell.jobs.start("screenrecord", ctx.state.pid("screenrecord"))
    try:
        await _capture(ctx, options, job)
    finally:
        ctx.shell.jobs.finish(job)
        ctx.state.forget_pid("screenrecord")
    if job.signal not in (None, SIGINT, SIGHUP):
        return 128 + job.signal  # killed: the muxer never wrote the file
    data = await ctx.blocking(encode_mp4, options.frames, size, FRAME_RATE)
    await ctx.blocking(fs.write, options.path, data)
    log.info(
        "screenrecord wrote %d frames (%d bytes) to %s",
        len(options.frames),
        len(data),
        options.path,
    )
    if options.verbose:
        ctx.out(
            f"Stopping encoder and muxer\nEncoder stopping; recorded {len(options.frames)} frames\n"
        )
    return 0


COMMANDS: dict[str, CommandFunc] = {"screenrecord": screenrecord}
