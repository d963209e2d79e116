"""Shortcuts: named, parameterised sequences of registry actions.

A shortcut becomes a registry entry of its own, so the operator sees it beside the atomic
actions and chooses it the same way. Running it expands its steps into atomic action calls,
each validated against the current screen and executed through the same registry; the
replay stops at the first step that fails and when the run is stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field, create_model

from mobile_agent.actions.registry import (
    ActionContext,
    ActionParams,
    ActionResult,
    RegisteredAction,
    Registry,
)
from mobile_agent.errors import ParseError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShortcutStep:
    """One atomic action of a shortcut; string arguments may hold `{param}` placeholders."""

    action: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Shortcut:
    """A reusable sequence of atomic actions with a natural-language precondition."""

    name: str
    description: str
    steps: tuple[ShortcutStep, ...]
    params: tuple[str, ...] = ()
    precondition: str = ""


def expand(shortcut: Shortcut, values: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """The shortcut's steps as (action name, arguments) with placeholders filled in."""
    missing = [p for p in shortcut.params if p not in values]
    if missing:
        raise ParseError(f"shortcut {shortcut.name!r} needs: {', '.join(missing)}")
    return [
        (step.action, {k: _fill(v, values) for k, v in step.args.items()})
        for step in shortcut.steps
    ]


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if not isinstance(value, str):
        return value
    for name, text in values.items():
        value = value.replace("{" + name + "}", text)
    return value


def shortcut_action(shortcut: Shortcut) -> RegisteredAction:
    """The registry entry that runs `shortcut`."""
    fields: dict[str, Any] = {name: (str, Field(..., max_length=2000)) for name in shortcut.params}
    params = create_model(f"Shortcut_{shortcut.name}", __base__=ActionParams, **fields)
    description = f"Shortcut: {shortcut.description}"
    if shortcut.precondition:
        description += f" Use only when: {shortcut.precondition}"

    def run(p: ActionParams, ctx: ActionContext) -> ActionResult:
        return replay(shortcut, p.model_dump(), ctx)

    return RegisteredAction(shortcut.name, description, params, run)


def replay(shortcut: Shortcut, values: Mapping[str, str], ctx: ActionContext) -> ActionResult:
    """Run the shortcut's steps in order, checking each; stop at the first failure."""
    registry = ctx.registry
    if registry is None:
        return ActionResult.failure("shortcuts need the action registry")
    done: list[str] = []
    for index, (name, args) in enumerate(expand(shortcut, values), start=1):
        if ctx.cancel.is_set():
            return ActionResult.failure(f"stopped after {len(done)} of {len(shortcut.steps)} steps")
        if index > 1 and ctx.refresh is not None:
            ctx.elements = ctx.refresh()
        try:
            call = registry.parse_call(name, args)
        except ParseError as exc:
            return ActionResult.failure(f"step {index} of {shortcut.name!r}: {exc}")
        result = registry.execute(call, ctx)
        if not result.ok:
            return ActionResult.failure(
                f"step {index} ({name}) of {shortcut.name!r} failed: {result.error}"
            )
        done.append(result.summary)
    return ActionResult(ok=True, summary=f"ran shortcut {shortcut.name}: " + "; ".join(done))


def registry_with_shortcuts(base: Registry, shortcuts: Sequence[Shortcut]) -> Registry:
    """A registry holding `base`'s actions and one entry per shortcut (name clashes skipped)."""
    reg = Registry(base.get(name) for name in base.names)  # type: ignore[misc]
    for shortcut in shortcuts:
        if shortcut.name in reg:
            log.warning("shortcut %r clashes with an action name; skipped", shortcut.name)
            continue
        reg.register(shortcut_action(shortcut))
    return reg
