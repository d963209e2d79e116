"""The virtual phone: an Android phone model served over the real ADB protocol.

It speaks adbd (shell, sync, exec, framebuffer, forward), answers the uiautomator2 JSON-RPC
server, renders its screens with a small Android-like UI toolkit and runs a handful of
apps. Any adb client can drive it; it depends on nothing in `mobile_agent`.
"""

from __future__ import annotations

from virtual_phone.errors import StartError, VirtualPhoneError

__all__ = ["StartError", "VirtualPhoneError"]
