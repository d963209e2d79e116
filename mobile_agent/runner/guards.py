"""Limits of a run and the detector of repeated actions on an unchanged screen."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from mobile_agent.perception.elements import UIElement

SYSTEM_UI = "com.android.systemui"  # status and navigation bars: the clock changes there


@dataclass(frozen=True)
class RunLimits:
    """Every bound of one run (most come from `Settings`)."""

    max_steps: int = 30
    max_wall_s: float = 1800.0
    max_cost_usd: float = 2.0  # 0 = no limit
    max_consecutive_failures: int = 4
    escalate_after: int = 2  # failed steps in a row before the manager re-plans
    loop_window: int = 3  # a loop: the same action on an unchanged screen within this many steps
    history_steps: int = 5
    max_elements: int = 120  # elements shown in one prompt
    max_notes_chars: int = 2000
    settle_max_s: float = 3.0

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> RunLimits:
        """Limits from a `Settings` object, with explicit overrides."""
        values = {
            "max_steps": settings.max_steps,
            "max_wall_s": settings.max_wall_s,
            "max_cost_usd": settings.max_cost_usd,
            "max_consecutive_failures": settings.max_consecutive_failures,
            "history_steps": settings.history_steps,
            "settle_max_s": settings.settle_max_s,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def screen_signature(package: str, activity: str, elements: Iterable[UIElement]) -> str:
    """A digest equal for screens that look the same (system bars ignored)."""
    digest = hashlib.sha1(f"{package}|{activity}".encode(), usedforsecurity=False)
    for el in elements:
        if el.package == SYSTEM_UI:
            continue
        row = (
            el.class_name,
            el.text,
            el.description,
            el.resource_id,
            tuple(el.bounds.as_list()),
            el.checked,
            el.selected,
            el.focused,
            el.enabled,
        )
        digest.update(repr(row).encode("utf-8", "replace"))
    return digest.hexdigest()


@dataclass(frozen=True)
class _Done:
    before: str
    key: str
    after: str


class LoopDetector:
    """Notices the same action (swipes and scrolls included) repeated on an unchanged screen.

    `check` before executing: True when the action was already done, without changing the
    screen, `window - 1` times within the last `window` steps — running it again would make
    the third identical attempt.
    """

    def __init__(self, window: int = 3) -> None:
        self.window = max(2, window)
        self._recent: deque[_Done] = deque(maxlen=self.window)

    def record(self, before: str, key: str, after: str) -> None:
        """Remember an executed action and the screen signatures around it."""
        self._recent.append(_Done(before, key, after))

    def record_nothing(self) -> None:
        """A step in which no action ran still counts toward the window."""
        self._recent.append(_Done("", "", ""))

    def check(self, screen: str, key: str) -> bool:
        fruitless = sum(1 for d in self._recent if d.key == key and d.before == screen == d.after)
        return fruitless >= self.window - 1
