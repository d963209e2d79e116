"""Processes and logs: ps, pidof, logcat."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass

from virtual_phone.shell.commands.package_facts import uid
from virtual_phone.shell.context import CommandFunc, Ctx
from virtual_phone.shell.state import DEFAULT_IME, LogEntry

U2_PORT = 9008
PS_HEADER = "USER           PID  PPID        VSZ    RSS WCHAN            ADDR S NAME\n"
SYSTEM_PROCESSES = (
    ("root", "init", 1, 0),
    ("root", "kthreadd", 2, 0),
    ("root", "ueventd", 0, 1),
    ("logd", "logd", 0, 1),
    ("system", "servicemanager", 0, 1),
    ("root", "zygote64", 0, 1),
    ("system", "surfaceflinger", 0, 1),
    ("shell", "adbd", 0, 1),
    ("system", "system_server", 0, -1),
    ("u0_a150", "com.android.systemui", 0, -1),
    ("u0_a160", DEFAULT_IME.split("/")[0], 0, -1),
)


@dataclass
class Process:
    user: str
    pid: int
    ppid: int
    name: str
    state: str = "S"


def processes(ctx: Ctx) -> list[Process]:
    """What `ps -A` lists: system daemons, running apps, the u2 server, this shell."""
    state = ctx.state
    zygote = state.pid("zygote64")
    result = []
    for user, name, pid, parent in SYSTEM_PROCESSES:
        ppid = {0: 0, 1: 1, -1: zygote}[parent]
        result.append(Process(user, pid or state.pid(name), ppid, name))
    for package in ctx.phone.running_packages():
        if any(p.name == package for p in result):
            continue
        result.append(Process(f"u0_a{uid(package) - 10000}", state.pid(package), zygote, package))
    if ctx.phone.tcp_handler(U2_PORT) is not None:
        result.append(Process("shell", state.pid("app_process"), state.pid("sh"), "app_process"))
    for job in ctx.shell.jobs.running():
        result.append(Process("shell", job.pid, state.pid("sh"), job.name))
    result.append(Process("shell", state.pid("sh"), state.pid("adbd"), "sh"))
    result.append(Process("shell", state.pid("ps") + 1, state.pid("sh"), "ps", "R"))
    return result


def _ps_line(proc: Process) -> str:
    vsz = 10913928 if proc.ppid != 0 or proc.pid == 1 else 0
    rss = 11652 + proc.pid * 13 % 90000 if vsz else 0
    wchan = "do_epoll_wait" if proc.state == "S" else "0"
    return (
        f"{proc.user:<10} {proc.pid:>6} {proc.ppid:>5} {vsz:>10} {rss:>6} {wchan:<16} "
        f"{0:>4} {proc.state} {proc.name}\n"
    )


def ps(ctx: Ctx) -> int:
    every = any(arg.startswith("-") and ("A" in arg or "e" in arg) for arg in ctx.args)
    names = {a for a in ctx.args if not a.startswith("-")}
    procs = processes(ctx)
    if not every:
        procs = [p for p in procs if p.user == "shell" and p.name in ("sh", "ps")]
    if names:
        procs = [p for p in procs if p.name in names or str(p.pid) in names]
    ctx.out(PS_HEADER + "".join(_ps_line(p) for p in procs))
    return 0


def pidof(ctx: Ctx) -> int:
    found = [str(p.pid) for p in processes(ctx) if p.name in ctx.args]
    if not found:
        return 1
    ctx.out(" ".join(found) + "\n")
    return 0


SIGNALS = {"HUP": 1, "INT": 2, "QUIT": 3, "KILL": 9, "USR1": 10, "USR2": 12, "TERM": 15}


def _signal(arg: str) -> int | None:
    """`-9`, `-KILL`, `-SIGKILL`, `-s KILL` style signal names; None when unknown."""
    name = arg.lstrip("-").upper().removeprefix("SIG")
    if name.isdigit():
        return int(name)
    return SIGNALS.get(name)


def _kill(ctx: Ctx, proc: Process, signal: int) -> bool:
    """Send a signal as the shell user: apps die (and start cold next time), others EPERM."""
    if proc.user == "shell":
        if proc.name == "app_process" and signal:
            ctx.phone.register_tcp(U2_PORT, None)
            ctx.state.forget_pid("app_process")
        else:
            ctx.shell.jobs.send(proc.pid, signal)
        return True
    if not proc.user.startswith("u0_a") or proc.name == "com.android.systemui":
        ctx.err(f"{ctx.name}: {proc.pid}: Operation not permitted\n")
        return False
    if signal == 0:
        return True
    ctx.phone.force_stop(proc.name)
    ctx.state.forget_pid(proc.name)
    return True


def _kill_options(ctx: Ctx) -> tuple[int, set[str], list[str]]:
    signal, flags, rest = 15, set[str](), list[str]()
    args = list(ctx.args)
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        if arg in ("-s",) and args:
            arg = "-" + args.pop(0)
        if set(arg[1:]) <= set("flvx") and ctx.name == "pkill":
            flags.update(arg[1:])
            continue
        found = _signal(arg)
        if found is None:
            raise ctx.fail(f"unknown signal '{arg[1:]}'")
        signal = found
    rest.extend(args)
    return signal, flags, rest


def pkill(ctx: Ctx) -> int:
    """`pkill [-fx] [-SIGNAL] PATTERN`: signal the processes whose name (or command line,
    -f) the regular expression matches; 1 when none does (toybox)."""
    signal, flags, patterns = _kill_options(ctx)
    if len(patterns) != 1:
        raise ctx.fail("Needs 1 argument")
    try:
        regex = re.compile(patterns[0])
    except re.error:
        raise ctx.fail(f"bad regex '{patterns[0]}'") from None
    search = regex.fullmatch if "x" in flags else regex.search
    own = {"ps", "pkill", "sh"}
    targets = [p for p in processes(ctx) if p.name not in own and search(p.name)]
    killed = [p for p in targets if _kill(ctx, p, signal)]
    return 0 if killed else 1


def killall(ctx: Ctx) -> int:
    """`killall [-SIGNAL] NAME…`: every process with exactly that name (toybox)."""
    signal, _, names = _kill_options(ctx)
    if not names:
        raise ctx.fail("Needs 1 argument")
    status = 0
    table = processes(ctx)
    for name in names:
        targets = [p for p in table if p.name == name and p.name not in ("ps", "sh")]
        if not targets:
            ctx.err(f"killall: {name}: no process killed\n")
            status = 1
        elif not all([_kill(ctx, p, signal) for p in targets]):
            status = 1
    return status


def kill(ctx: Ctx) -> int:
    """`kill [-SIGNAL] PID…`."""
    signal, _, pids = _kill_options(ctx)
    if not pids:
        raise ctx.fail("Needs 1 argument")
    table = {str(p.pid): p for p in processes(ctx)}
    status = 0
    for pid in pids:
        proc = table.get(pid)
        if proc is None:
            ctx.err(f"kill: {pid}: No such process\n")
            status = 1
        elif not _kill(ctx, proc, signal):
            status = 1
    return status


def _format(entry: LogEntry, style: str) -> str:
    stamp = time.strftime("%m-%d %H:%M:%S", time.localtime(entry.when))
    millis = int(entry.when * 1000) % 1000
    if style == "brief":
        return f"{entry.level}/{entry.tag}({entry.pid:5d}): {entry.message}\n"
    if style == "time":
        return f"{stamp}.{millis:03d} {entry.level}/{entry.tag}({entry.pid:5d}): {entry.message}\n"
    return (
        f"{stamp}.{millis:03d} {entry.pid:5d} {entry.tid:5d} {entry.level} "
        f"{entry.tag:<8}: {entry.message}\n"
    )


async def logcat(ctx: Ctx) -> int:
    args = ctx.args
    if "-c" in args or "--clear" in args:
        ctx.state.clear_logs()
        return 0
    style = (
        args[args.index("-v") + 1]
        if "-v" in args and args.index("-v") + 1 < len(args)
        else "threadtime"
    )
    entries = ctx.state.log_snapshot()
    if "-t" in args and args.index("-t") + 1 < len(args):
        count = args[args.index("-t") + 1]
        entries = entries[-int(count) :] if count.isdigit() else entries
    ctx.out("--------- beginning of main\n")
    ctx.out("".join(_format(entry, style) for entry in entries))
    if "-d" in args or "-t" in args:
        return 0
    await ctx.flush()
    await _follow(ctx, style, entries[-1].seq if entries else 0)
    return 0


async def _follow(ctx: Ctx, style: str, last: int) -> None:
    """Print new log lines as they come, until the host closes the stream."""
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def listener() -> None:
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            loop.call_soon_threadsafe(wake.set)

    ctx.state.add_log_listener(listener)
    hangup = asyncio.ensure_future(ctx.hangup.wait())
    try:
        while not ctx.hangup.is_set():
            wake.clear()
            fresh = [e for e in ctx.state.log_snapshot() if e.seq > last]
            if fresh:
                last = fresh[-1].seq
                ctx.out("".join(_format(entry, style) for entry in fresh))
                await ctx.flush()
                continue
            woken = asyncio.ensure_future(wake.wait())
            await asyncio.wait({woken, hangup}, return_when=asyncio.FIRST_COMPLETED)
            woken.cancel()
    finally:
        hangup.cancel()
        ctx.state.remove_log_listener(listener)


COMMANDS: dict[str, CommandFunc] = {
    "ps": ps,
    "pidof": pidof,
    "logcat": logcat,
    "pkill": pkill,
    "kill": kill,
    "killall": killall,
}
