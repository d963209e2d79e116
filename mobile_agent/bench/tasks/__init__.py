"""The benchmark's tasks, by suite. Each module of `TASK_MODULES` registers its tasks when
imported (`model.task`); `select` picks them by suite and name pattern."""

from __future__ import annotations

import fnmatch
import importlib
from collections.abc import Sequence

from mobile_agent.bench.tasks.model import REGISTRY, SCENARIOS, Check, End, Spec, Task, World

__all__ = ["SUITES", "Check", "End", "Spec", "Task", "World", "all_tasks", "families", "select"]

TASK_MODULES = (
    "mobile_agent.bench.tasks.notes",
    "mobile_agent.bench.tasks.contacts",
    "mobile_agent.bench.tasks.settings",
    "mobile_agent.bench.tasks.messages",
    "mobile_agent.bench.tasks.calendar",
    "mobile_agent.bench.tasks.clock",
    "mobile_agent.bench.tasks.places",
    "mobile_agent.bench.tasks.shop",
    "mobile_agent.bench.tasks.web",
)

SUITES: dict[str, str] = {
    "all": "every task",
    **{key: f"{title} tasks" for key, title in SCENARIOS.items()},
    "single": "tasks in one app",
    "multi": "tasks across apps",
    "families": "task families that share sub-routines, in order",
    "smoke": "the first task of each scenario (a quick check)",
}


def all_tasks() -> list[Task]:
    """Every registered task, in registration order."""
    for module in TASK_MODULES:
        importlib.import_module(module)
    return list(REGISTRY.values())


def select(suite: str = "all", pattern: str | None = None) -> list[Task]:
    """The tasks of `suite` whose names match `pattern` (globs, comma-separated);
    `ValueError` for an unknown suite or a selection that is empty."""
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite!r}; choose one of {', '.join(SUITES)}")
    tasks = [t for t in all_tasks() if _in_suite(t, suite)]
    if suite == "smoke":
        firsts: dict[str, Task] = {}
        for t in tasks:
            firsts.setdefault(t.scenario, t)
        tasks = list(firsts.values())
    if pattern:
        globs = [p.strip() for p in pattern.split(",") if p.strip()]
        tasks = [t for t in tasks if any(fnmatch.fnmatchcase(t.name, g) for g in globs)]
    if not tasks:
        raise ValueError(f"no task of suite {suite!r} matches {pattern!r}")
    return tasks


def _in_suite(task: Task, suite: str) -> bool:
    if suite in SCENARIOS:
        return task.scenario == suite
    return {
        "single": not task.multi_app,
        "multi": task.multi_app,
        "families": bool(task.family),
    }.get(suite, True)


def families(tasks: Sequence[Task]) -> list[list[Task]]:
    """`tasks` grouped by family, each family in registration order (a task without one is
    a group of its own)."""
    groups: dict[str, list[Task]] = {}
    for t in tasks:
        groups.setdefault(t.family or f"-{t.name}", []).append(t)
    return list(groups.values())
