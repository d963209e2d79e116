"""Scripted demonstrations on the virtual phone: a task, the model's scripted replies and a
check of the phone's app state that says whether the task was really done."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from mobile_agent.errors import ConfigError

DEMOS = ("notes",)


@dataclass(frozen=True)
class Demo:
    """One demonstration: what to ask, what the scripted model answers, how to verify it."""

    name: str
    task: str
    replies: list[Any]
    check: dict[str, Any]

    def verify(self, app_state: Any) -> bool:
        """True when `app_state(package)` holds an item with the expected fields."""
        state = app_state(self.check["app"])
        wanted = self.check["fields"]
        items = state.get(self.check["collection"], [])
        return any(all(item.get(k) == v for k, v in wanted.items()) for item in items)


def load_demo(name: str = "notes") -> Demo:
    """A demonstration shipped with mobile-agent (see `DEMOS`)."""
    if name not in DEMOS:
        raise ConfigError(f"unknown demo {name!r}; available: {', '.join(DEMOS)}")
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Demo(name=name, task=data["task"], replies=data["replies"], check=data["check"])
