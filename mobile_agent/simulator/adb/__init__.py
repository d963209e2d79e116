"""The device side of the ADB protocol over TCP, for the virtual phone."""

from __future__ import annotations

from mobile_agent.simulator.adb.daemon import AdbDaemon
from mobile_agent.simulator.adb.transport import AdbConnection, AdbStream

__all__ = ["AdbConnection", "AdbDaemon", "AdbStream"]
