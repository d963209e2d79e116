"""Low-level access to one device: the adb client, the Nagle fix, raw shell calls.

Everything here talks to the adb server on the host (``ANDROID_ADB_SERVER_HOST`` /
``ANDROID_ADB_SERVER_PORT``, read at call time, not at import time); `use_adb_server` points
the whole process at another one, e.g. the adb server of another host or of a device farm.
Every socket we open to it has a time limit: an adb port that accepts connections and never
answers ends in an error, not a hang. When no adb server runs, `ensure_adb_server` starts
one with adb's own messages captured (adbutils would start it too, but let adb print to our
terminal).
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import threading
from collections.abc import Callable
from typing import Any

import adbutils

from mobile_agent.config import parse_adb_address
from mobile_agent.errors import AdbServerError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 20.0
SERVER_TIMEOUT_S = 10.0  # default limit of one request to the adb server
_READ_CHUNK = 1 << 16
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


_HOST_ENV = "ANDROID_ADB_SERVER_HOST"
_PORT_ENV = "ANDROID_ADB_SERVER_PORT"
_chosen: dict[str, str] = {}  # "address" once `use_adb_server` chose a server


def use_adb_server(address: str) -> None:
    """Send every adb request of this process to the adb server at `address` (HOST:PORT).

    Such a server is never started by us: when nothing answers there, the first request
    fails with `AdbServerError` ("no adb server at HOST:PORT: …"). adbutils' module-level
    client (which uiautomator2 falls back on) is pointed there too.
    """
    host, port = parse_adb_address(address)
    os.environ[_HOST_ENV] = host
    os.environ[_PORT_ENV] = str(port)
    adbutils.adb = adbutils.AdbClient(host=host, port=port)
    _chosen["address"] = f"{host}:{port}"
    log.info("using the adb server at %s:%d", host, port)


def adb_client(socket_timeout: float = SERVER_TIMEOUT_S) -> adbutils.AdbClient:
    """A client of the adb server this process is configured for, with a socket time limit."""
    return adbutils.AdbClient(socket_timeout=socket_timeout)


def server_listening(client: adbutils.AdbClient, timeout_s: float = 1.0) -> bool:
    """Whether something accepts connections on the adb server's address."""
    return _unreachable(client, timeout_s) is None


def _unreachable(client: adbutils.AdbClient, timeout_s: float) -> str | None:
    """Why nothing accepts connections on the adb server's address (None: something does)."""
    try:
        socket.create_connection((client.host, client.port), timeout=timeout_s).close()
    except TimeoutError:
        return "no answer (timed out)"
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()
    return None


def ensure_adb_server(client: adbutils.AdbClient, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
    """Start a local adb server on the client's port when none listens there.

    adb's "daemon not running; starting now" lines are logged at debug level instead of
    reaching the terminal. Raises `AdbServerError` when adb is missing or cannot start one,
    and, without starting anything, when the server is on another host or was chosen with
    `use_adb_server` and nothing answers there.
    """
    why = _unreachable(client, 1.0 if client.host in _LOCAL_HOSTS else min(timeout_s, 5.0))
    if why is None:
        return
    if client.host not in _LOCAL_HOSTS or "address" in _chosen:
        raise AdbServerError(
            f"no adb server at {client.host}:{client.port}: {why}. Check the address, that "
            "the adb server there runs and accepts other hosts (`adb -a nodaemon server` or "
            "`adb -a start-server` on that host), and that no firewall is in between."
        )
    env = {**os.environ, "ANDROID_ADB_SERVER_PORT": str(client.port)}
    try:
        from adbutils._utils import adb_path

        done = subprocess.run(
            [adb_path(), "start-server"],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env=env,
            check=False,
        )
    except (adbutils.AdbError, OSError, subprocess.SubprocessError) as exc:
        raise AdbServerError(
            f"Cannot start an adb server on port {client.port} ({exc}). "
            "Check that adb works (`adb start-server`)."
        ) from exc
    output = " ".join((done.stdout + done.stderr).split())
    log.debug("adb start-server on port %d: %s", client.port, output)
    if done.returncode != 0:
        raise AdbServerError(
            f"adb could not start its server on port {client.port}: {output or 'no output'}. "
            "Check that adb works (`adb start-server`) and that ANDROID_ADB_SERVER_PORT is right."
        )


def adb_disconnect(serial: str, timeout_s: float = 3.0) -> None:
    """`adb disconnect SERIAL`, quietly: nothing happens when no adb server is running."""
    client = adb_client(socket_timeout=timeout_s)
    if not server_listening(client):
        return
    try:
        client.disconnect(serial)
    except (adbutils.AdbError, OSError) as exc:
        log.debug("adb disconnect %s failed: %s", serial, exc)


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


def refuse_like_tcp(device: adbutils.AdbDevice) -> None:
    """Make a device port that refuses a stream fail as a refused TCP connect does.

    adbutils reports the refusal as an `AdbError`, which uiautomator2 answers with a restart
    of its server of its own: unbounded by our time limits (up to 40 s) and unseen by us. As
    a `ConnectionRefusedError` it reaches `AndroidDevice`, which restarts the server within
    its own limit and knows that the request never left. Like `enable_tcp_nodelay`, this
    wraps the one device object's ``create_connection``.
    """
    original: Callable[..., socket.socket] = device.create_connection

    def create_connection(network: Any, address: int | str) -> socket.socket:
        try:
            return original(network, address)
        except adbutils.AdbTimeout:
            raise
        except adbutils.AdbError as exc:
            raise ConnectionRefusedError(f"device port {address}: {exc}") from exc

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
    client = adb_client(socket_timeout=5)
    if not server_listening(client):
        return "no-server"
    try:
        for info in client.list():
            if info.serial == serial:
                return str(info.state)
    except (adbutils.AdbError, OSError) as exc:
        log.debug("adb server unreachable while checking %s: %s", serial, exc)
        return "no-server"
    return "absent"
