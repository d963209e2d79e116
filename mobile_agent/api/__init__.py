"""The Python API: `Agent` carries out tasks on a phone; `Device` observes and acts on one
without a language model. Both are exported from `mobile_agent`."""

from __future__ import annotations

from mobile_agent.api.agent import Agent, AgentBusy
from mobile_agent.api.device import ActionRefused, Approve, Device, PhoneScreen

__all__ = ["ActionRefused", "Agent", "AgentBusy", "Approve", "Device", "PhoneScreen"]
