"""The virtual phone's `/system/bin/sh`: a parser, an interpreter and its commands."""

from __future__ import annotations

from mobile_agent.simulator.shell.interpreter import Session, Shell, ShellIO
from mobile_agent.simulator.shell.state import DeviceState

__all__ = ["DeviceState", "Session", "Shell", "ShellIO"]
