"""Limits of a run and the detector of loops: the same attempt, in the same state, again."""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from mobile_agent.config import Settings
from mobile_agent.perception.observation import DEFAULT_MAX_ELEMENTS


def _setting(name: str) -> Any:
    """The default of a user setting: declared once, in `Settings`."""
    return field(default=Settings.model_fields[name].default)


@dataclass(frozen=True)
class RunLimits:
    """Every bound of one run; the user-facing ones default to the `Settings` defaults."""

    max_steps: int = _setting("max_steps")
    max_wall_s: float = _setting("max_wall_s")
    max_cost_usd: float = _setting("max_cost_usd")  # 0 = no limit
    max_consecutive_failures: int = _setting("max_consecutive_failures")
    history_steps: int = _setting("history_steps")
    settle_max_s: float = _setting("settle_max_s")
    escalate_after: int = 2  # failed steps in a row before the manager re-plans
    loop_window: int = 3  # the attempt that would repeat an earlier one this often is a loop
    max_elements: int = DEFAULT_MAX_ELEMENTS  # elements shown in one prompt
    max_notes_chars: int = 2000

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> RunLimits:
        """Limits from a `Settings` object, with explicit overrides."""
        names = ("max_steps", "max_wall_s", "max_cost_usd", "max_consecutive_failures")
        values = {name: getattr(settings, name) for name in (*names, "history_steps")}
        values["settle_max_s"] = settings.settle_max_s
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Attempt:
    """An executed action and the screen signatures around it."""

    before: str
    key: str
    after: str


class LoopDetector:
    """Notices an agent doing the same thing in the same state and getting the same result.

    An attempt is (screen before, action, screen after). Repeating an action on an unchanged
    screen (a swipe at the end of a list) and cycles of two or three actions (scroll down /
    up, home / back) both show up as the same attempt recurring. `check` before executing:
    True when this action on this screen was already done `window - 1` times, each time with
    the same result, within the recent history (`4 × window` steps). Paging through a long
    list is never flagged: every screen differs.
    """

    def __init__(self, window: int = 3) -> None:
        self.window = max(2, window)
        self._recent: deque[Attempt | None] = deque(maxlen=4 * self.window)

    def record(self, before: str, key: str, after: str) -> None:
        """Remember an executed action and the screen signatures around it."""
        self._recent.append(Attempt(before, key, after))

    def record_nothing(self) -> None:
        """A step in which no action ran still ages the history."""
        self._recent.append(None)

    def check(self, screen: str, key: str) -> bool:
        """Would running `key` on `screen` repeat an attempt `window - 1` times over?"""
        same = [a for a in self._recent if a is not None and (a.before, a.key) == (screen, key)]
        return len(same) >= self.window - 1 and len({a.after for a in same}) == 1

    def seen(self, screen: str) -> bool:
        """Was `screen` met in the recent history (before or after an attempt)?"""
        return any(a is not None and screen in (a.before, a.after) for a in self._recent)
