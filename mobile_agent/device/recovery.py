"""Restarting a device's uiautomator2 server after it stopped, within a time limit.

The server is an ordinary process on the phone: it dies when the phone kills it for memory,
when another tool takes over UiAutomation, or when someone runs `am force-stop`. The adb
link stays up, so the phone is still there: `AndroidDevice` restarts the server once and
retries the call. A server that cannot come back within `RECOVER_TIMEOUT_S` ends the call
with `ServerRestartFailed`, which the device reports as the phone being lost.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from http.client import HTTPException
from typing import Any

import adbutils
from uiautomator2 import exceptions as u2_errors

from mobile_agent.errors import DeviceError

log = logging.getLogger(__name__)

RECOVER_TIMEOUT_S = 15.0
"""The longest one restart of the uiautomator2 server may take."""

# How a call to a server that is not there fails: the device port refuses the stream
# (`transport.refuse_like_tcp`), the connection drops before a reply, the reply is cut, or
# the server says its UiAutomation link is dead (or uiautomator2's own restart of it failed).
# Timeouts are not among them: a server that is slow is not gone.
SERVER_GONE: tuple[type[BaseException], ...] = (
    ConnectionError,
    HTTPException,
    EOFError,
    u2_errors.HTTPError,
    u2_errors.UiAutomationNotConnectedError,
    u2_errors.LaunchUiAutomationError,
    u2_errors.AccessibilityServiceAlreadyRegisteredError,
)
_RESTART_ERRORS = (
    adbutils.AdbError,
    OSError,
    EOFError,
    HTTPException,
    u2_errors.DeviceError,
    u2_errors.RPCError,
)
_REASON_LIMIT = 300


class ServerStopped(DeviceError):
    """A call found the uiautomator2 server gone (internal to the device layer)."""

    def __init__(self, what: str, cause: BaseException, generation: int) -> None:
        super().__init__(f"the uiautomator2 server stopped during {what}: {describe(cause)}")
        self.what = what
        self.generation = generation
        self.unsent = isinstance(cause, ConnectionRefusedError)
        """True when the request never reached a server, so retrying it cannot repeat it."""


class ServerRestartFailed(DeviceError):
    """The uiautomator2 server could not be restarted (`reason` says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def describe(exc: BaseException) -> str:
    """An exception's message in one short line (uiautomator2 errors carry several args)."""
    parts = [arg for arg in exc.args if isinstance(arg, str) and arg.strip()]
    text = " ".join(" ".join(parts or [str(exc) or type(exc).__name__]).split())
    return text if len(text) <= _REASON_LIMIT else text[:_REASON_LIMIT] + "…"


class ServerKeeper:
    """Restarts one device's uiautomator2 server, once however many calls saw it stop.

    `generation` counts the restarts tried; a call remembers it before it starts, so that
    when several calls fail on the same stop (or during its restart), only the first one
    restarts the server: the others retry on the new one, or fail as it did, without waiting
    out another restart.
    """

    def __init__(self, u2_device: Any, serial: str, timeout_s: float = RECOVER_TIMEOUT_S) -> None:
        self.u2 = u2_device
        self.serial = serial
        self.timeout_s = timeout_s
        self.generation = 0
        self._failure = ""  # why the latest restart failed ("" when it worked)
        self._lock = threading.Lock()

    def restart(self, stopped: ServerStopped) -> None:
        """Bring the server back after `stopped`; `ServerRestartFailed` when it cannot be
        within `timeout_s` (the restart, left behind, ends within uiautomator2's own limits)."""
        with self._lock:
            if self.generation != stopped.generation:  # another call has tried since
                if self._failure:
                    raise ServerRestartFailed(self._failure)
                return
            log.warning("%s: %s; restarting it", self.serial, stopped)
            started = time.monotonic()
            try:
                self._relaunch_within_limit()
            except ServerRestartFailed as failed:
                self._failure = failed.reason
                raise
            else:
                self._failure = ""
            finally:  # calls that failed meanwhile take this outcome as theirs
                self.generation += 1
            took = time.monotonic() - started
            log.info("%s: uiautomator2 server restarted in %.1f s", self.serial, took)

    def _relaunch_within_limit(self) -> None:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"u2-restart-{self.serial}")
        try:
            pool.submit(self._relaunch).result(timeout=self.timeout_s)
        except FutureTimeout as exc:
            raise ServerRestartFailed(f"it did not come back within {self.timeout_s:g} s") from exc
        except _RESTART_ERRORS as exc:
            raise ServerRestartFailed(f"it could not be restarted: {describe(exc)}") from exc
        finally:
            pool.shutdown(wait=False)

    def _relaunch(self) -> None:
        self.u2.stop_uiautomator()  # ends the process it started, if any, and waits for quiet
        self.u2.start_uiautomator()  # pushes the server if needed, starts it, waits for a ping
