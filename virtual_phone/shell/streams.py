"""Byte sources and sinks that connect shell commands to ADB streams, buffers and files."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Protocol


class Sink(Protocol):
    """Where a command's stdout or stderr goes."""

    async def write(self, data: bytes) -> None: ...


class Source(Protocol):
    """Where a command's stdin comes from: chunks, then b"" at end of input."""

    async def read(self) -> bytes: ...


@dataclass
class ShellIO:
    """The standard streams of one shell session, and its hang-up signal."""

    stdin: Source
    stdout: Sink
    stderr: Sink
    hangup: asyncio.Event = field(default_factory=asyncio.Event)


class BufferSink:
    """Collects bytes in memory (pipes, redirects, tests)."""

    def __init__(self) -> None:
        self.data = bytearray()

    async def write(self, data: bytes) -> None:
        self.data += data


class NullSink:
    """Discards everything (/dev/null)."""

    async def write(self, data: bytes) -> None:
        return None


class BytesSource:
    """Stdin from a fixed byte string (the previous command of a pipe, `< file`)."""

    def __init__(self, data: bytes = b"") -> None:
        self._data: bytes | None = data

    async def read(self) -> bytes:
        data, self._data = self._data, None
        return data or b""

    def unread(self, data: bytes) -> None:
        """Give back bytes read too far (`read` takes one line): the next read has them."""
        if data:
            self._data = data + (self._data or b"")


class QueueSource:
    """Stdin fed by a transport: `feed()` chunks, `end()` at end of input."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[bytes] = asyncio.Queue()
        self._ended = False
        self._back = b""

    def feed(self, data: bytes) -> None:
        if data and not self._ended:
            self._queue.put_nowait(data)

    def end(self) -> None:
        if not self._ended:
            self._ended = True
            self._queue.put_nowait(b"")

    async def read(self) -> bytes:
        if self._back:
            data, self._back = self._back, b""
            return data
        if self._ended and self._queue.empty():
            return b""
        return await self._queue.get()

    def unread(self, data: bytes) -> None:
        """Give back bytes read too far: the next read returns them first."""
        self._back = data + self._back


class OnlcrSink:
    """Translates LF to CRLF, as a pseudo-terminal does."""

    def __init__(self, inner: Sink) -> None:
        self._inner = inner

    async def write(self, data: bytes) -> None:
        await self._inner.write(data.replace(b"\n", b"\r\n"))


async def read_all(source: Source, limit: int = 256 * 1024 * 1024) -> bytes:
    """Every byte of a source up to its end (or `limit` bytes)."""
    chunks = bytearray()
    while len(chunks) < limit:
        chunk = await source.read()
        if not chunk:
            break
        chunks += chunk
    return bytes(chunks)


class SourceReader:
    """Buffers a source so that callers can read exact sizes and lines."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self._buffer = bytearray()
        self._eof = False

    async def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = await self._source.read()
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    async def read_exactly(self, size: int) -> bytes:
        """Exactly `size` bytes; EOFError if the source ends first."""
        while len(self._buffer) < size:
            if not await self._fill():
                raise EOFError(f"wanted {size} bytes, got {len(self._buffer)}")
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    async def read_line(self) -> bytes | None:
        """The next line without its terminator (LF or CR); None at end of input."""
        while True:
            for index, byte in enumerate(self._buffer):
                if byte in (10, 13):
                    line = bytes(self._buffer[:index])
                    del self._buffer[: index + 1]
                    return line
            if not await self._fill():
                if self._buffer:
                    line = bytes(self._buffer)
                    self._buffer.clear()
                    return line
                return None
