"""Shortcuts: named, parameterised sequences of registry actions.

A shortcut becomes a registry entry of its own, so the operator sees it beside the atomic
actions and chooses it the same way. Running it expands its steps into atomic action calls,
each validated against the current screen and executed through the same registry; the
replay stops at the first step that fails and when the run is stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import Field, create_model

from mobile_agent.actions.builtin import BUILTIN_ACTIONS
from mobile_agent.actions.registry import (
    ActionContext,
    ActionParams,
    ActionResult,
    RegisteredAction,
    Registry,
)
from mobile_agent.errors import ParseError
from mobile_agent.perception.observation import Observation

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


def shortcut_action(shortcut: Shortcut, steps: Registry | None = None) -> RegisteredAction:
    """The registry entry that runs `shortcut`, its steps taken from `steps` (by default the
    built-in atomic actions)."""
    fields: dict[str, Any] = {name: (str, Field(..., max_length=2000)) for name in shortcut.params}
    params = create_model(f"Shortcut_{shortcut.name}", __base__=ActionParams, **fields)
    description = f"Shortcut: {shortcut.description}"
    if shortcut.precondition:
        description += f" Use only when: {shortcut.precondition}"
    registry = steps if steps is not None else Registry(BUILTIN_ACTIONS)

    def run(p: ActionParams, ctx: ActionContext) -> ActionResult:
        return replay(shortcut, p.model_dump(), ctx, registry)

    return RegisteredAction(shortcut.name, description, params, run)


def replay(
    shortcut: Shortcut, values: Mapping[str, str], ctx: ActionContext, registry: Registry
) -> ActionResult:
    """Run the shortcut's steps in order through `registry`, each checked against the screen
    it meets (observed again through `ctx.observe` before every later step); stop at the
    first failure."""
    seen: list[Observation] = []
    done: list[str] = []
    for index, (name, args) in enumerate(expand(shortcut, values), start=1):
        if index > 1 and ctx.observe is not None and not ctx.cancel.is_set():
            seen.append(ctx.observe())
            ctx = ctx.on(seen[-1])
        if ctx.cancel.is_set():  # looked at after the observation too: it can take a while
            stopped = f"stopped after {len(done)} of {len(shortcut.steps)} steps"
            return ActionResult.failure(stopped, tuple(seen))
        result = _run_step(registry, name, args, ctx)
        if not result.ok:
            problem = f"step {index} ({name}) of {shortcut.name!r} failed: {result.error}"
            failed = ActionResult.failure(problem, tuple(seen))
            return replace(failed, blocked=result.blocked)  # held by the gate: the run waits
        done.append(result.summary)
    summary = f"ran shortcut {shortcut.name}: " + "; ".join(done)
    return ActionResult(ok=True, summary=summary, observations=tuple(seen))


def _run_step(
    registry: Registry, name: str, args: dict[str, Any], ctx: ActionContext
) -> ActionResult:
    try:
        call = registry.parse_call(name, args)
    except ParseError as exc:
        return ActionResult.failure(str(exc))
    return registry.execute(call, ctx)


def registry_with_shortcuts(base: Registry, shortcuts: Sequence[Shortcut]) -> Registry:
    """A registry holding `base`'s actions and one entry per shortcut (name clashes skipped)."""
    reg = Registry(base.get(name) for name in base.names)  # type: ignore[misc]
    for shortcut in shortcuts:
        if shortcut.name in reg:
            log.warning("shortcut %r clashes with an action name; skipped", shortcut.name)
            continue
        reg.register(shortcut_action(shortcut, base))
    return reg
