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
    Redirect,
    Script,
    ShellSyntaxError,
    parse,
)
from virtual_phone.shell.state import DeviceState
from virtual_phone.shell.streams import (
    BufferSink,
    BytesSource,
    NullSink,
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
class ShellIO:
    """The standard streams of one shell session, and its hang-up signal."""

    stdin: Source
    stdout: Sink
    stderr: Sink
    hangup: asyncio.Event = field(default_factory=asyncio.Event)


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

    def subshell(self) -> Session:
        """A copy for `( … )` and `$( … )`: changes to it do not reach this session."""
        return Session(dict(self.vars), self.status, self.cwd, args=list(self.args), arg0=self.arg0)


class _FileSink:
    """Output redirected to a file; written to the phone's file system on commit."""

    def __init__(self, path: str, append: bool) -> None:
        self.path = path
        self.append = append
        self.data = bytearray()

    async def write(self, data: bytes) -> None:
        self.data += data


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
            status = session.status = await self._and_or(and_or, io, session)
        return status

    async def _and_or(self, node: AndOr, io: ShellIO, session: Session) -> int:
        status = session.status = await self._pipeline(node.first, io, session)
        for op, pipeline in node.rest:
            if (op == "&&") == (status == 0):
                status = await self._pipeline(pipeline, io, session)
                session.status = status
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
            io, files = await self._redirect(node.redirects, io, session)
        except CommandError as exc:
            await io.stderr.write(exc.message.encode())
            return exc.status
        try:
            return await run_compound(self, node, io, session)
        finally:
            await self._commit(files, io)

    async def _command(self, node: Command, io: ShellIO, session: Session) -> int:
        expander = Expander(self, io, session)
        session.subst_status = None
        words = [w for word in node.words for w in await expander.fields(word)]
        assigned = {name: await expander.string(value) for name, value in node.assignments}
        try:
            io, files = await self._redirect(node.redirects, io, session)
        except CommandError as exc:
            await io.stderr.write(exc.message.encode())
            return exc.status
        if not words:
            session.vars.update(assigned)
            status = session.subst_status or 0
        else:
            status = await self.invoke(words, {**session.vars, **assigned}, io, session)
        await self._commit(files, io)
        return status

    async def invoke(
        self, words: list[str], env: dict[str, str], io: ShellIO, session: Session
    ) -> int:
        """Run one simple command (already expanded) with the given stdio."""
        name, args = words[0], words[1:]
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

    # -- redirects -------------------------------------------------------------------
    async def _redirect(
        self, redirects: list[Redirect], io: ShellIO, session: Session
    ) -> tuple[ShellIO, list[_FileSink]]:
        fds: dict[int, Any] = {0: io.stdin, 1: io.stdout, 2: io.stderr}
        files: list[_FileSink] = []
        expander = Expander(self, io, session)
        for redirect in redirects:
            target = await expander.string(redirect.target)
            if redirect.op in (">&", "<&"):
                if target == "-":
                    fds[redirect.fd] = NullSink() if redirect.op == ">&" else BytesSource()
                elif target.isdigit() and int(target) in fds:
                    fds[redirect.fd] = fds[int(target)]
                else:
                    raise CommandError(f"{SH}: {target}: bad file descriptor\n")
                continue
            path = self._absolute(target, session)
            if redirect.op == "<":
                fds[redirect.fd] = BytesSource(await self._read_for_redirect(path))
            elif path == "/dev/null":
                fds[redirect.fd] = NullSink()
            else:
                sink = await self._create_file(path, append=redirect.op == ">>")
                files.append(sink)
                fds[redirect.fd] = sink
        return ShellIO(fds[0], fds[1], fds[2], io.hangup), files

    @staticmethod
    def _absolute(path: str, session: Session) -> str:
        return posixpath.normpath(posixpath.join(session.cwd, path))

    async def _read_for_redirect(self, path: str) -> bytes:
        if path == "/dev/null":
            return b""
        try:
            return await self.run_blocking(self.phone.fs.read, path)
        except IsADirectoryError:
            raise CommandError(f"{SH}: can't open {path}: Is a directory\n") from None
        except OSError:
            raise CommandError(f"{SH}: can't open {path}: No such file or directory\n") from None

    async def _create_file(self, path: str, append: bool) -> _FileSink:
        fs = self.phone.fs
        stat = fs.stat(path)
        if stat is not None and stat[0] & 0o040000:
            raise CommandError(f"{SH}: can't create {path}: Is a directory\n")
        parent = fs.stat(posixpath.dirname(path))
        if parent is None:
            raise CommandError(f"{SH}: can't create {path}: No such file or directory\n")
        if not append or stat is None:
            try:
                await self.run_blocking(fs.write, path, b"")
            except OSError as exc:
                raise CommandError(f"{SH}: can't create {path}: {exc.strerror or exc}\n") from None
        return _FileSink(path, append)

    async def _commit(self, files: list[_FileSink], io: ShellIO) -> None:
        for sink in files:
            try:
                await self.run_blocking(self._write_file, sink)
            except OSError as exc:
                await io.stderr.write(f"{SH}: write error: {exc}\n".encode())

    def _write_file(self, sink: _FileSink) -> None:
        fs = self.phone.fs
        data = bytes(sink.data)
        if sink.append:
            try:
                data = fs.read(sink.path) + data
            except FileNotFoundError:
                pass
        fs.write(sink.path, data)


def _incomplete(text: str) -> bool:
    """Whether a script typed so far ends inside a quote or compound command."""
    try:
        parse(text)
    except IncompleteInput:
        return True
    except ShellSyntaxError:
        return False
    return False
