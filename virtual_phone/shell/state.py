"""Device state that lives beside the phone model: what the shell alone knows about
(apps installed with `pm install`, input methods, the log buffer, process ids, battery)."""

from __future__ import annotations

import threading
import time
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from virtual_phone.contract import PackageInfo

DEFAULT_IME = "com.google.android.inputmethod.latin/com.android.inputmethod.latin.LatinIME"
WLAN_IP = "10.0.2.16"
LOG_CAPACITY = 2000


@dataclass(slots=True)
class LogEntry:
    seq: int
    when: float
    pid: int
    tid: int
    level: str
    tag: str
    message: str


@dataclass(slots=True)
class Battery:
    level: int = 85
    status: int = 2  # charging
    ac_powered: bool = False
    usb_powered: bool = True
    temperature: int = 250
    voltage: int = 4200


@dataclass
class DeviceState:
    """Shell-side state of one virtual phone; thread-safe."""

    installed: dict[str, PackageInfo] = field(default_factory=dict)
    installed_imes: dict[str, str] = field(default_factory=dict)  # ime id -> package
    enabled_imes: set[str] = field(default_factory=lambda: {DEFAULT_IME})
    battery: Battery = field(default_factory=Battery)
    logs: deque[LogEntry] = field(default_factory=lambda: deque(maxlen=LOG_CAPACITY))
    boot_time: float = field(default_factory=time.time)
    selection: tuple[int, int] | None = None  # (ui version, node key) of a select-all
    _pids: dict[str, int] = field(default_factory=dict)
    _next_pid: int = 4100
    _log_seq: int = 0
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _log_listeners: list[Callable[[], None]] = field(default_factory=list)

    def pid(self, name: str) -> int:
        """A stable process id for a process name."""
        with self._lock:
            if name not in self._pids:
                self._next_pid += 7 + zlib.crc32(name.encode()) % 50
                self._pids[name] = self._next_pid
            return self._pids[name]

    def forget_pid(self, name: str) -> None:
        """The process died: its next start gets a new id."""
        with self._lock:
            self._pids.pop(name, None)

    def log(self, tag: str, message: str, level: str = "I", process: str = "system_server") -> None:
        """Append one line to the log buffer (what `logcat` prints)."""
        pid = self.pid(process)
        with self._lock:
            self._log_seq += 1
            self.logs.append(LogEntry(self._log_seq, time.time(), pid, pid, level, tag, message))
            listeners = list(self._log_listeners)
        for listener in listeners:
            listener()

    def add_log_listener(self, listener: Callable[[], None]) -> None:
        """Call `listener` (from any thread) after each new log line."""
        with self._lock:
            self._log_listeners.append(listener)

    def remove_log_listener(self, listener: Callable[[], None]) -> None:
        with self._lock:
            if listener in self._log_listeners:
                self._log_listeners.remove(listener)

    def log_snapshot(self) -> list[LogEntry]:
        with self._lock:
            return list(self.logs)

    def clear_logs(self) -> None:
        with self._lock:
            self.logs.clear()

    def all_imes(self) -> list[str]:
        with self._lock:
            return [DEFAULT_IME, *self.installed_imes]

    def install(self, info: PackageInfo, imes: list[str]) -> None:
        with self._lock:
            self.installed[info.package] = info
            for ime in imes:
                self.installed_imes[ime] = info.package

    def uninstall(self, package: str) -> bool:
        with self._lock:
            if self.installed.pop(package, None) is None:
                return False
            for ime, owner in list(self.installed_imes.items()):
                if owner == package:
                    del self.installed_imes[ime]
                    self.enabled_imes.discard(ime)
            return True
