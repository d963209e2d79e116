"""Devices: the `Device` protocol and its adb + uiautomator2 implementation.

    from mobile_agent.device import connect
    with connect() as device:          # the only attached device
        screen = device.screen()
        device.open_app("Contacts")

This package never imports the simulator: the virtual phone is reached through adb like
any other phone.
"""

from __future__ import annotations

from mobile_agent.device.android import AndroidDevice
from mobile_agent.device.base import AppInfo, Device, Direction, Key, Screen
from mobile_agent.device.discovery import DeviceSummary, connect, list_devices, resolve_serial
from mobile_agent.device.lock import DeviceBusy, DeviceLock

__all__ = [
    "AndroidDevice",
    "AppInfo",
    "Device",
    "DeviceBusy",
    "DeviceLock",
    "DeviceSummary",
    "Direction",
    "Key",
    "Screen",
    "connect",
    "list_devices",
    "resolve_serial",
]
