"""`echo` as mksh's built-in and `printf` as toybox's: backslash escapes and formats."""

from __future__ import annotations

import re

from virtual_phone.shell.context import CommandFunc, Ctx


def echo(ctx: Ctx) -> int:
    """mksh's echo: backslash escapes are interpreted unless -E; `\\c` ends the output."""
    args = list(ctx.args)
    newline = True
    escapes = True
    while args and len(args[0]) > 1 and args[0][0] == "-" and set(args[0][1:]) <= set("neE"):
        flags = args.pop(0)[1:]
        newline = newline and "n" not in flags
        for flag in flags:
            escapes = {"e": True, "E": False}.get(flag, escapes)
    text = " ".join(args)
    if escapes:
        text, stop, _ = _unescape(text).partition(_STOP)
        newline = newline and not stop
    ctx.out(text + ("\n" if newline else ""))
    return 0


_PRINTF_SPEC = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d+))?([diouxXcsbeEfgG%])")
_STOP = "\0stop"  # what `\\c` becomes: the output ends there
_ESCAPES = {
    "c": _STOP,
    "e": "\x1b",
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def _unescape(text: str) -> str:
    """printf's backslash escapes: \\n \\t \\\\ \\0NNN …"""

    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        if body[0] in "01234567":
            return chr(int(body, 8) & 0xFF)
        return _ESCAPES.get(body, "\\" + body)

    return re.sub(r"\\([0-7]{1,3}|.)", one, text)


def _printf_arg(ctx: Ctx, spec: str, value: str) -> str | int | float:
    if spec in "sb":
        return _unescape(value) if spec == "b" else value
    if spec == "c":
        return value[:1]
    try:
        if spec in "eEfgG":
            return float(value) if value else 0.0
        return int(value, 0) if value else 0
    except ValueError:
        ctx.err(f"printf: invalid number '{value}'\n")
        return 0


def printf(ctx: Ctx) -> int:
    """`printf FORMAT [ARG…]`: the format is reused while arguments remain (toybox)."""
    if not ctx.args:
        raise ctx.fail("Needs 1 argument")
    fmt, args = _unescape(ctx.args[0]), list(ctx.args[1:])
    while True:
        used = False

        def convert(match: re.Match[str]) -> str:
            nonlocal used
            flags, width, precision, spec = match.groups()
            if spec == "%":
                return "%"
            used = True
            value = _printf_arg(ctx, spec, args.pop(0) if args else "")
            pyspec = {"i": "d", "u": "d", "b": "s"}.get(spec, spec)
            pyfmt = f"%{flags}{width}{'.' + precision if precision else ''}{pyspec}"
            return pyfmt % value

        ctx.out(_PRINTF_SPEC.sub(convert, fmt))
        if not args or not used:
            return 0


COMMANDS: dict[str, CommandFunc] = {"echo": echo, "printf": printf}
