"""The phone's adbd: an asyncio TCP server that speaks the device side of ADB."""

from __future__ import annotations

import asyncio
import logging
import socket

from virtual_phone.adb.protocol import banner
from virtual_phone.adb.services import DeviceServices
from virtual_phone.adb.transport import AdbConnection
from virtual_phone.shell import Shell

log = logging.getLogger(__name__)

ACCEPT_SETTLE_ROUNDS = 8


class AdbDaemon:
    """Accepts adb host connections for one phone (several at once are fine)."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.services = DeviceServices(shell)
        self._server: asyncio.Server | None = None
        self._connections: set[AdbConnection] = set()
        self._closing = False

    async def start(self, host: str, port: int) -> int:
        """Listen on host:port (0 = any free port); returns the port."""
        self._server = await asyncio.start_server(self._accept, host, port)
        sockets = self._server.sockets
        return int(sockets[0].getsockname()[1]) if sockets else port

    async def close(self) -> None:
        """Stop listening and drop every connection."""
        self._closing = True
        if self._server is not None:
            self._server.close()
        for conn in list(self._connections):
            await conn.shutdown()
        # Connections accepted just before the close have handler tasks that have not run
        # yet; let them start, see `_closing` and close their sockets.
        for _ in range(ACCEPT_SETTLE_ROUNDS):
            await asyncio.sleep(0)
        if self._server is not None:
            await self._server.wait_closed()

    def _banner(self) -> bytes:
        props = self.shell.phone.getprop()
        return banner(props if isinstance(props, dict) else {})

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._closing:
            writer.close()
            return
        sock = writer.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError as exc:
                log.debug("cannot set TCP_NODELAY: %s", exc)
        conn = AdbConnection(reader, writer, self.services.route, self._banner)
        log.debug("adb host connected from %s", conn.peer)
        self._connections.add(conn)
        try:
            await conn.run()
        finally:
            self._connections.discard(conn)
