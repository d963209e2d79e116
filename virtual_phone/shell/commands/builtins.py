"""Shell built-ins and small utilities: exit, cd, echo, sleep, id, which, toybox…"""

from __future__ import annotations

import asyncio
import contextlib
import time

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
