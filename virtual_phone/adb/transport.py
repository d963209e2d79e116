"""The device side of one ADB connection: packets, streams and flow control.

Each host `OPEN` becomes an `AdbStream` served by its own task. Every host `WRTE` is
answered with `OKAY`; after each device `WRTE` the stream waits for the host's `OKAY`
before sending the next chunk (one packet in flight per stream, as in protocol 0x01000001).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from virtual_phone.adb.protocol import (
    A_AUTH,
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_WRTE,
    MAX_PAYLOAD,
    VERSION,
    Packet,
    ProtocolError,
    decode_header,
    encode,
)

log = logging.getLogger(__name__)

StreamHandler = Callable[["AdbStream"], Awaitable[None]]
Router = Callable[[str], StreamHandler | None]


class AdbStream:
    """One open service stream; implements the contract's `StreamLike`.

    `read()` returns b"" once the host has closed the stream; `write()` after that is a
    no-op, so services never have to catch a hang-up.
    """

    def __init__(self, conn: AdbConnection, local_id: int, remote_id: int, service: str) -> None:
        self._conn = conn
        self.local_id = local_id
        self.remote_id = remote_id
        self.service = service
        self.hangup = asyncio.Event()  # set when the host (or the socket) closed the stream
        self._inbox: asyncio.Queue[bytes] = asyncio.Queue()
        self._acked = asyncio.Event()
        self._write_lock = asyncio.Lock()  # concurrent writers queue up: one WRTE in flight
        self._eof = False
        self._sent_close = False

    @property
    def closed(self) -> bool:
        """True once either side has closed the stream."""
        return self.hangup.is_set() or self._sent_close

    async def read(self) -> bytes:
        """Next chunk from the host; b"" once the host has closed the stream."""
        if self._eof:
            return b""
        data = await self._inbox.get()
        if not data:
            self._eof = True
        return data

    async def write(self, data: bytes) -> None:
        """Send bytes to the host, split to the max payload, one chunk per host OKAY."""
        size = self._conn.max_payload
        async with self._write_lock:
            for offset in range(0, len(data), size):
                if self.closed:
                    return
                self._acked.clear()
                chunk = bytes(data[offset : offset + size])
                await self._conn.send(Packet(A_WRTE, self.local_id, self.remote_id, chunk))
                await self._acked.wait()

    async def close(self) -> None:
        """Close the stream from the device side (idempotent)."""
        if self._sent_close:
            return
        self._sent_close = True
        self._conn.forget(self)
        if not self.hangup.is_set():
            await self._conn.send(Packet(A_CLSE, self.local_id, self.remote_id))
        self._host_closed()

    # -- called by the connection ------------------------------------------------------
    def _deliver(self, data: bytes) -> None:
        if data and not self._eof:
            self._inbox.put_nowait(data)

    def _ack(self) -> None:
        self._acked.set()

    def _host_closed(self) -> None:
        if not self.hangup.is_set():
            self.hangup.set()
            self._inbox.put_nowait(b"")
        self._acked.set()


class AdbConnection:
    """One TCP connection from an adb host (server): handshake, streams, teardown."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        router: Router,
        banner: Callable[[], bytes],
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._router = router
        self._banner = banner
        self._streams: dict[int, AdbStream] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._next_id = 1
        self._dead = False
        self.max_payload = MAX_PAYLOAD
        peer = writer.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)

    async def run(self) -> None:
        """Serve packets until the socket closes or the host sends garbage."""
        try:
            while True:
                header = await self._reader.readexactly(24)
                command, arg0, arg1, length = decode_header(header)
                payload = await self._reader.readexactly(length) if length else b""
                await self._dispatch(Packet(command, arg0, arg1, payload))
        except asyncio.IncompleteReadError:
            log.debug("adb host %s closed the connection", self.peer)
        except ProtocolError as exc:
            log.warning("adb host %s sent an invalid packet, closing it: %s", self.peer, exc)
        except (ConnectionError, OSError) as exc:
            log.info("adb connection %s dropped: %s", self.peer, exc)
        finally:
            await self.shutdown()

    async def shutdown(self) -> None:
        """Close every stream and the socket; cancel the stream tasks."""
        self._dead = True
        self._hang_up_streams()
        for task in list(self._tasks):
            task.cancel()
        self._writer.close()
        with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
            await self._writer.wait_closed()

    async def send(self, packet: Packet) -> None:
        """Write one packet; a dead socket is ignored (the read loop tears down)."""
        if self._dead:
            return
        try:
            self._writer.write(encode(packet))
            await self._writer.drain()
        except (ConnectionError, OSError) as exc:
            log.debug("adb send to %s failed: %s", self.peer, exc)
            self._dead = True
            self._hang_up_streams()

    def _hang_up_streams(self) -> None:
        """The socket is gone: wake every stream's readers and writers."""
        for stream in list(self._streams.values()):
            stream._host_closed()
        self._streams.clear()

    def forget(self, stream: AdbStream) -> None:
        self._streams.pop(stream.local_id, None)

    async def _dispatch(self, packet: Packet) -> None:
        command = packet.command
        if command == A_CNXN:
            self.max_payload = min(packet.arg1, MAX_PAYLOAD) if packet.arg1 else 4096
            await self.send(Packet(A_CNXN, VERSION, MAX_PAYLOAD, self._banner()))
        elif command == A_OPEN:
            await self._open(packet)
        elif command == A_OKAY:
            stream = self._streams.get(packet.arg1)
            if stream is not None and stream.remote_id == packet.arg0:
                stream._ack()
        elif command == A_WRTE:
            await self._host_write(packet)
        elif command == A_CLSE:
            await self._host_close(packet)
        elif command == A_AUTH:
            log.debug("ignoring AUTH from %s (this device never asks for it)", self.peer)
        else:
            log.debug("ignoring %s from %s", packet.name, self.peer)

    async def _open(self, packet: Packet) -> None:
        service = packet.payload.rstrip(b"\0").decode("utf-8", errors="replace")
        handler = self._router(service)
        if handler is None:
            log.debug("refusing service %r", service)
            await self.send(Packet(A_CLSE, 0, packet.arg0))
            return
        local_id = self._next_id
        self._next_id += 1
        stream = AdbStream(self, local_id, packet.arg0, service)
        self._streams[local_id] = stream
        await self.send(Packet(A_OKAY, local_id, packet.arg0))
        task = asyncio.create_task(self._serve(stream, handler), name=f"adb:{service[:40]}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve(self, stream: AdbStream, handler: StreamHandler) -> None:
        try:
            await handler(stream)
        except Exception:
            log.exception("service %r failed", stream.service)
        finally:
            await stream.close()

    async def _host_write(self, packet: Packet) -> None:
        stream = self._streams.get(packet.arg1)
        if stream is None or stream.remote_id != packet.arg0:
            log.debug("WRTE for unknown stream %d from %s", packet.arg1, self.peer)
            return
        stream._deliver(packet.payload)
        await self.send(Packet(A_OKAY, stream.local_id, stream.remote_id))

    async def _host_close(self, packet: Packet) -> None:
        stream = self._streams.pop(packet.arg1, None)
        if stream is None:
            return
        stream._host_closed()
        if not stream._sent_close:
            stream._sent_close = True
            await self.send(Packet(A_CLSE, stream.local_id, stream.remote_id))
