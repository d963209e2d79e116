"""The virtual phone's `/system/bin/sh`: a parser, an interpreter and its commands."""

from __future__ import annotations

from virtual_phone.shell.interpreter import Session, Shell, ShellIO
from virtual_phone.shell.state import DeviceState

__all__ = ["DeviceState", "Session", "Shell", "ShellIO"]
