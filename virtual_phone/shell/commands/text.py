"""Text filters for pipes: grep, head, tail, wc, sort."""

from __future__ import annotations

import re

from virtual_phone.shell.context import CommandFunc, Ctx, split_options
from virtual_phone.shell.streams import read_all


async def _inputs(ctx: Ctx, operands: list[str]) -> list[tuple[str, bytes | None]]:
    """(name, content or None when unreadable) for each operand, stdin for none or "-"."""
    result: list[tuple[str, bytes | None]] = []
    for operand in operands or ["-"]:
        if operand == "-":
            result.append(("(standard input)", await read_all(ctx.stdin)))
            continue
        try:
            result.append((operand, ctx.phone.fs.read(ctx.path(operand))))
        except OSError:
            ctx.err(f"{ctx.name}: {operand}: No such file or directory\n")
            result.append((operand, None))
    return result


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _basic_to_extended(pattern: str) -> str:
    """A POSIX basic regex (where `\\|` `\\(` `\\+`… are the operators) as a Python one."""
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            nxt = pattern[index + 1]
            out.append(nxt if nxt in "|()+?{}" else char + nxt)
            index += 2
            continue
        out.append("\\" + char if char in "|()+?{}" else char)
        index += 1
    return "".join(out)


def _grep_pattern(ctx: Ctx, flags: set[str], patterns: list[str]) -> re.Pattern[str]:
    parts = []
    for pattern in patterns:
        if "F" in flags:
            pattern = re.escape(pattern)
        elif "E" not in flags:
            pattern = _basic_to_extended(pattern)
        if "w" in flags:
            pattern = rf"\b(?:{pattern})\b"
        if "x" in flags:
            pattern = rf"^(?:{pattern})$"
        parts.append(pattern)
    try:
        return re.compile("|".join(parts), re.IGNORECASE if "i" in flags else 0)
    except re.error as exc:
        raise ctx.fail(f"bad regex: {exc}", 2) from None


async def grep(ctx: Ctx) -> int:
    args = list(ctx.args)
    patterns: list[str] = []
    while "-e" in args:
        index = args.index("-e")
        patterns.append(args[index + 1] if index + 1 < len(args) else "")
        del args[index : index + 2]
    flags, operands = split_options(args, "iEFvcqlnowxsHh")
    if ctx.name == "egrep":
        flags.add("E")
    if not patterns:
        if not operands:
            raise ctx.fail("No pattern", 2)
        patterns.append(operands.pop(0))
    regex = _grep_pattern(ctx, flags, patterns)
    inputs = await _inputs(ctx, operands)
    matched = False
    for name, data in inputs:
        if data is None:
            continue
        hits = _grep_lines(data, regex, flags)
        matched = matched or bool(hits)
        if "q" in flags:
            continue
        prefix = f"{name}:" if (len(inputs) > 1 and "h" not in flags) or "H" in flags else ""
        if "c" in flags:
            ctx.out(f"{prefix}{len(hits)}\n")
        elif "l" in flags:
            ctx.out(f"{name}\n" if hits else "")
        else:
            ctx.out("".join(f"{prefix}{line}\n" for line in hits))
    if any(data is None for _, data in inputs) and "s" not in flags:
        return 2
    return 0 if matched else 1


def _grep_lines(data: bytes, regex: re.Pattern[str], flags: set[str]) -> list[str]:
    hits: list[str] = []
    for number, raw in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        found = regex.search(raw) is not None
        if found == ("v" in flags):
            continue
        line = raw
        if "o" in flags and "v" not in flags:
            hits.extend(m.group() for m in regex.finditer(raw) if m.group())
            continue
        hits.append(f"{number}:{line}" if "n" in flags else line)
    return hits


def _count_option(ctx: Ctx, default: int) -> tuple[int, list[str], bool]:
    """(-n N or -N, remaining operands, N given as +N)."""
    args = list(ctx.args)
    count, from_start = default, False
    rest = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("-n", "-c") and index + 1 < len(args):
            value = args[index + 1]
            from_start = value.startswith("+")
            count = int(value.lstrip("+-"))
            index += 2
            continue
        if arg.startswith("-n") and arg[2:].lstrip("+-").isdigit():
            count = int(arg[2:].lstrip("+-"))
        elif arg[:1] == "-" and arg[1:].isdigit():
            count = int(arg[1:])
        else:
            rest.append(arg)
        index += 1
    return count, rest, from_start


async def head(ctx: Ctx) -> int:
    count, operands, _ = _count_option(ctx, 10)
    for _, data in await _inputs(ctx, operands):
        if data is not None:
            ctx.out(b"".join(_lines(data)[:count]))
    return 0


async def tail(ctx: Ctx) -> int:
    count, operands, from_start = _count_option(ctx, 10)
    for _, data in await _inputs(ctx, operands):
        if data is not None:
            lines = _lines(data)
            ctx.out(b"".join(lines[count - 1 :] if from_start else lines[-count:] if count else []))
    return 0


async def wc(ctx: Ctx) -> int:
    flags, operands = split_options(ctx.args, "lwcm")
    flags = flags or {"l", "w", "c"}
    for name, data in await _inputs(ctx, operands):
        if data is None:
            continue
        counts = []
        if "l" in flags:
            counts.append(data.count(b"\n"))
        if "w" in flags:
            counts.append(len(data.split()))
        if "c" in flags or "m" in flags:
            counts.append(len(data))
        label = "" if name == "(standard input)" else f" {name}"
        ctx.out(" ".join(str(c) for c in counts) + label + "\n")
    return 0


async def sort(ctx: Ctx) -> int:
    flags, operands = split_options(ctx.args, "rnuf")
    lines: list[str] = []
    for _, data in await _inputs(ctx, operands):
        if data is not None:
            lines.extend(data.decode("utf-8", errors="replace").splitlines())
    if "u" in flags:
        lines = list(dict.fromkeys(lines))

    def key(line: str) -> tuple[float, str]:
        if "n" in flags:
            match = re.match(r"\s*(-?\d+(?:\.\d+)?)", line)
            return (float(match.group(1)) if match else 0.0, line)
        return (0.0, line.lower() if "f" in flags else line)

    lines.sort(key=key, reverse="r" in flags)
    ctx.out("".join(line + "\n" for line in lines))
    return 0


COMMANDS: dict[str, CommandFunc] = {
    "grep": grep,
    "egrep": grep,
    "head": head,
    "tail": tail,
    "wc": wc,
    "sort": sort,
}
