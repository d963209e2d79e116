"""The device side of the ADB protocol over TCP, for the virtual phone."""

from __future__ import annotations

from virtual_phone.adb.daemon import AdbDaemon
from virtual_phone.adb.transport import AdbConnection, AdbStream

__all__ = ["AdbConnection", "AdbDaemon", "AdbStream"]
