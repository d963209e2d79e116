"""Checks of a shortcut against the action registry, before it is stored.

A shortcut is accepted only when it can replay on another phone: every step is an atomic
registry action whose arguments are valid once each `{param}` is filled with a sample value
of its type; elements are named by label (text or description), never by their number on
one screen or (unless allowed) by coordinates; every placeholder is declared and every
declared parameter is used. Problems come back as a list of sentences (empty = fine).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mobile_agent.errors import ParseError
from mobile_agent.memory.models import SAMPLE_VALUES, ShortcutSpec

if TYPE_CHECKING:
    from mobile_agent.actions.registry import Registry

PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")
ELEMENT_NUMBER_KEYS = frozenset({"element"})
COORDINATE_KEYS = frozenset({"x", "y", "x1", "y1", "x2", "y2"})


def shortcut_problems(
    spec: ShortcutSpec, registry: Registry | None = None, *, allow_coordinates: bool = False
) -> list[str]:
    """What keeps `spec` from being stored (empty when it is fine). `registry` holds the
    atomic actions a step may use (by default the built-in ones)."""
    registry = registry or _atomic_actions()
    problems: list[str] = []
    if spec.name in registry:
        problems.append(f"the name {spec.name!r} is already an action")
    names = [p.name for p in spec.params]
    if len(set(names)) != len(names):
        problems.append("parameter names repeat")
    samples = {p.name: SAMPLE_VALUES[p.type] for p in spec.params}
    used: set[str] = set()
    for number, step in enumerate(spec.steps, start=1):
        used.update(placeholders(step.args))
        for problem in _step_problems(step.action, step.args, samples, registry, allow_coordinates):
            problems.append(f"step {number} ({step.action}): {problem}")
    for name in sorted(set(names) - used):
        problems.append(f"parameter {name!r} is declared but no step uses it")
    return problems


def unknown_actions(item: Any, registry: Registry | None = None) -> list[str]:
    """The steps of a raw (unvalidated) shortcut item that name no registry action."""
    registry = registry or _atomic_actions()
    steps = item.get("steps") if isinstance(item, Mapping) else None
    if not isinstance(steps, list):
        return []
    return [
        f"step {number}: {step['action']!r} is not an action"
        for number, step in enumerate(steps, start=1)
        if isinstance(step, Mapping)
        and isinstance(step.get("action"), str)
        and step["action"] not in registry
    ]


def _atomic_actions() -> Registry:
    from mobile_agent.actions import default_registry

    return default_registry()


def _step_problems(
    action: str,
    args: Mapping[str, Any],
    samples: Mapping[str, str],
    registry: Registry,
    allow_coordinates: bool,
) -> list[str]:
    if action not in registry:
        return [f"{action!r} is not an action (actions: {', '.join(registry.names)})"]
    problems = []
    if ELEMENT_NUMBER_KEYS & args.keys():
        problems.append(
            "names an element by its number, which changes from screen to screen; "
            "name it by its label instead"
        )
    if not allow_coordinates and COORDINATE_KEYS & args.keys():
        problems.append(
            "names a point by coordinates, which differ between screen sizes; "
            "name the element by its label instead"
        )
    undeclared = sorted(set(placeholders(args)) - samples.keys())
    if undeclared:
        problems.append(f"uses undeclared parameters: {', '.join(undeclared)}")
        return problems
    try:
        registry.parse_call(action, fill(args, samples))
    except ParseError as exc:
        problems.append(str(exc))
    return problems


def placeholders(value: Any) -> list[str]:
    """The `{name}` placeholders in the strings of `value` (nested lists and objects too)."""
    if isinstance(value, str):
        return PLACEHOLDER.findall(value)
    if isinstance(value, Mapping):
        return [name for item in value.values() for name in placeholders(item)]
    if isinstance(value, list | tuple):
        return [name for item in value for name in placeholders(item)]
    return []


def fill(args: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """`args` with each `{name}` replaced by its value."""
    return {key: _fill(value, values) for key, value in args.items()}


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), value)
    if isinstance(value, Mapping):
        return fill(value, values)
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    return value
