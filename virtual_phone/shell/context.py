"""What a shell command sees: its arguments, stdio, environment and the phone.

A command is a function `(ctx: Ctx) -> int` (run on a worker thread, so it may call the
phone) or `async (ctx: Ctx) -> int` (run on the event loop; for commands that read stdin,
sleep or stay open). Output written with `ctx.out()` / `ctx.err()` is buffered in order and
flushed to the sinks when the command returns, or earlier by `await ctx.flush()`.
"""

from __future__ import annotations

import asyncio
import posixpath
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from virtual_phone.shell.streams import Sink, Source

if TYPE_CHECKING:
    from virtual_phone.contract import PhoneLike
    from virtual_phone.shell.interpreter import Session, Shell
    from virtual_phone.shell.state import DeviceState

T = TypeVar("T")
CommandFunc = Callable[["Ctx"], int] | Callable[["Ctx"], Awaitable[int]]


class CommandError(Exception):
    """A command failed: `message` goes to stderr and `status` is the exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class ShellExit(Exception):
    """`exit N`: ends the shell with status N."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class LoopControl(Exception):
    """`break N` / `continue N`: leaves (or restarts) the N-th enclosing loop."""

    def __init__(self, levels: int, again: bool) -> None:
        super().__init__(levels)
        self.levels = levels
        self.again = again


@dataclass
class Ctx:
    """One command invocation."""

    name: str
    args: list[str]
    shell: Shell
    session: Session
    env: dict[str, str]
    stdin: Source
    stdout: Sink
    stderr: Sink
    hangup: asyncio.Event
    _chunks: list[tuple[int, bytes]] = field(default_factory=list)

    @property
    def phone(self) -> PhoneLike:
        return self.shell.phone

    @property
    def state(self) -> DeviceState:
        return self.shell.state

    def out(self, data: str | bytes) -> None:
        """Write to stdout (a str is UTF-8 encoded)."""
        self._chunks.append((1, data.encode() if isinstance(data, str) else data))

    def err(self, data: str | bytes) -> None:
        """Write to stderr."""
        self._chunks.append((2, data.encode() if isinstance(data, str) else data))

    def fail(self, message: str, status: int = 1) -> CommandError:
        """An error to raise, prefixed with the command name: `raise ctx.fail("...")`."""
        return CommandError(f"{self.name}: {message}", status)

    async def flush(self) -> None:
        """Send buffered output to the sinks, in the order it was written."""
        chunks, self._chunks = self._chunks, []
        for fd, data in chunks:
            await (self.stdout if fd == 1 else self.stderr).write(data)

    def path(self, path: str) -> str:
        """An absolute, normalised path (relative paths start at the working directory)."""
        if not path.startswith("/"):
            path = posixpath.join(self.session.cwd, path)
        normal = posixpath.normpath(path)
        return "/" + normal.lstrip("/")

    async def blocking(self, func: Callable[..., T], *args: Any) -> T:
        """Run a blocking phone call on a worker thread."""
        return await self.shell.run_blocking(func, *args)


def split_options(args: list[str], flags: str) -> tuple[set[str], list[str]]:
    """Single-letter flags (combinable, as in `-rf`) and the remaining operands."""
    found: set[str] = set()
    rest: list[str] = []
    options_done = False
    for arg in args:
        if not options_done and arg == "--":
            options_done = True
        elif not options_done and len(arg) > 1 and arg[0] == "-" and set(arg[1:]) <= set(flags):
            found.update(arg[1:])
        else:
            rest.append(arg)
    return found, rest
