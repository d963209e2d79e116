"""The language-model layer: one `ChatModel` protocol and its backends.

``make_chat_model("openai:gpt-4o")`` builds a backend from a "provider:model" spec and
``models_for_roles(settings)`` the model of every agent; the backends themselves (and their
SDKs) are imported only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mobile_agent.llm.base import ChatModel, Completion, Image, Message, Role, Usage

if TYPE_CHECKING:
    from mobile_agent.llm.endpoints import check_base_url
    from mobile_agent.llm.factory import describe_providers, make_chat_model, models_for_roles
    from mobile_agent.llm.retry import RetryPolicy
    from mobile_agent.llm.scripted import ScriptedChatModel

__all__ = [
    "ChatModel",
    "Completion",
    "Image",
    "Message",
    "RetryPolicy",
    "Role",
    "ScriptedChatModel",
    "Usage",
    "check_base_url",
    "describe_providers",
    "make_chat_model",
    "models_for_roles",
]

_LAZY = {
    "make_chat_model": "mobile_agent.llm.factory",
    "describe_providers": "mobile_agent.llm.factory",
    "models_for_roles": "mobile_agent.llm.factory",
    "check_base_url": "mobile_agent.llm.endpoints",
    "RetryPolicy": "mobile_agent.llm.retry",
    "ScriptedChatModel": "mobile_agent.llm.scripted",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
