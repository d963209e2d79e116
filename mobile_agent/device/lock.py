"""One run per device: a lock file per serial, held with `fcntl.flock`.

    with DeviceLock(serial, directory).acquire():   # DeviceBusy if another run holds it
        ...drive the phone...

The kernel releases a `flock` when the holding process ends, however it ends, so a killed
run never leaves a stale lock. The file names its holder (process id, command line, start
time) so that a refused run can say who has the phone. Lock files stay in place when
released (emptied): removing them would let a waiting process and a new one lock two
different files for the same phone.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from mobile_agent.errors import DeviceError

log = logging.getLogger(__name__)


class DeviceBusy(DeviceError):
    """Another run holds the device."""


class DeviceLock:
    """The lock of one device serial, in a file under `directory`."""

    def __init__(self, serial: str, directory: Path) -> None:
        self.serial = serial
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", serial)[:60]
        digest = hashlib.sha256(serial.encode("utf-8", "surrogateescape")).hexdigest()[:10]
        self.path = directory / f"{safe}-{digest}.lock"
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(
        self, *, wait: bool = False, on_wait: Callable[[str], None] | None = None
    ) -> DeviceLock:
        """Take the lock; `DeviceBusy` when another process holds it, unless `wait`.

        With `wait`, `on_wait(holder)` is called once before blocking until the lock is free.
        """
        if self._fd is not None:
            return self
        fd = self._open()
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self.holder()
                if not wait:
                    message = f"{self.serial} is in use by another run ({holder})."
                    raise DeviceBusy(message) from None
                if on_wait is not None:
                    on_wait(holder)
                fcntl.flock(fd, fcntl.LOCK_EX)
            self._write_holder(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        log.debug("locked %s (%s)", self.serial, self.path)
        return self

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        except OSError as exc:
            log.debug("could not empty %s: %s", self.path, exc)
        finally:
            os.close(fd)  # closing the last descriptor releases the flock

    def holder(self) -> str:
        """Who holds (or last held) the lock, as the lock file tells it."""
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            info = {}
        if not isinstance(info, dict) or "pid" not in info:
            return "a process that has not written its name yet"
        since = time.strftime("%H:%M:%S", time.localtime(float(info.get("since", 0))))
        return f"process {info['pid']}, `{info.get('command', '?')}`, since {since}"

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise DeviceError(
                f"cannot create the lock file {self.path} ({exc.strerror or exc}); "
                "the data directory must be writable (set MOBILE_AGENT_HOME to move it)"
            ) from None

    def _write_holder(self, fd: int) -> None:
        words = [arg for arg in sys.argv[1:] if not arg.startswith("-")][:2]  # no option values:
        command = " ".join(["mobile-agent", *map(_short, words)])  # they may hold credentials
        info = {"pid": os.getpid(), "command": command, "since": time.time()}
        data = json.dumps(info, ensure_ascii=False).encode("utf-8", "replace")
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)
        except OSError as exc:  # the name is a courtesy; the flock is what counts
            log.debug("could not name the holder in %s: %s", self.path, exc)

    def __enter__(self) -> DeviceLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _short(arg: str, limit: int = 40) -> str:
    arg = arg.encode("utf-8", "replace").decode("utf-8")
    arg = arg if len(arg) <= limit else arg[: limit - 1] + "…"
    return repr(arg) if not arg or " " in arg else arg
