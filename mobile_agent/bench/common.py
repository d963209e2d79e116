"""Pieces every benchmark shares."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Iterator

log = logging.getLogger(__name__)

_ENV = "ANDROID_ADB_SERVER_PORT"


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def private_adb_server() -> Iterator[int]:
    """Point adbutils (and so uiautomator2) at an adb server of our own, never the user's,
    and stop that server afterwards. Works whether or not adbutils is already imported:
    its module-level client is swapped for the duration."""
    import adbutils

    port = free_port()
    saved_env, saved_client = os.environ.get(_ENV), adbutils.adb
    os.environ[_ENV] = str(port)
    adbutils.adb = adbutils.AdbClient(port=port)
    try:
        yield port
    finally:
        try:
            adbutils.adb.server_kill()
        except (adbutils.AdbError, OSError) as exc:
            log.debug("private adb server already gone: %s", exc)
        adbutils.adb = saved_client
        if saved_env is None:
            os.environ.pop(_ENV, None)
        else:
            os.environ[_ENV] = saved_env
