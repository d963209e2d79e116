"""Shell built-ins and small utilities: exit, cd, echo, sleep, id, which, toybox…"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from typing import Any

from virtual_phone.shell.context import CommandFunc, Ctx, ShellExit

SH = "/system/bin/sh"

ID_LINE = (
    "uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),"
    "1015(sdcard_rw),1028(sdcard_r),1078(ext_data_rw),1079(ext_obb_rw),3001(net_bt_admin),"
    "3002(net_bt),3003(inet),3006(net_bw_stats),3009(readproc),3011(uhid),3012(readtracefs) "
    "context=u:r:shell:s0\n"
)
MAX_SLEEP = 3600.0


def exit_(ctx: Ctx) -> int:
    status = ctx.session.status
    if ctx.args:
        if not ctx.args[0].lstrip("-").isdigit():
            raise ctx.fail(f"{ctx.args[0]}: bad number", 2)
        status = int(ctx.args[0])
    raise ShellExit(status & 0xFF)


def true(ctx: Ctx) -> int:
    return 0


def false(ctx: Ctx) -> int:
    return 1


def cd(ctx: Ctx) -> int:
    target = ctx.path(ctx.args[0] if ctx.args else "/")
    info = ctx.phone.fs.stat(target)
    if info is None:
        raise ctx.fail(f"{target}: No such file or directory", 2)
    if not info[0] & 0o040000:
        raise ctx.fail(f"{target}: Not a directory", 2)
    ctx.session.cwd = target
    ctx.session.vars["PWD"] = target
    return 0


def pwd(ctx: Ctx) -> int:
    ctx.out(ctx.session.cwd + "\n")
    return 0


def export(ctx: Ctx) -> int:
    for arg in ctx.args:
        name, sep, value = arg.partition("=")
        if sep:
            ctx.session.vars[name] = value
    return 0


def unset(ctx: Ctx) -> int:
    for name in ctx.args:
        ctx.session.vars.pop(name, None)
    return 0


def env(ctx: Ctx) -> int:
    for name, value in sorted(ctx.env.items()):
        ctx.out(f"{name}={value}\n")
    return 0


def printenv(ctx: Ctx) -> int:
    if not ctx.args:
        return env(ctx)
    values = [ctx.env[name] for name in ctx.args if name in ctx.env]
    for value in values:
        ctx.out(value + "\n")
    return 0 if len(values) == len(ctx.args) else 1


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


async def sleep(ctx: Ctx) -> int:
    if not ctx.args:
        raise ctx.fail("Need 1 argument")
    try:
        seconds = sum(_duration(arg) for arg in ctx.args)
    except ValueError:
        raise ctx.fail(f"bad duration '{ctx.args[0]}'") from None
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(ctx.hangup.wait(), timeout=min(seconds, MAX_SLEEP))
    return 0


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


def _duration(text: str) -> float:
    units = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
    if text and text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


def id_(ctx: Ctx) -> int:
    flags = "".join(arg.lstrip("-") for arg in ctx.args)
    if "u" in flags:
        ctx.out("shell\n" if "n" in flags else "2000\n")
    else:
        ctx.out(ID_LINE)
    return 0


def whoami(ctx: Ctx) -> int:
    ctx.out("shell\n")
    return 0


def which(ctx: Ctx) -> int:
    status = 0
    for name in ctx.args:
        if ctx.shell.lookup(name) is None or name in SHELL_ONLY:
            status = 1
        else:
            ctx.out(name if "/" in name else f"/system/bin/{name}")
            ctx.out("\n")
    return status


def type_(ctx: Ctx) -> int:
    status = 0
    for name in ctx.args:
        if name in SHELL_ONLY:
            ctx.out(f"{name} is a shell builtin\n")
        elif ctx.shell.lookup(name) is not None:
            ctx.out(f"{name} is /system/bin/{name}\n")
        else:
            ctx.out(f"{name} not found\n")
            status = 1
    return status


async def toybox(ctx: Ctx) -> int:
    if not ctx.args:
        names = sorted(n for n in ctx.shell.commands if n not in SHELL_ONLY)
        ctx.out(" ".join(names) + "\n")
        return 0
    from virtual_phone.shell.interpreter import ShellIO

    await ctx.flush()
    io = ShellIO(ctx.stdin, ctx.stdout, ctx.stderr, ctx.hangup)
    return await ctx.shell.invoke(ctx.args, ctx.env, io, ctx.session)


async def sh(ctx: Ctx) -> int:
    """`sh -c SCRIPT`, `sh FILE`, or `sh` reading commands from stdin."""
    from virtual_phone.shell.interpreter import Session, ShellIO

    await ctx.flush()
    io = ShellIO(ctx.stdin, ctx.stdout, ctx.stderr, ctx.hangup)
    session = Session(vars=dict(ctx.env), cwd=ctx.session.cwd)
    args = [a for a in ctx.args if a not in ("-e", "-x")]
    if args[:1] == ["-c"]:
        if len(args) < 2:
            raise ctx.fail("-c: option requires an argument", 2)
        session.arg0, session.args = (args[2], args[3:]) if len(args) > 2 else (SH, [])
        return await ctx.shell.run(args[1], io, session)
    if args:
        session.arg0, session.args = args[0], args[1:]
        try:
            script = ctx.phone.fs.read(ctx.path(args[0])).decode("utf-8", errors="replace")
        except OSError:
            raise ctx.fail(f"{args[0]}: No such file or directory", 127) from None
        return await ctx.shell.run(script, io, session)
    return await ctx.shell.interactive(io, prompt=False)


def date(ctx: Ctx) -> int:
    if ctx.args and ctx.args[0].startswith("+"):
        ctx.out(time.strftime(ctx.args[0][1:].replace("%N", "000000000")) + "\n")
    else:
        ctx.out(time.strftime("%a %b %d %H:%M:%S %Z %Y") + "\n")
    return 0


def uname(ctx: Ctx) -> int:
    if "-a" in ctx.args:
        ctx.out("Linux localhost 5.10.157-android13-4 #1 SMP PREEMPT aarch64 Toybox\n")
    elif "-m" in ctx.args:
        ctx.out("aarch64\n")
    elif "-r" in ctx.args:
        ctx.out("5.10.157-android13-4\n")
    else:
        ctx.out("Linux\n")
    return 0


def uptime(ctx: Ctx) -> int:
    up = int(time.time() - ctx.state.boot_time)
    ctx.out(
        f" {time.strftime('%H:%M:%S')} up 0 days, {up // 3600:2d}:{up // 60 % 60:02d},  0 users,"
        "  load average: 0.12, 0.08, 0.05\n"
    )
    return 0


def getenforce(ctx: Ctx) -> int:
    ctx.out("Enforcing\n")
    return 0


SHELL_ONLY = {
    "exit",
    "cd",
    "export",
    "unset",
    ":",
    "type",
    "pwd",
    "break",
    "continue",
    "read",
    "wait",
    "set",
}

COMMANDS: dict[str, CommandFunc] = {
    "exit": exit_,
    "true": true,
    ":": true,
    "false": false,
    "cd": cd,
    "pwd": pwd,
    "export": export,
    "unset": unset,
    "env": env,
    "printenv": printenv,
    "echo": echo,
    "printf": printf,
    "read": read,
    "wait": wait,
    "set": set_,
    "sleep": sleep,
    "id": id_,
    "whoami": whoami,
    "which": which,
    "type": type_,
    "toybox": toybox,
    "sh": sh,
    "date": date,
    "uname": uname,
    "uptime": uptime,
    "getenforce": getenforce,
}
