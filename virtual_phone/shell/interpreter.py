"""Runs parsed command lines: lists, pipelines, redirects, parameters and globbing."""

from __future__ import annotations

import asyncio
import fnmatch
import inspect
import logging
import posixpath
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from virtual_phone.shell.context import CommandError, CommandFunc, Ctx, ShellExit
from virtual_phone.shell.parser import (
    AndOr,
    Command,
    PartKind,
    Pipeline,
    Redirect,
    ShellSyntaxError,
    Word,
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
            for and_or in script:
                session.status = await self._and_or(and_or, io, session)
        except ShellExit as exc:
            session.status = exc.status
            session.exited = True
        return session.status & 0xFF

    async def interactive(self, io: ShellIO, prompt: bool) -> int:
        """Read and run lines from stdin until `exit` or end of input; with `prompt`, act
        as a terminal session (prompt, echo, line editing)."""
        session = Session()
        reader = LineEditor(io.stdin, io.stdout) if prompt else SourceReader(io.stdin)
        while not io.hangup.is_set():
            if prompt:
                device = self.phone.getprop("ro.product.device")
                await io.stdout.write(f"{device}:{session.cwd} $ ".encode())
            line = await reader.read_line()
            if line is None:
                break
            status = await self.run(line.decode("utf-8", errors="replace"), io, session)
            if session.exited:
                return status
        return session.status & 0xFF

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
                status = await self._command(command, part_io, session)
            except ShellExit as exc:
                if count == 1:
                    raise
                status = exc.status
            stdin = BytesSource(bytes(buffer.data))
        return (0 if status else 1) if node.negate else status

    async def _command(self, node: Command, io: ShellIO, session: Session) -> int:
        words = [w for word in node.words for w in self._expand_word(word, session)]
        assigned = {name: self._expand(value, session) for name, value in node.assignments}
        try:
            io, files = await self._redirect(node.redirects, io, session)
        except CommandError as exc:
            await io.stderr.write(exc.message.encode())
            return exc.status
        if not words:
            session.vars.update(assigned)
            status = 0
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
        except ShellExit:
            await ctx.flush()
            raise
        except Exception:
            log.exception("shell command %r failed", words)
            ctx.err(f"{ctx.name}: internal error\n")
            status = 1
        await ctx.flush()
        return int(status) & 0xFF

    # -- expansion -------------------------------------------------------------------
    def _param(self, name: str, session: Session) -> str:
        if name == "?":
            return str(session.status)
        if name == "$":
            return str(self.state.pid("sh"))
        if name in ("#", "!"):
            return "0"
        if name == "0":
            return SH
        if name.isdigit() or name in "-@*":
            return ""
        return session.vars.get(name, "")

    def _expand(self, word: Word, session: Session) -> str:
        return "".join(
            self._param(part.text, session)
            if part.kind in (PartKind.PARAM, PartKind.QUOTED_PARAM)
            else part.text
            for part in word
        )

    def _expand_word(self, word: Word, session: Session) -> list[str]:
        text = self._expand(word, session)
        if not text and all(part.kind is PartKind.PARAM for part in word):
            return []
        if any(
            part.kind is PartKind.LITERAL and any(c in part.text for c in "*?[") for part in word
        ):
            matches = self._glob(word, session)
            if matches:
                return matches
        return [text]

    def _glob(self, word: Word, session: Session) -> list[str]:
        pattern = "".join(
            part.text
            if part.kind is PartKind.LITERAL
            else "".join(f"[{c}]" if c in "*?[" else c for c in self._expand((part,), session))
            for part in word
        )
        directory, base = posixpath.split(pattern)
        if any(c in directory for c in "*?["):
            return []
        absolute = (
            directory if directory.startswith("/") else posixpath.join(session.cwd, directory)
        )
        try:
            names = self.phone.fs.listdir(absolute or "/")
        except OSError:
            return []
        hits = sorted(
            n
            for n in names
            if fnmatch.fnmatchcase(n, base) and (base.startswith(".") or not n.startswith("."))
        )
        return [posixpath.join(directory, n) if directory else n for n in hits]

    # -- redirects -------------------------------------------------------------------
    async def _redirect(
        self, redirects: list[Redirect], io: ShellIO, session: Session
    ) -> tuple[ShellIO, list[_FileSink]]:
        fds: dict[int, Any] = {0: io.stdin, 1: io.stdout, 2: io.stderr}
        files: list[_FileSink] = []
        for redirect in redirects:
            target = self._expand(redirect.target, session)
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
