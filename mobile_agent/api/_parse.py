"""Actions given from Python or an MCP client, made into the registry's `ActionCall`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mobile_agent.actions import ActionCall, Registry
from mobile_agent.errors import ParseError

_ARGUMENT_KEYS = ("arguments", "args")


def parse_action(
    registry: Registry, action: ActionCall | Mapping[str, Any] | str, extra: Mapping[str, Any]
) -> ActionCall:
    """`action` as a validated call: an `ActionCall`, a name (arguments in `extra`), or a
    mapping `{"name": ..., "arguments": {...}}` ("args" also works). `ParseError` says what
    is wrong."""
    if isinstance(action, ActionCall):
        if extra:
            raise ParseError("give the arguments inside the ActionCall, not beside it")
        return registry.parse_call(action.name, action.args())
    if isinstance(action, str):
        return registry.parse_call(action_name(action), dict(extra))
    if not isinstance(action, Mapping):
        raise ParseError(
            f"an action is a name, a mapping or an ActionCall, not {type(action).__name__}"
        )
    unknown = set(action) - {"name", *_ARGUMENT_KEYS}
    if unknown:
        raise ParseError(f"unknown keys in the action: {', '.join(sorted(unknown))}")
    given = [action[key] for key in _ARGUMENT_KEYS if key in action]
    if len(given) > 1:
        raise ParseError('give the arguments once, as "arguments"')
    args = given[0] if given else {}
    if not isinstance(args, Mapping):
        raise ParseError(f"the arguments must be a mapping, not {type(args).__name__}")
    return registry.parse_call(action_name(action.get("name")), {**args, **extra})


def action_name(name: Any) -> str:
    """A registry name from `Tap`, `OpenApp`, `open_app` or `open-app`."""
    if not isinstance(name, str) or not name.strip():
        raise ParseError(f"the action needs a name, got {name!r}")
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return snake.replace("-", "_").replace(" ", "_").lower()
