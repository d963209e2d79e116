"""`sync:`: file transfer (STAT, STA2/LST2, LIST, LIS2, SEND, RECV, QUIT).

Each request is `ID(4) + length u32 + path`; SEND then streams `DATA` chunks and a
`DONE` with the mtime. Replies are little-endian structs as adbd sends them.
"""

from __future__ import annotations

import errno
import logging
import posixpath
import struct
import time

from virtual_phone.adb.transport import AdbStream
from virtual_phone.contract import FileSystemLike
from virtual_phone.shell import Shell
from virtual_phone.shell.streams import SourceReader

log = logging.getLogger(__name__)

MAX_PATH = 1024
MAX_DATA = 64 * 1024
STAT_V1 = struct.Struct("<4sIII")
STAT_V2 = struct.Struct("<4sIQQIIIIQqqq")
DENT_V1 = struct.Struct("<4sIIII")
DENT_V2 = struct.Struct("<4sIQQIIIIQqqqI")
ID_LEN = struct.Struct("<4sI")
S_IFDIR = 0o040000


class _SyncFail(Exception):
    """A request failed; the message is sent to the host in a FAIL reply."""


async def serve_sync(shell: Shell, stream: AdbStream) -> None:
    """Answer sync requests until QUIT or the host closes the stream."""
    reader = SourceReader(stream)
    fs = shell.phone.fs
    while True:
        try:
            ident, length = ID_LEN.unpack(await reader.read_exactly(8))
            if length > MAX_PATH:
                raise _SyncFail(f"path too long: {length}")
            path = (await reader.read_exactly(length)).decode("utf-8", errors="replace")
            if ident == b"QUIT":
                return
            await _dispatch(shell, fs, ident, path, reader, stream)
        except EOFError:
            return
        except _SyncFail as exc:
            message = str(exc).encode()
            await stream.write(ID_LEN.pack(b"FAIL", len(message)) + message)
            return


async def _dispatch(
    shell: Shell,
    fs: FileSystemLike,
    ident: bytes,
    path: str,
    reader: SourceReader,
    stream: AdbStream,
) -> None:
    if ident == b"STAT":
        mode, size, mtime = fs.stat(path) or (0, 0, 0)
        await stream.write(STAT_V1.pack(b"STAT", mode, size & 0xFFFFFFFF, mtime))
    elif ident in (b"STA2", b"LST2"):
        await stream.write(_stat_v2(fs, ident, path))
    elif ident in (b"LIST", b"LIS2"):
        await stream.write(_listing(fs, path, v2=ident == b"LIS2"))
    elif ident == b"SEND":
        await _receive_file(shell, fs, path, reader, stream)
    elif ident == b"RECV":
        await _send_file(shell, fs, path, stream)
    else:
        raise _SyncFail(f"unknown sync request {ident!r}")


def _stat_v2(fs: FileSystemLike, ident: bytes, path: str) -> bytes:
    info = fs.stat(path)
    if info is None:
        return STAT_V2.pack(ident, errno.ENOENT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    mode, size, mtime = info
    return STAT_V2.pack(
        ident,
        0,
        0xFD00,
        _inode(path),
        mode,
        2 if mode & S_IFDIR else 1,
        2000,
        2000,
        size,
        mtime,
        mtime,
        mtime,
    )


def _inode(path: str) -> int:
    return sum(path.encode()) * 31 + len(path)


def _listing(fs: FileSystemLike, path: str, v2: bool) -> bytes:
    info = fs.stat(path)
    names = [".", "..", *sorted(fs.listdir(path))] if info and info[0] & S_IFDIR else []
    out = bytearray()
    for name in names:
        full = (
            path
            if name == "."
            else posixpath.dirname(path)
            if name == ".."
            else posixpath.join(path, name)
        )
        mode, size, mtime = fs.stat(full) or (S_IFDIR | 0o755, 4096, 0)
        encoded = name.encode()
        if v2:
            out += (
                DENT_V2.pack(
                    b"DNT2",
                    0,
                    0xFD00,
                    _inode(full),
                    mode,
                    1,
                    2000,
                    2000,
                    size,
                    mtime,
                    mtime,
                    mtime,
                    len(encoded),
                )
                + encoded
            )
        else:
            out += DENT_V1.pack(b"DENT", mode, size & 0xFFFFFFFF, mtime, len(encoded)) + encoded
    if v2:
        out += DENT_V2.pack(b"DONE", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    else:
        out += DENT_V1.pack(b"DONE", 0, 0, 0, 0)
    return bytes(out)


async def _receive_file(
    shell: Shell, fs: FileSystemLike, spec: str, reader: SourceReader, stream: AdbStream
) -> None:
    path, _, mode_text = spec.rpartition(",")
    if not path:
        path, mode_text = spec, "33188"
    mode = int(mode_text) if mode_text.isdigit() else 0o100644
    data = bytearray()
    while True:
        ident, value = ID_LEN.unpack(await reader.read_exactly(8))
        if ident == b"DATA":
            if value > MAX_DATA:
                raise _SyncFail(f"data chunk of {value} bytes is too large")
            data += await reader.read_exactly(value)
        elif ident == b"DONE":
            mtime = value or int(time.time())
            break
        else:
            raise _SyncFail(f"unexpected {ident!r} during SEND")
    info = fs.stat(path)
    if info is not None and info[0] & S_IFDIR:
        raise _SyncFail(f"couldn't create file: {path}: Is a directory")
    try:
        await shell.run_blocking(fs.write, path, bytes(data), mode, mtime)
    except OSError as exc:
        raise _SyncFail(f"couldn't create file: {exc.strerror or exc}") from None
    log.debug("sync: received %s (%d bytes)", path, len(data))
    await stream.write(ID_LEN.pack(b"OKAY", 0))


async def _send_file(shell: Shell, fs: FileSystemLike, path: str, stream: AdbStream) -> None:
    try:
        data = await shell.run_blocking(fs.read, path)
    except IsADirectoryError:
        raise _SyncFail("open failed: Is a directory") from None
    except OSError:
        raise _SyncFail("open failed: No such file or directory") from None
    out = bytearray()
    for offset in range(0, len(data), MAX_DATA):
        chunk = data[offset : offset + MAX_DATA]
        out += ID_LEN.pack(b"DATA", len(chunk)) + chunk
    out += ID_LEN.pack(b"DONE", 0)
    await stream.write(bytes(out))
