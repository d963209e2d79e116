"""Support for the end-to-end run tests: the product's device for a virtual phone served
over adb, and (re-exported from `scripted_agents`) the scripted agents and event recorder.

(This module holds no tests; its name keeps it beside the tests it serves.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from scripted_agents import (
    KEEP_NOTES,
    ElementScript,
    Recorder,
    about,
    agent_sequence,
    element_number,
    manager,
    notetaker,
    operator,
    reflector,
    tap_el,
    type_el,
    with_notes,
)

from mobile_agent.bench.prompts import EVERY_AGENT

__all__ = [
    "EVERY_AGENT",
    "KEEP_NOTES",
    "ElementScript",
    "Recorder",
    "about",
    "agent_sequence",
    "connected_device",
    "element_number",
    "manager",
    "notetaker",
    "operator",
    "reflector",
    "tap_el",
    "type_el",
    "with_notes",
]


@contextmanager
def connected_device(server: Any) -> Iterator[Any]:
    """The product's device object for a virtual phone the adb server is connected to."""
    from mobile_agent.device import connect

    device = connect(server.serial)
    try:
        yield device
    finally:
        device.close()
