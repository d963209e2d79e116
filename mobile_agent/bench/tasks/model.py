"""The shape of a benchmark task: drawn from a seeded phone, judged from the phone's state.

    @task("notes.create", "research", apps=(NOTES,), family="notes")
    def create_note(world: World) -> Spec:
        title = world.rng.choice(TITLES)
        return Spec(
            goal=f"Create a note titled {title}",
            checks=(Check("a note titled " + title, lambda end: has_note(end, title)),),
            solution=(open_app("Notes"), tap("New note"), type_text(title, "Title"), tap("Save")),
            params={"title": title},
        )

`make(world)` draws the task's parameters from `world.rng` and the seeded apps' data
(`world.data(package)`), and may change that data first (`world.change`: the setup). The
checks read only the phone's state after the run (`End`), never what the agent said; the
task succeeds when every check passes, and its satisfaction is the weighted share of checks
that pass (the rubric). The solution is a list of label-based actions of the action
registry, replayed without a model: it proves the task solvable and its checks right.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

SCENARIOS: dict[str, str] = {
    "restaurant": "Restaurant recommendation",
    "research": "Information research",
    "shopping": "Online shopping",
    "trending": "What's trending",
    "travel": "Travel planning",
}
NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

Step = tuple[str, dict[str, Any]]  # (action name, arguments), as the registry runs it


class PhoneData(Protocol):
    """What a task reads and changes of a phone (`virtual_phone.phone.Phone` is one)."""

    def state(self) -> dict[str, Any]: ...

    def load_state(self, data: dict[str, Any]) -> None: ...


class End:
    """The phone's data after a run: what checks read."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def app(self, package: str) -> dict[str, Any]:
        """One app's data (an empty dict when the app is not installed)."""
        return dict(self._data.get("apps", {}).get(package, {}))

    def setting(self, namespace: str, key: str) -> str | None:
        """A system setting (`settings get NAMESPACE KEY`), or None."""
        value = self._data.get("settings", {}).get(namespace, {}).get(key)
        return None if value is None else str(value)


@dataclass(frozen=True)
class Check:
    """A rubric checkpoint: what it asks, and its test of the phone's state after the run."""

    what: str
    test: Callable[[End], bool]
    weight: float = 1.0


@dataclass(frozen=True)
class Spec:
    """One drawn instance of a task."""

    goal: str  # what the agent is told
    checks: tuple[Check, ...]
    solution: tuple[Step, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    max_steps: int = 0  # 0: three times the solution's length, at least 15

    def __post_init__(self) -> None:
        if not self.goal.strip():
            raise ValueError("a task needs a goal")
        if not self.checks:
            raise ValueError("a task needs at least one check")
        if not self.solution:
            raise ValueError("a task needs a reference solution")

    @property
    def step_limit(self) -> int:
        """The most actions an agent gets for this task."""
        return self.max_steps or max(15, 3 * len(self.solution))


class World:
    """The seeded phone a task is drawn from, before the run starts."""

    def __init__(self, phone: PhoneData, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self.seed = seed
        self._phone = phone
        self._data = phone.state()

    def data(self, package: str) -> dict[str, Any]:
        """A copy of one app's data as the task starts."""
        return copy.deepcopy(self._data["apps"][package])

    def change(self, package: str, edit: Callable[[dict[str, Any]], None]) -> None:
        """Set the task up: `edit` changes one app's data in place, on the phone at once."""
        edit(self._data["apps"][package])
        self._phone.load_state(copy.deepcopy(self._data))

    def set_setting(self, namespace: str, key: str, value: str) -> None:
        """Set the task up: a system setting's value before the run."""
        self._data.setdefault("settings", {}).setdefault(namespace, {})[key] = value
        self._phone.load_state(copy.deepcopy(self._data))


@dataclass(frozen=True)
class Task:
    """A task template: drawn afresh for each seed."""

    name: str  # "area.what", e.g. "shop.cheapest_in_category"
    scenario: str  # a key of SCENARIOS
    apps: tuple[str, ...]  # packages it uses
    make: Callable[[World], Spec]
    family: str = ""  # tasks that share sub-routines (evolution runs take them in order)
    summary: str = ""

    def draw(self, phone: PhoneData, seed: int) -> Spec:
        """This task's instance for `seed` on `phone` (a freshly reset phone of that seed);
        its setup is applied to the phone."""
        rng = random.Random(f"{seed}/{self.name}")
        return self.make(World(phone, rng, seed))

    @property
    def multi_app(self) -> bool:
        return len(self.apps) > 1


REGISTRY: dict[str, Task] = {}


def task(
    name: str, scenario: str, *, apps: tuple[str, ...], family: str = ""
) -> Callable[[Callable[[World], Spec]], Callable[[World], Spec]]:
    """Register the decorated `make(world) -> Spec` as a task."""
    if not NAME.match(name):
        raise ValueError(f"task name {name!r} is not of the form area.what")
    if scenario not in SCENARIOS:
        raise ValueError(f"task {name}: unknown scenario {scenario!r}")
    if not apps:
        raise ValueError(f"task {name}: name the apps it uses")

    def register(make: Callable[[World], Spec]) -> Callable[[World], Spec]:
        if name in REGISTRY:
            raise ValueError(f"task {name} is defined twice")
        summary = (make.__doc__ or "").strip().splitlines()[0] if make.__doc__ else ""
        REGISTRY[name] = Task(name, scenario, apps, make, family, summary)
        return make

    return register


# -- reference solution steps -----------------------------------------------------------
def open_app(app: str) -> Step:
    return ("open_app", {"app": app})


def tap(label: str) -> Step:
    return ("tap", {"label": label})


def long_press(label: str) -> Step:
    return ("long_press", {"label": label})


def type_text(text: str, label: str | None = None, *, clear: bool = False) -> Step:
    """Type `text` into the field labelled `label` (its hint or text), or the focused one;
    `clear` replaces what the field holds."""
    args: dict[str, Any] = {"text": text}
    if label is not None:
        args["label"] = label
    if clear:
        args["clear"] = True
    return ("type", args)


def scroll(direction: str = "down") -> Step:
    return ("scroll", {"direction": direction})


def key(name: str) -> Step:
    """`back`, `home` or `enter`."""
    return (name, {})
