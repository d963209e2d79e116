"""mobile-agent: carry out tasks on an Android phone with a team of language-model agents.

    from mobile_agent import Agent, Device

    result = Agent(device="virtual", model="openai:gpt-4o").run("Create a note titled Groceries")

The public names below are imported on first use, so importing the package stays cheap.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("mobile-agent")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

if TYPE_CHECKING:
    from mobile_agent.actions import ActionCall, ActionResult
    from mobile_agent.api import ActionRefused, Agent, AgentBusy, Approve, Device, PhoneScreen
    from mobile_agent.config import Settings, load_settings
    from mobile_agent.device import DeviceSummary, list_devices
    from mobile_agent.events import (
        ActionChosen,
        ActionExecuted,
        Event,
        FinalState,
        RunFinished,
        RunResult,
        RunStarted,
        StepFinished,
        StepStarted,
    )
    from mobile_agent.llm.base import ChatModel
    from mobile_agent.safety import Concern

_EXPORTS = {
    "mobile_agent.api": ("ActionRefused", "Agent", "AgentBusy", "Approve", "Device", "PhoneScreen"),
    "mobile_agent.actions": ("ActionCall", "ActionResult"),
    "mobile_agent.config": ("Settings", "load_settings"),
    "mobile_agent.device": ("DeviceSummary", "list_devices"),
    "mobile_agent.events": (
        "ActionChosen",
        "ActionExecuted",
        "Event",
        "FinalState",
        "RunFinished",
        "RunResult",
        "RunStarted",
        "StepFinished",
        "StepStarted",
    ),
    "mobile_agent.llm.base": ("ChatModel",),
    "mobile_agent.safety": ("Concern",),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "ActionCall",
    "ActionChosen",
    "ActionExecuted",
    "ActionRefused",
    "ActionResult",
    "Agent",
    "AgentBusy",
    "Approve",
    "ChatModel",
    "Concern",
    "Device",
    "DeviceSummary",
    "Event",
    "FinalState",
    "PhoneScreen",
    "RunFinished",
    "RunResult",
    "RunStarted",
    "Settings",
    "StepFinished",
    "StepStarted",
    "__version__",
    "list_devices",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    """The public names, imported from their modules on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'mobile_agent' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
