"""Low-level access to one device: the adb client, the Nagle fix, raw shell calls.

Everything here talks to the adb server on the host (``ANDROID_ADB_SERVER_HOST`` /
``ANDROID_ADB_SERVER_PORT``, read at call time, not at import time).
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from typing import Any

import adbutils

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 20.0
_READ_CHUNK = 1 << 16


def adb_client(socket_timeout: float | None = None) -> adbutils.AdbClient:
    """A client of the adb server this process is configured for."""
    return adbutils.AdbClient(socket_timeout=socket_timeout)


class CallTimeout(threading.local):
    """The time limit of the device call running on the current thread."""

    def __init__(self, default_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.seconds = default_s


def enable_tcp_nodelay(device: adbutils.AdbDevice, timeout: CallTimeout) -> None:
    """Make the sockets that uiautomator2 opens through ``device`` send without delay.

    uiautomator2 sends each JSON-RPC over ``http.client``, which writes the request headers
    and the body in two ``send()`` calls on a socket from adbutils' ``create_connection``.
    adbutils does not set ``TCP_NODELAY``, so Nagle's algorithm holds the body back until
    the adb server's delayed ACK arrives: about 40 ms added to every RPC. We wrap this one
    device object's ``create_connection`` (an instance attribute; both libraries stay
    untouched) to set ``TCP_NODELAY`` and the current call's socket timeout (the socket
    would otherwise wait up to adbutils' 600 s default).
    """
    original: Callable[..., socket.socket] = device.create_connection

    def create_connection(network: Any, address: int | str) -> socket.socket:
        sock = original(network, address)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(timeout.seconds)
        return sock

    device.create_connection = create_connection  # type: ignore[method-assign]


def run_service(device: adbutils.AdbDevice, service: str, timeout_s: float) -> bytes:
    """Open a device service (``shell:…``, ``exec:…``) and return all it writes, as bytes.

    Unlike ``AdbDevice.shell`` this reads in large chunks into one buffer (adbutils
    concatenates 4 KiB chunks, quadratic for a multi-megabyte screenshot) and closes the
    socket at once (adbutils sleeps 10 ms in ``AdbConnection.close``): the service has
    already ended when its output ends.
    """
    conn = device.open_transport(timeout=timeout_s)
    sock = conn.conn
    try:
        conn.send_command(service)
        conn.check_okay()
        sock.settimeout(timeout_s)
        buffer = bytearray()
        while chunk := sock.recv(_READ_CHUNK):
            buffer += chunk
        return bytes(buffer)
    finally:
        sock.close()


def shell(device: adbutils.AdbDevice, command: str, timeout_s: float) -> str:
    """Output of a shell command (stdout and stderr merged), decoded as UTF-8."""
    return run_service(device, "shell:" + command, timeout_s).decode("utf-8", errors="replace")


def exec_out(device: adbutils.AdbDevice, command: str, timeout_s: float) -> bytes:
    """Binary-safe output of a command (``adb exec-out``: no pty, no newline translation)."""
    return run_service(device, "exec:" + command, timeout_s)


def device_state(serial: str) -> str:
    """State of ``serial`` in ``adb devices`` ("device", "offline", …), "absent" when not
    listed, "no-server" when the adb server cannot be reached."""
    try:
        for info in adb_client(socket_timeout=5).list():
            if info.serial == serial:
                return str(info.state)
    except (adbutils.AdbError, OSError) as exc:
        log.debug("adb server unreachable while checking %s: %s", serial, exc)
        return "no-server"
    return "absent"
