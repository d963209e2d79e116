"""The action registry: atomic actions and shortcuts, each declared once.

The operator prompt's action list, the reply schema, validation and dispatch all come
from `Registry`; `default_registry()` holds the built-in atomic actions.
"""

from __future__ import annotations

from collections.abc import Sequence

from mobile_agent.actions.builtin import BUILTIN_ACTIONS, find_by_label
from mobile_agent.actions.registry import (
    ActionCall,
    ActionContext,
    ActionParams,
    ActionResult,
    AskUser,
    Gate,
    NoParams,
    Refusal,
    RegisteredAction,
    Registry,
    action,
)
from mobile_agent.actions.shortcuts import (
    Shortcut,
    ShortcutStep,
    expand,
    registry_with_shortcuts,
    replay,
    shortcut_action,
)

__all__ = [
    "BUILTIN_ACTIONS",
    "ActionCall",
    "ActionContext",
    "ActionParams",
    "ActionResult",
    "AskUser",
    "Gate",
    "NoParams",
    "Refusal",
    "RegisteredAction",
    "Registry",
    "Shortcut",
    "ShortcutStep",
    "action",
    "default_registry",
    "expand",
    "find_by_label",
    "registry_with_shortcuts",
    "replay",
    "shortcut_action",
]


def default_registry(shortcuts: Sequence[Shortcut] = ()) -> Registry:
    """A registry of the built-in atomic actions, plus `shortcuts` when given."""
    base = Registry(BUILTIN_ACTIONS)
    return registry_with_shortcuts(base, shortcuts) if shortcuts else base
