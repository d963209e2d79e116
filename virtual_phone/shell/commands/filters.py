"""More toybox filters for pipes: cut, tr, uniq, tee, basename, dirname, xargs."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from virtual_phone.shell.commands.text import inputs, take_valued
from virtual_phone.shell.context import CommandFunc, Ctx, split_options
from virtual_phone.shell.streams import read_all


def _ranges(ctx: Ctx, spec: str) -> list[tuple[int, int]]:
    """`1,3-5,7-` as 1-based inclusive ranges (open ends are large)."""
    ranges = []
    for piece in spec.split(","):
        start, dash, end = piece.partition("-")
        try:
            low = int(start) if start else 1
            high = (int(end) if end else 1 << 30) if dash else low
        except ValueError:
            raise ctx.fail(f"bad list '{spec}'") from None
        if low < 1:
            raise ctx.fail(f"bad list '{spec}'")
        ranges.append((low, high))
    return ranges


def _picked(index: int, ranges: list[tuple[int, int]]) -> bool:
    return any(low <= index <= high for low, high in ranges)


async def cut(ctx: Ctx) -> int:
    """`cut -d DELIM -f LIST` / `cut -c LIST` [-s]."""
    args = list(ctx.args)
    delims, fields, chars = (
        take_valued(args, "-d"),
        take_valued(args, "-f"),
        take_valued(args, "-c"),
    )
    flags, operands = split_options(args, "s")
    if not fields and not chars:
        raise ctx.fail("Needs -fcb")
    delim = delims[-1] if delims else "\t"
    ranges = _ranges(ctx, (fields or chars)[-1])
    for _, data in await inputs(ctx, operands):
        for line in (data or b"").decode("utf-8", errors="replace").splitlines():
            if chars:
                ctx.out("".join(c for i, c in enumerate(line, 1) if _picked(i, ranges)) + "\n")
            elif delim in line:
                parts = line.split(delim)
                ctx.out(delim.join(p for i, p in enumerate(parts, 1) if _picked(i, ranges)) + "\n")
            elif "s" not in flags:
                ctx.out(line + "\n")
    return 0


_CLASSES = {
    "[:upper:]": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "[:lower:]": "abcdefghijklmnopqrstuvwxyz",
    "[:digit:]": "0123456789",
    "[:space:]": " \t\n\r\f\v",
    "[:blank:]": " \t",
}


def _charset(text: str) -> str:
    for name, chars in _CLASSES.items():
        text = text.replace(name, chars)
    text = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), text)
    return re.sub(
        r"(.)-(.)", lambda m: "".join(chr(c) for c in range(ord(m[1]), ord(m[2]) + 1)), text
    )


async def tr(ctx: Ctx) -> int:
    """`tr [-d] [-s] SET1 [SET2]`."""
    flags, sets = split_options(ctx.args, "dsc")
    if not sets or (len(sets) < 2 and "d" not in flags and "s" not in flags):
        raise ctx.fail("Needs 1 argument" if not sets else "Needs 2 arguments")
    source = _charset(sets[0])
    text = (await read_all(ctx.stdin)).decode("utf-8", errors="replace")
    if "d" in flags:
        text = "".join(c for c in text if c not in source)
    elif len(sets) > 1:
        target = _charset(sets[1])
        target = (target + target[-1:] * len(source))[: len(source)] if target else ""
        text = text.translate(str.maketrans(source, target))
    if "s" in flags:
        squeeze = _charset(sets[-1])
        text = re.sub("([" + re.escape(squeeze) + "])\\1+", r"\1", text) if squeeze else text
    ctx.out(text)
    return 0


async def uniq(ctx: Ctx) -> int:
    """`uniq [-c] [-d] [-u]`: adjacent repeated lines once."""
    flags, operands = split_options(ctx.args, "cdui")
    runs: list[list[Any]] = []  # [line, count]
    fold = str.lower if "i" in flags else str
    for _, data in await inputs(ctx, operands[:1]):
        for line in (data or b"").decode("utf-8", errors="replace").splitlines():
            if runs and fold(runs[-1][0]) == fold(line):
                runs[-1][1] += 1
            else:
                runs.append([line, 1])
    for line, count in runs:
        if ("d" in flags and count < 2) or ("u" in flags and count > 1):
            continue
        ctx.out(f"{count:7d} {line}\n" if "c" in flags else line + "\n")
    return 0


async def tee(ctx: Ctx) -> int:
    """`tee [-a] FILE…`: stdin to stdout and to each file."""
    flags, files = split_options(ctx.args, "a")
    data = await read_all(ctx.stdin)
    ctx.out(data)
    status = 0
    for name in files:
        path = ctx.path(name)
        try:
            old = ctx.phone.fs.read(path) if "a" in flags and ctx.phone.fs.stat(path) else b""
            await ctx.blocking(ctx.phone.fs.write, path, old + data)
        except OSError as exc:
            ctx.err(f"tee: {name}: {exc.strerror or exc}\n")
            status = 1
    return status


def basename(ctx: Ctx) -> int:
    if not ctx.args:
        raise ctx.fail("Needs 1 argument")
    name = posixpath.basename(ctx.args[0].rstrip("/")) or "/"
    if len(ctx.args) > 1 and name != ctx.args[1] and name.endswith(ctx.args[1]):
        name = name[: -len(ctx.args[1])]
    ctx.out(name + "\n")
    return 0


def dirname(ctx: Ctx) -> int:
    if not ctx.args:
        raise ctx.fail("Needs 1 argument")
    ctx.out((posixpath.dirname(ctx.args[0].rstrip("/")) or ".") + "\n")
    return 0


async def xargs(ctx: Ctx) -> int:
    """`xargs [-n N] [COMMAND [ARG…]]`: run COMMAND (echo) with the words of stdin."""
    from virtual_phone.shell.interpreter import ShellIO

    args = list(ctx.args)
    per = take_valued(args, "-n")
    command = args or ["echo"]
    words = (await read_all(ctx.stdin)).decode("utf-8", errors="replace").split()
    size = int(per[-1]) if per and per[-1].isdigit() and int(per[-1]) > 0 else max(1, len(words))
    await ctx.flush()
    io = ShellIO(ctx.stdin, ctx.stdout, ctx.stderr, ctx.hangup)
    status = 0
    for start in range(0, max(1, len(words)), size):
        batch = words[start : start + size]
        if not batch and words:
            break
        result = await ctx.shell.invoke([*command, *batch], ctx.env, io, ctx.session)
        status = 123 if result else status
    return status


COMMANDS: dict[str, CommandFunc] = {
    "cut": cut,
    "tr": tr,
    "uniq": uniq,
    "tee": tee,
    "basename": basename,
    "dirname": dirname,
    "xargs": xargs,
}
