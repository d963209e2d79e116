"""Built-ins that act on the shell session itself: `set`, `read`, `wait`."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from virtual_phone.shell.context import CommandFunc, Ctx

_SET_OPTIONS = {"e": "e", "x": "x", "u": "u", "errexit": "e", "xtrace": "x", "nounset": "u"}


def set_(ctx: Ctx) -> int:
    """`set [-+exu] [-o NAME] [-- ARG…]`: shell options and the positional parameters;
    without arguments, every variable."""
    args = list(ctx.args)
    session = ctx.session
    if not args:
        ctx.out("".join(f"{k}={_quote(v)}\n" for k, v in sorted(session.vars.items())))
        return 0
    while args:
        arg = args.pop(0)
        if arg == "--":
            session.args = args
            return 0
        if arg in ("-o", "+o") and args:
            letters = [_SET_OPTIONS.get(args.pop(0), "")]
        elif len(arg) > 1 and arg[0] in "-+":
            letters = [_SET_OPTIONS.get(letter, "") for letter in arg[1:]]
        else:
            session.args = [arg, *args]
            return 0
        if "" in letters:
            raise ctx.fail(f"{arg}: bad option", 1)
        session.options = (
            (session.options | set(letters)) if arg[0] == "-" else (session.options - set(letters))
        )
    return 0


def _quote(value: str) -> str:
    return (
        value if re.fullmatch(r"[\w@%+=:,./-]*", value) else "'" + value.replace("'", "'\\''") + "'"
    )


async def read(ctx: Ctx) -> int:
    """`read [-r] [NAME…]`: one line of stdin into variables (REPLY without names), split on
    blanks, the last name taking the rest; status 1 at end of input."""
    names = [a for a in ctx.args if not a.startswith("-")] or ["REPLY"]
    raw = "-r" in ctx.args
    line = bytearray()
    ended = True
    while True:
        chunk = await ctx.stdin.read()
        if not chunk:
            break
        newline = chunk.find(b"\n")
        if newline >= 0:
            line += chunk[:newline]
            unread = getattr(ctx.stdin, "unread", None)
            if unread is not None:
                unread(chunk[newline + 1 :])
            ended = False
            break
        line += chunk
    text = line.decode("utf-8", errors="replace")
    if not raw:
        text = re.sub(r"\\(.)", r"\1", text)
    fields = text.split(None, len(names) - 1) if len(names) > 1 else [text.strip()]
    for index, name in enumerate(names):
        ctx.session.vars[name] = fields[index] if index < len(fields) else ""
    return 1 if ended else 0


async def wait(ctx: Ctx) -> int:
    """`wait`: until the background commands of this shell have ended (or a hang-up)."""
    pending: set[asyncio.Future[Any]] = {t for t in ctx.session.background if not t.done()}
    if not pending:
        return 0
    hangup: asyncio.Future[Any] = asyncio.ensure_future(ctx.hangup.wait())
    try:
        while pending and not hangup.done():
            done, _ = await asyncio.wait({*pending, hangup}, return_when=asyncio.FIRST_COMPLETED)
            pending -= done
    finally:
        hangup.cancel()
    return 0


COMMANDS: dict[str, CommandFunc] = {"set": set_, "read": read, "wait": wait}
