"""The virtual phone's own exceptions (it depends on nothing in `mobile_agent`).

VirtualPhoneError           anything the virtual phone raises on purpose
├── StartError              the server could not start or bind its port
└── RpcError (u2.faults)    a uiautomator2 JSON-RPC call answered with an error
"""

from __future__ import annotations


class VirtualPhoneError(Exception):
    """Base of the virtual phone's errors."""


class StartError(VirtualPhoneError):
    """The virtual phone could not start serving."""
