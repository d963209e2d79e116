"""`shell:` (v1, raw bytes), `shell,v2,…:` (framed packets with an exit code) and `exec:`."""

from __future__ import annotations

import asyncio
import contextlib
import struct
from dataclasses import dataclass

from virtual_phone.adb.transport import AdbStream
from virtual_phone.shell import Shell, ShellIO
from virtual_phone.shell.streams import OnlcrSink, QueueSource, Sink

ID_STDIN = 0
ID_STDOUT = 1
ID_STDERR = 2
ID_EXIT = 3
ID_CLOSE_STDIN = 4
ID_WINDOW_SIZE = 5
PACKET_HEADER = struct.Struct("<BI")
MAX_PACKET = 64 * 1024


@dataclass(frozen=True)
class ShellRequest:
    """A parsed `shell[,options]:command` or `exec:command` service name."""

    command: str
    v2: bool = False
    pty: bool = False
    raw_exec: bool = False


def parse_shell_service(service: str) -> ShellRequest | None:
    """The request a shell/exec service name asks for, or None if it is not one."""
    if service.startswith("exec:"):
        return ShellRequest(service[len("exec:") :], raw_exec=True)
    head, sep, command = service.partition(":")
    if not sep:
        return None
    name, *options = head.split(",")
    if name != "shell":
        return None
    v2 = "v2" in options
    # Without an explicit type, an interactive shell gets a pty and a command does not.
    pty = "pty" in options or ("raw" not in options and not command)
    return ShellRequest(command, v2=v2, pty=pty)


class _PacketSink:
    """Wraps output in shell-protocol packets of one id."""

    def __init__(self, stream: AdbStream, packet_id: int) -> None:
        self._stream = stream
        self._id = packet_id

    async def write(self, data: bytes) -> None:
        for offset in range(0, len(data), MAX_PACKET):
            chunk = data[offset : offset + MAX_PACKET]
            await self._stream.write(PACKET_HEADER.pack(self._id, len(chunk)) + chunk)


async def serve_shell(shell: Shell, request: ShellRequest, stream: AdbStream) -> None:
    """Run one shell or exec request over a stream; the caller closes the stream."""
    if request.v2:
        await _serve_v2(shell, request, stream)
        return
    sink: Sink = OnlcrSink(stream) if request.pty else stream
    io = ShellIO(stream, sink, sink, stream.hangup)
    await _run(shell, request, io)


async def _run(shell: Shell, request: ShellRequest, io: ShellIO) -> int:
    if request.command.strip():
        return await shell.run(request.command, io)
    return await shell.interactive(io, prompt=request.pty)


async def _serve_v2(shell: Shell, request: ShellRequest, stream: AdbStream) -> None:
    stdin = QueueSource()
    pump = asyncio.create_task(_pump_stdin(stream, stdin))
    stdout: Sink = _PacketSink(stream, ID_STDOUT)
    stderr: Sink = _PacketSink(stream, ID_STDERR)
    if request.pty:  # a terminal has a single output channel
        stdout = stderr = OnlcrSink(stdout)
    try:
        status = await _run(shell, request, ShellIO(stdin, stdout, stderr, stream.hangup))
        await stream.write(PACKET_HEADER.pack(ID_EXIT, 1) + bytes([status & 0xFF]))
    finally:
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pump


async def _pump_stdin(stream: AdbStream, stdin: QueueSource) -> None:
    """Parses shell-protocol packets from the host into stdin until it closes stdin."""
    buffer = bytearray()
    while True:
        chunk = await stream.read()
        if not chunk:
            stdin.end()
            return
        buffer += chunk
        while len(buffer) >= PACKET_HEADER.size:
            packet_id, length = PACKET_HEADER.unpack_from(buffer)
            if len(buffer) < PACKET_HEADER.size + length:
                break
            data = bytes(buffer[PACKET_HEADER.size : PACKET_HEADER.size + length])
            del buffer[: PACKET_HEADER.size + length]
            if packet_id == ID_STDIN:
                stdin.feed(data)
            elif packet_id == ID_CLOSE_STDIN:
                stdin.end()
