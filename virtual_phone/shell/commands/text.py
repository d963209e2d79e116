"""Text filters for pipes: grep, head, tail, wc, sort."""

from __future__ import annotations

import re
from dataclasses import dataclass

from virtual_phone.shell.context import CommandFunc, Ctx, split_options
from virtual_phone.shell.streams import read_all


async def inputs(ctx: Ctx, operands: list[str]) -> list[tuple[str, bytes | None]]:
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


def take_valued(args: list[str], option: str) -> list[str]:
    """Remove every `-X VALUE` / `-XVALUE` of one option from args; the values in order."""
    values: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == option:
            values.append(args[index + 1] if index + 1 < len(args) else "")
            del args[index : index + 2]
        elif arg.startswith(option) and len(arg) > len(option):
            values.append(arg[len(option) :])
            del args[index]
        else:
            index += 1
    return values


def _max_count(ctx: Ctx, values: list[str]) -> int | None:
    if not values:
        return None
    if not values[-1].isdigit():
        raise ctx.fail(f"-m: invalid number '{values[-1]}'", 2)
    return int(values[-1])


async def grep(ctx: Ctx) -> int:
    args = list(ctx.args)
    patterns = take_valued(args, "-e")
    limit = _max_count(ctx, take_valued(args, "-m"))
    flags, operands = split_options(args, "iEFvcqlnowxsHh")
    if ctx.name == "egrep":
        flags.add("E")
    if not patterns:
        if not operands:
            raise ctx.fail("No pattern", 2)
        patterns.append(operands.pop(0))
    regex = _grep_pattern(ctx, flags, patterns)
    sources = await inputs(ctx, operands)
    matched = False
    for name, data in sources:
        if data is None:
            continue
        hits = _grep_lines(data, regex, flags, limit)
        matched = matched or bool(hits)
        if "q" in flags:
            continue
        prefix = f"{name}:" if (len(sources) > 1 and "h" not in flags) or "H" in flags else ""
        if "c" in flags:
            ctx.out(f"{prefix}{len(hits)}\n")
        elif "l" in flags:
            ctx.out(f"{name}\n" if hits else "")
        else:
            ctx.out("".join(f"{prefix}{line}\n" for line in hits))
    if any(data is None for _, data in sources) and "s" not in flags:
        return 2
    return 0 if matched else 1


def _grep_lines(
    data: bytes, regex: re.Pattern[str], flags: set[str], limit: int | None = None
) -> list[str]:
    """The output lines for one input; at most `limit` matching lines are taken (-m)."""
    hits: list[str] = []
    taken = 0
    for number, raw in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        found = regex.search(raw) is not None
        if found == ("v" in flags):
            continue
        if limit is not None and taken >= limit:
            break
        taken += 1
        line = raw
        if "o" in flags and "v" not in flags:
            hits.extend(m.group() for m in regex.finditer(raw) if m.group())
            continue
        hits.append(f"{number}:{line}" if "n" in flags else line)
    return hits


@dataclass
class _Span:
    """What head / tail take: `count` lines (or bytes with -c), from the start with +N."""

    count: int = 10
    from_start: bool = False
    unit: str = "n"


def _count_option(ctx: Ctx) -> tuple[_Span, list[str]]:
    """The span (-n N, -c N, -N; +N for tail) and the remaining operands."""
    args = list(ctx.args)
    span = _Span()
    for unit in ("n", "c"):
        values = take_valued(args, f"-{unit}")
        if values:
            value = values[-1]
            if not value.lstrip("+-").isdigit():
                raise ctx.fail(f"invalid number '{value}'")
            span = _Span(int(value.lstrip("+-")), value.startswith("+"), unit)
    rest = []
    for arg in args:
        if arg[:1] == "-" and arg[1:].isdigit():
            span = _Span(int(arg[1:]))
        else:
            rest.append(arg)
    return span, rest


async def head(ctx: Ctx) -> int:
    span, operands = _count_option(ctx)
    for _, data in await inputs(ctx, operands):
        if data is not None:
            ctx.out(
                data[: span.count] if span.unit == "c" else b"".join(_lines(data)[: span.count])
            )
    return 0


async def tail(ctx: Ctx) -> int:
    span, operands = _count_option(ctx)
    for _, data in await inputs(ctx, operands):
        if data is None:
            continue
        if span.unit == "c":
            start = max(0, span.count - 1) if span.from_start else max(0, len(data) - span.count)
            ctx.out(data[start:])
            continue
        lines = _lines(data)
        if span.from_start:
            ctx.out(b"".join(lines[max(0, span.count - 1) :]))
        elif span.count:
            ctx.out(b"".join(lines[-span.count :]))
    return 0


async def seq(ctx: Ctx) -> int:
    """`seq [FIRST [INCREMENT]] LAST`, integers (toybox)."""
    try:
        numbers = [int(arg) for arg in ctx.args]
    except ValueError:
        raise ctx.fail(f"invalid integer in '{' '.join(ctx.args)}'") from None
    if not 1 <= len(numbers) <= 3:
        raise ctx.fail("Need 1-3 arguments")
    first, step, last = (
        (1, 1, numbers[0])
        if len(numbers) == 1
        else (numbers[0], 1, numbers[1])
        if len(numbers) == 2
        else (numbers[0], numbers[1], numbers[2])
    )
    if step == 0:
        raise ctx.fail("step must not be zero")
    ctx.out("".join(f"{n}\n" for n in range(first, last + (1 if step > 0 else -1), step)))
    return 0


async def wc(ctx: Ctx) -> int:
    flags, operands = split_options(ctx.args, "lwcm")
    flags = flags or {"l", "w", "c"}
    for name, data in await inputs(ctx, operands):
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
    for _, data in await inputs(ctx, operands):
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
    "seq": seq,
}
