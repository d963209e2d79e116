"""Redirections of a command (`>`, `>>`, `<`, `2>&1`, `>&-`) and the sinks they write to."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from virtual_phone.shell.context import CommandError
from virtual_phone.shell.expand import Expander
from virtual_phone.shell.nodes import Redirect
from virtual_phone.shell.streams import BytesSource, NullSink, ShellIO, Sink

if TYPE_CHECKING:
    from virtual_phone.shell.interpreter import Session, Shell

SH = "/system/bin/sh"


class DetachedSink:
    """Output of a background command: dropped once the stream it was started on closed."""

    def __init__(self, inner: Sink) -> None:
        self._inner: Sink | None = inner

    async def write(self, data: bytes) -> None:
        if self._inner is None:
            return
        try:
            await self._inner.write(data)
        except Exception:  # the stream is gone, as a pipe whose reader exited
            self._inner = None


class FileSink:
    """Output redirected to a file; written to the phone's file system on commit."""

    def __init__(self, path: str, append: bool) -> None:
        self.path = path
        self.append = append
        self.data = bytearray()

    async def write(self, data: bytes) -> None:
        self.data += data


async def open_redirects(
    shell: Shell, redirects: list[Redirect], io: ShellIO, session: Session
) -> tuple[ShellIO, list[FileSink]]:
    """The streams of a command after its redirections; the files to write when it ends."""
    fds: dict[int, Any] = {0: io.stdin, 1: io.stdout, 2: io.stderr}
    files: list[FileSink] = []
    expander = Expander(shell, io, session)
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
        path = _absolute(target, session)
        if redirect.op == "<":
            fds[redirect.fd] = BytesSource(await _read_for_redirect(shell, path))
        elif path == "/dev/null":
            fds[redirect.fd] = NullSink()
        else:
            sink = await _create_file(shell, path, append=redirect.op == ">>")
            files.append(sink)
            fds[redirect.fd] = sink
    return ShellIO(fds[0], fds[1], fds[2], io.hangup), files


def _absolute(path: str, session: Session) -> str:
    return posixpath.normpath(posixpath.join(session.cwd, path))


async def _read_for_redirect(shell: Shell, path: str) -> bytes:
    if path == "/dev/null":
        return b""
    try:
        return await shell.run_blocking(shell.phone.fs.read, path)
    except IsADirectoryError:
        raise CommandError(f"{SH}: can't open {path}: Is a directory\n") from None
    except OSError:
        raise CommandError(f"{SH}: can't open {path}: No such file or directory\n") from None


async def _create_file(shell: Shell, path: str, append: bool) -> FileSink:
    fs = shell.phone.fs
    stat = fs.stat(path)
    if stat is not None and stat[0] & 0o040000:
        raise CommandError(f"{SH}: can't create {path}: Is a directory\n")
    parent = fs.stat(posixpath.dirname(path))
    if parent is None:
        raise CommandError(f"{SH}: can't create {path}: No such file or directory\n")
    if not append or stat is None:
        try:
            await shell.run_blocking(fs.write, path, b"")
        except OSError as exc:
            raise CommandError(f"{SH}: can't create {path}: {exc.strerror or exc}\n") from None
    return FileSink(path, append)


async def commit_files(shell: Shell, files: list[FileSink], io: ShellIO) -> None:
    """Write redirected output to its files."""
    for sink in files:
        try:
            await shell.run_blocking(_write_file, shell, sink)
        except OSError as exc:
            await io.stderr.write(f"{SH}: write error: {exc}\n".encode())


def _write_file(shell: Shell, sink: FileSink) -> None:
    fs = shell.phone.fs
    data = bytes(sink.data)
    if sink.append:
        try:
            data = fs.read(sink.path) + data
        except FileNotFoundError:
            pass
    fs.write(sink.path, data)
