"""The safety policy of the settings, for acts and runs started from Python or MCP."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mobile_agent.config import Settings
    from mobile_agent.safety import Policy


def policy_for(settings: Settings, task: str = "", allow: Iterable[str] = ()) -> Policy:
    """The settings' allowed kinds (plus `allow`) and app lists; the apps `task` names are
    its scope, as `mobile-agent run` does without options."""
    from mobile_agent.safety import Policy

    return Policy(
        allow=frozenset([*settings.allow, *allow]),
        allow_apps=frozenset(settings.allow_apps),
        deny_apps=frozenset(settings.deny_apps),
        task=task,
    )
