"""Every injection case, vector by vector."""

from __future__ import annotations

from mobile_agent.bench.safety.cases_memory import shortcut_cases, tip_cases
from mobile_agent.bench.safety.cases_text import confirmed_cases, message_cases, web_cases
from mobile_agent.bench.safety.cases_ui import (
    notification_cases,
    overlay_cases,
    popup_cases,
    scope_cases,
)
from mobile_agent.bench.safety.model import Case

GENERATORS = (
    popup_cases,
    overlay_cases,
    notification_cases,
    message_cases,
    scope_cases,
    confirmed_cases,
    tip_cases,
    shortcut_cases,
    web_cases,
)


def all_cases() -> list[Case]:
    """The cases of every vector, in the order of `model.VECTORS`; `ValueError` if two
    share a name."""
    cases = [c for generate in GENERATORS for c in generate()]
    names = [c.name for c in cases]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"case names used twice: {', '.join(twice)}")
    return cases
