"""Runs parsed command lines: lists, pipelines, redirects, parameters and globbing."""

from __future__ import annotations

import asyncio
import inspect
import logging
import posixpath
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from virtual_phone.shell.compound import run_compound
from virtual_phone.shell.context import CommandError, CommandFunc, Ctx, LoopControl, ShellExit
from virtual_phone.shell.expand import Expander, ExpansionError
from virtual_phone.shell.jobs import JobTable
from virtual_phone.shell.parser import (
    AndOr,
    Command,
    IncompleteInput,
    Node,
    Pipeline,
    Script,
    ShellSyntaxError,
    parse,
)
from virtual_phone.shell.redirects import DetachedSink, commit_files, open_redirects
from virtual_phone.shell.state import DeviceState
from virtual_phone.shell.streams import (
    BufferSink,
    BytesSource,
    ShellIO,
    Sink,
    Source,
    SourceReader,
)
from virtual_phone.shell.terminal import LineEditor

if TYPE_CHECKING:
    from virtual_phone.contract import PhoneLike

log = logging.getLogger(__name__)
T = TypeVar("T")

SH = "/system/bin/sh"
BIN_DIRS = ("/system/bin", "/system/xbin", "/vendor/bin", "/bin", "/product/bin")
DEFAULT_ENV = {
    "PATH": "/product/bin:/apex/com.android.runtime/bin:/apex/com.android.art/bin:"
    "/system_ext/bin:/system/bin:/system/xbin:/odm/bin:/vendor/bin:/vendor/xbin",
    "HOME": "/",
    "USER": "shell",
    "SHELL": SH,
    "HOSTNAME": "localhost",
    "TMPDIR": "/data/local/tmp",
    "ANDROID_DATA": "/data",
    "ANDROID_ROOT": "/system",
    "EXTERNAL_STORAGE": "/sdcard",
}


@dataclass
class Session:
    """Variables, last status and working directory of one shell session."""

    vars: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ENV))
    status: int = 0
    cwd: str = "/"
    exited: bool = False
    args: list[str] = field(default_factory=list)  # the positional parameters $1…
    arg0: str = SH  # $0
    subst_status: int | None = None  # status of the last command substitution
    last_background: int = 0  # $!
    background: list[asyncio.Future[None]] = field(default_factory=list)  # for `wait`
    options: set[str] = field(default_factory=set)  # `set -e` / `-x` / `-u`: "e", "x", "u"
    conditions: int = 0  # inside an if / while condition (where -e does not apply)

    def subshell(self) -> Session:
        """A copy for `( … )` and `$( … )`: changes to it do not reach this session."""
        return Session(
            dict(self.vars),
            self.status,
            self.cwd,
            args=list(self.args),
            arg0=self.arg0,
            options=set(self.options),
        )


class Shell:
    """A small `/system/bin/sh` for one phone."""

    def __init__(
        self,
        phone: PhoneLike,
        state: DeviceState | None = None,
        executor: Executor | None = None,
        commands: dict[str, CommandFunc] | None = None,
    ) -> None:
        if commands is None:
            from virtual_phone.shell.commands import all_commands

            commands = all_commands()
        self.phone = phone
        self.state = state or DeviceState()
        self.executor = executor
        self.commands = commands
        self.jobs = JobTable()
        self._background_tasks: set[asyncio.Future[None]] = set()

    async def run_blocking(self, func: Callable[..., T], *args: Any) -> T:
        """Run a blocking call (a phone call) on the worker pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, func, *args)

    def lookup(self, name: str) -> CommandFunc | None:
        """The command a name (or /system/bin/ path) refers to."""
        if "/" in name:
            directory, base = posixpath.split(name)
            if directory not in BIN_DIRS:
                return None
            name = base
        return self.commands.get(name)

    async def run(self, text: str, io: ShellIO, session: Session | None = None) -> int:
        """Run a command line; returns its exit status (0-255)."""
        session = session or Session()
        try:
            script = parse(text)
        except ShellSyntaxError as exc:
            await io.stderr.write(f"{SH}: syntax error: {exc}\n".encode())
            session.status = 1
            return 1
        try:
            session.status = await self.run_list(script, io, session)
        except ShellExit as exc:
            session.status = exc.status
            session.exited = True
        except ExpansionError as exc:
            await io.stderr.write(exc.message.encode())
            session.status = exc.status
        except LoopControl:
            session.status = 0
        return session.status & 0xFF

    async def substitute(self, text: str, io: ShellIO, session: Session) -> str:
        """The output of `$(text)`, run in a subshell, without its trailing newlines."""
        out = BufferSink()
        child = session.subshell()
        await self.run(text, ShellIO(io.stdin, out, io.stderr, io.hangup), child)
        session.subst_status = child.status
        return bytes(out.data).decode("utf-8", errors="replace").rstrip("\n")

    async def interactive(self, io: ShellIO, prompt: bool) -> int:
        """Read and run lines from stdin until `exit` or end of input; with `prompt`, act
        as a terminal session (prompt, echo, line editing)."""
        session = Session()
        reader = LineEditor(io.stdin, io.stdout) if prompt else SourceReader(io.stdin)
        pending = ""
        while not io.hangup.is_set():
            if prompt:
                device = self.phone.getprop("ro.product.device")
                text = "> " if pending else f"{device}:{session.cwd} $ "
                await io.stdout.write(text.encode())
            line = await reader.read_line()
            if line is None:
                break
            pending += line.decode("utf-8", errors="replace") + "\n"
            if _incomplete(pending):
                continue
            status = await self.run(pending, io, session)
            pending = ""
            if session.exited:
                return status
        return session.status & 0xFF

    async def run_list(self, script: Script, io: ShellIO, session: Session) -> int:
        """Run a list of and-or lists; the status of the last one (0 for none)."""
        status = 0
        for and_or in script:
            if and_or.background:
                self._start_background(and_or, io, session)
                status = session.status = 0
            else:
                status = session.status = await self._and_or(and_or, io, session)
        return status

    async def run_condition(self, script: Script, io: ShellIO, session: Session) -> int:
        """Run the condition of an `if` / `while`: a failure there is not an error (-e)."""
        session.conditions += 1
        try:
            return await self.run_list(script, io, session)
        finally:
            session.conditions -= 1

    def _start_background(self, node: AndOr, io: ShellIO, session: Session) -> None:
        """`list &`: run in a subshell with no stdin, outliving the stream that started it."""
        out, err = DetachedSink(io.stdout), DetachedSink(io.stderr)
        detached = ShellIO(BytesSource(), out, err, asyncio.Event())
        child = session.subshell()
        session.last_background = self.state.pid(f"bg-{id(node)}")
        task = asyncio.ensure_future(self._background(node, detached, child))
        session.background = [t for t in session.background if not t.done()] + [task]
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)

    async def _background(self, node: AndOr, io: ShellIO, session: Session) -> None:
        try:
            await self._and_or(AndOr(node.first, node.rest), io, session)
        except (ShellExit, LoopControl, ExpansionError):
            pass
        except Exception:
            log.exception("background command failed")

    async def _and_or(self, node: AndOr, io: ShellIO, session: Session) -> int:
        status = session.status = await self._pipeline(node.first, io, session)
        last = node.first
        for op, pipeline in node.rest:
            if (op == "&&") == (status == 0):
                status = await self._pipeline(pipeline, io, session)
                session.status = status
                last = pipeline
        final = node.rest[-1][1] if node.rest else node.first
        errexit = "e" in session.options and not session.conditions
        if status and errexit and last is final and not last.negate:
            raise ShellExit(status)  # set -e: the shell exits on a failing command
        return status

    async def _pipeline(self, node: Pipeline, io: ShellIO, session: Session) -> int:
        stdin: Source = io.stdin
        status = 0
        count = len(node.commands)
        for index, command in enumerate(node.commands):
            last = index == count - 1
            buffer = BufferSink()
            stdout: Sink = io.stdout if last else buffer
            part_io = ShellIO(stdin, stdout, io.stderr, io.hangup)
            try:
                status = await self._node(command, part_io, session)
            except (ShellExit, LoopControl) as exc:
                if count == 1:
                    raise
                status = exc.status if isinstance(exc, ShellExit) else 0
            stdin = BytesSource(bytes(buffer.data))
        return (0 if status else 1) if node.negate else status

    async def _node(self, node: Node, io: ShellIO, session: Session) -> int:
        if isinstance(node, Command):
            return await self._command(node, io, session)
        try:
            io, files = await open_redirects(self, node.redirects, io, session)
        except CommandError as exc:
            await io.stderr.write(exc.message.encode())
            return exc.status
        try:
            return await run_compound(self, node, io, session)
        finally:
            await commit_files(self, files, io)

    async def _command(self, node: Command, io: ShellIO, session: Session) -> int:
        expander = Expander(self, io, session)
        session.subst_status = None
        words = [w for word in node.words for w in await expander.fields(word)]
        assigned = {name: await expander.string(value) for name, value in node.assignments}
        try:
            io, files = await open_redirects(self, node.redirects, io, session)
        except CommandError as exc:
            await io.stderr.write(exc.message.encode())
            return exc.status
        if not words:
            session.vars.update(assigned)
            status = session.subst_status or 0
        else:
            status = await self.invoke(words, {**session.vars, **assigned}, io, session)
        await commit_files(self, files, io)
        return status

    async def invoke(
        self, words: list[str], env: dict[str, str], io: ShellIO, session: Session
    ) -> int:
        """Run one simple command (already expanded) with the given stdio."""
        name, args = words[0], words[1:]
        if "x" in session.options:
            await io.stderr.write(("+ " + " ".join(words) + "\n").encode())
        func = self.lookup(name)
        if func is None:
            await io.stderr.write(f"{SH}: {name}: inaccessible or not found\n".encode())
            return 127
        ctx = Ctx(
            posixpath.basename(name),
            args,
            self,
            session,
            env,
            io.stdin,
            io.stdout,
            io.stderr,
            io.hangup,
        )
        try:
            if inspect.iscoroutinefunction(func):
                status = await func(ctx)
            else:
                status = await self.run_blocking(func, ctx)
        except CommandError as exc:
            ctx.err(exc.message.rstrip("\n") + "\n")
            status = exc.status
        except (ShellExit, LoopControl):
            await ctx.flush()
            raise
        except Exception:
            log.exception("shell command %r failed", words)
            ctx.err(f"{ctx.name}: internal error\n")
            status = 1
        await ctx.flush()
        return int(status) & 0xFF


def _incomplete(text: str) -> bool:
    """Whether a script typed so far ends inside a quote or compound command."""
    try:
        parse(text)
    except IncompleteInput:
        return True
    except ShellSyntaxError:
        return False
    return False
