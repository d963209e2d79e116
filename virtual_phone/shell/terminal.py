"""Line input for an interactive shell on a pseudo-terminal: echo, backspace, Ctrl-C/D."""

from __future__ import annotations

from virtual_phone.shell.streams import Sink, Source

BACKSPACES = (0x08, 0x7F)
CTRL_C = 0x03
CTRL_D = 0x04


class LineEditor:
    """Reads lines typed on a terminal in raw mode, echoing them back as a tty would."""

    def __init__(self, source: Source, echo: Sink) -> None:
        self._source = source
        self._echo = echo
        self._pending = bytearray()

    async def read_line(self) -> bytes | None:
        """The next line (without its terminator); None at end of input or Ctrl-D."""
        line = bytearray()
        while True:
            if not self._pending:
                chunk = await self._source.read()
                if not chunk:
                    return None
                self._pending += chunk
            byte = self._pending.pop(0)
            if byte in (0x0D, 0x0A):
                await self._echo.write(b"\n")
                return bytes(line)
            if byte == CTRL_D and not line:
                await self._echo.write(b"\n")
                return None
            if byte == CTRL_C:
                await self._echo.write(b"^C\n")
                return b""
            if byte in BACKSPACES:
                if line:
                    _drop_last_char(line)
                    await self._echo.write(b"\b \b")
                continue
            line.append(byte)
            await self._echo.write(bytes([byte]))


def _drop_last_char(line: bytearray) -> None:
    """Removes the last UTF-8 character (continuation bytes included)."""
    while line:
        byte = line.pop()
        if byte & 0xC0 != 0x80:
            return
