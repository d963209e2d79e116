"""Maps service names from host `OPEN`s to handlers: shell, exec, sync, framebuffer,
tcp:<port>, reverse:list-forward, root:/unroot:."""

from __future__ import annotations

import functools
import struct
from typing import TYPE_CHECKING

from virtual_phone.adb.shell_service import parse_shell_service, serve_shell
from virtual_phone.adb.sync_service import serve_sync
from virtual_phone.adb.transport import AdbStream, StreamHandler
from virtual_phone.shell import Shell

if TYPE_CHECKING:
    from PIL import Image


class DeviceServices:
    """The device services of one phone; `route()` is the transport's router."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell

    def route(self, service: str) -> StreamHandler | None:
        """The handler for a service name, or None to refuse it."""
        request = parse_shell_service(service)
        if request is not None:
            return functools.partial(serve_shell, self.shell, request)
        if service == "sync:":
            return functools.partial(serve_sync, self.shell)
        if service.startswith("framebuffer:"):
            return self._framebuffer
        if service.startswith("tcp:"):
            return self._tcp(service)
        if service == "reverse:list-forward":
            return self._reply(b"0000")
        if service == "root:":
            return self._reply(b"adbd cannot run as root in production builds\n")
        if service == "unroot:":
            return self._reply(b"adbd not running as root\n")
        return None

    def _tcp(self, service: str) -> StreamHandler | None:
        parts = service.split(":")
        if len(parts) < 2 or not parts[1].isdigit():
            return None
        if len(parts) > 2 and parts[2] not in ("", "localhost", "127.0.0.1"):
            return None
        return self.shell.phone.tcp_handler(int(parts[1]))

    @staticmethod
    def _reply(data: bytes) -> StreamHandler:
        async def handler(stream: AdbStream) -> None:
            await stream.write(data)

        return handler

    async def _framebuffer(self, stream: AdbStream) -> None:
        image = await self.shell.run_blocking(self.shell.phone.screenshot)
        await stream.write(await self.shell.run_blocking(framebuffer_bytes, image))


def framebuffer_bytes(image: Image.Image) -> bytes:
    """The framebuffer service's reply: a version-1 header (RGBA 8888) and the pixels."""
    rgba = image.convert("RGBA")
    pixels = rgba.tobytes()
    header = struct.pack(
        "<13I",
        1,  # version
        32,  # bits per pixel
        len(pixels),
        rgba.width,
        rgba.height,
        0,
        8,  # red offset, length
        16,
        8,  # blue offset, length
        8,
        8,  # green offset, length
        24,
        8,  # alpha offset, length
    )
    return header + pixels
