"""Items held as `suspect`: why, and how that is found.

A tip or a shortcut is held when what it was learned from, or its own text, carries text that
tries to instruct an agent or fake the user's consent (`safety.injection.find_injection`):
any stored screen of its run (the texts, descriptions and hints of the elements), a tip's
text, a shortcut's description, precondition, argument descriptions and step arguments. A
suspect item is never retrieved; a person's approval makes it usable. Why it was held stays
in the `suspects` table, approved or not, and goes when the item is deleted.

    reason = run_reason(store, run_id) or tip_reason(text)   # "" when nothing is wrong
    store.tips.add(text, suspect_reason=reason)              # held when reason is not ""
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from mobile_agent.memory.models import ShortcutSpec, now_iso

if TYPE_CHECKING:
    from mobile_agent.memory.store import Store

TIP, SHORTCUT = "tip", "shortcut"
MAX_REASON = 500
_QUOTED = 80  # characters of the phrase found quoted in a reason


def hold(store: Store, kind: str, item_id: int, reason: str) -> None:
    """Keep why the item (`TIP` or `SHORTCUT`, by id) is held, replacing an earlier reason."""
    with store.write() as db:
        db.execute(
            "INSERT OR REPLACE INTO suspects (kind, item_id, reason, held_at) VALUES (?, ?, ?, ?)",
            [kind, item_id, reason[:MAX_REASON], now_iso()],
        )


def held_reason(store: Store, kind: str, item_id: int) -> str:
    """Why the item was held as suspect ("" when it never was)."""
    rows = store.query(
        "SELECT reason FROM suspects WHERE kind = ? AND item_id = ?", [kind, item_id]
    )
    return str(rows[0]["reason"]) if rows else ""


def run_reason(store: Store, run_id: str) -> str:
    """Why what run `run_id` taught is suspect: the first injection on its stored screens,
    in words ("" when there is none)."""
    seen: set[str] = set()
    for screen in store.runs.screens(run_id):
        for element in screen["elements"]:
            for text in _element_texts(element):
                if text in seen:
                    continue
                seen.add(text)
                found = _injection(text)
                if found:
                    return f"the screen of step {screen['step']} of run {run_id} said {found}"
    return ""


def tip_reason(text: str) -> str:
    """Why a tip with this text is suspect ("" when it is not)."""
    found = _injection(text)
    return f"its text says {found}" if found else ""


def shortcut_reason(spec: ShortcutSpec) -> str:
    """Why this shortcut is suspect: the first of its texts that carries an injection ("" when
    none does)."""
    for where, text in _shortcut_texts(spec):
        found = _injection(text)
        if found:
            return f"its {where} says {found}"
    return ""


def _injection(text: str) -> str:
    """The phrase of an injection in `text`, quoted ("" when there is none)."""
    # imported here: the safety package brings in the actions, which the store itself does
    # not need
    from mobile_agent.safety.injection import find_injection

    found = find_injection(text)
    return f'"{found[:_QUOTED]}"' if found else ""


def _element_texts(element: Any) -> Iterator[str]:
    if not isinstance(element, dict):
        return
    hint = (element.get("extras") or {}).get("hint")
    for value in (element.get("text"), element.get("description"), hint):
        if isinstance(value, str) and value.strip():
            yield value


def _shortcut_texts(spec: ShortcutSpec) -> Iterator[tuple[str, str]]:
    yield "description", spec.description
    yield "precondition", spec.precondition
    if spec.guard is not None:
        yield "guard", spec.guard.describe()
    for param in spec.params:
        yield f"argument {param.name}", param.description
    for number, step in enumerate(spec.steps, start=1):
        for text in _strings(step.args):
            yield f"step {number}", text


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
