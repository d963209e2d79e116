"""Prompt size per step, before and after the prompt contract (docs/adr/0010), side by side.

Two scripted runs on the virtual phone (through adb, like `bench loop`): the 40-step tour of
Settings and Contacts, and the notes demo, whose editor screens show the keyboard. For each
agent the table gives the characters of its assembled prompt at chosen steps, before (as
measured on the same runs with the earlier prompts, `BEFORE_TOUR` and `BEFORE_DEMO`) and
now, and the characters of its fixed part: the system message and the head of the user
message (task and tips), which must be byte-identical from step to step, since that is what
provider prompt caches reuse. `fixed_identical` says whether it was.

The same runs give `mid_task_prompts`: each agent's assembled prompt at one step of the demo.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from mobile_agent.bench.common import private_adb_server

AGENTS = ("manager", "operator", "reflector", "notetaker")
TOUR_TASK = "Tour the Settings and Contacts apps, then finish."
# The bench-loop tour: seven actions through two apps, every one changing the screen; steps
# 5 and 40 fall on the same position of a lap, so their prompts compare.
TOUR: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("open_app", {"app": "Settings"}, "open Settings"),
    ("scroll", {"direction": "down"}, "scroll the settings list down"),
    ("scroll", {"direction": "up"}, "scroll back up"),
    ("home", {}, "go home"),
    ("open_app", {"app": "Contacts"}, "open Contacts"),
    ("scroll", {"direction": "down"}, "scroll the contacts down"),
    ("home", {}, "go home"),
)
# Every agent asked at every step, in a fixed order (no outcome settled by the screens alone,
# notes after every success, after the verdict): each agent's prompt at each step compares.
EVERY_AGENT: dict[str, Any] = {
    "evident_outcomes": False,
    "notetaker": "always",
    "notes_beside_verdict": False,
}
TOUR_STEPS = {"manager": (1,), "operator": (5, 40), "reflector": (5, 40), "notetaker": (3, 33)}

# Prompt characters (all message texts) with the earlier prompts, on the same scripted runs
# (images on for manager, operator and reflector). The earlier notetaker ran only when the
# reflector flagged a screen (steps 3, 13, 23 and 33 of the tour, never in the demo).
BEFORE_TOUR = {
    ("manager", 1): 2407,
    ("operator", 5): 4885,
    ("operator", 40): 4928,
    ("reflector", 5): 3965,
    ("reflector", 40): 3963,
    ("notetaker", 3): 2388,
    ("notetaker", 33): 2365,
}
BEFORE_DEMO = {
    ("manager", 1): 2421,
    ("operator", 1): 4724,
    ("reflector", 1): 3660,
    ("manager", 2): 2709,
    ("operator", 2): 4957,
    ("reflector", 2): 3511,
    ("operator", 3): 4666,
    ("reflector", 3): 5848,
    ("operator", 4): 7402,
    ("reflector", 4): 8525,
    ("manager", 5): 5299,
    ("operator", 5): 7444,
    ("reflector", 5): 6194,
    ("manager", 6): 3070,
}
BEFORE_FIXED = {"manager": 1024, "operator": 3230, "reflector": 927, "notetaker": 579}


@dataclass
class Measured:
    """The prompts of one scripted run: text and size of each agent's call at each step."""

    prompts: dict[tuple[str, int], str] = field(default_factory=dict)  # first call per step
    chars: dict[tuple[str, int], int] = field(default_factory=dict)
    fixed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    state: str = ""

    def __call__(self, event: Any) -> None:
        if event.kind != "model_called" or event.attempt != 1:
            return
        key = (event.agent, event.step)
        if key not in self.prompts:
            self.prompts[key] = event.prompt
            self.chars[key] = event.prompt_chars
        self.fixed[event.agent].add(fixed_part(event.prompt))

    def fixed_identical(self) -> dict[str, bool]:
        """Per agent: was its fixed part byte-identical in every call?"""
        return {agent: len(parts) == 1 for agent, parts in self.fixed.items()}

    def fixed_chars(self, agent: str) -> int:
        return max((len(p) for p in self.fixed.get(agent, ())), default=0)


def fixed_part(prompt: str) -> str:
    """The part of an assembled prompt (as `ModelCalled.prompt` shows it) that is the same
    at every step of a run: the system message, and the user message up to the step line."""
    system, found, user = prompt.partition("\n\n## user")
    if not found or "\n## Step " not in user:
        return system
    head = user.split("\n## Step ", 1)[0]
    return f"{system}{found}{head}"


def tour_script(steps: int) -> list[dict[str, Any]]:
    """Scripted replies for the tour: a plan, then each step's action, verdict and notes."""
    goal = "Tour Settings and Contacts"
    plan: dict[str, Any] = {"thought": "Tour the apps.", "plan": [goal], "current_subgoal": goal}
    replies = [_rule("manager", plan)]
    for step in range(1, steps + 1):
        name, args, description = TOUR[(step - 1) % len(TOUR)]
        replies.append(_operator(name, args, description))
        progress = f"{step} screens of the tour seen; the last step went to {description}."
        verdict = {"thought": "as expected", "outcome": "success", "progress": progress}
        replies.append(_rule("reflector", verdict))
        replies.append(_rule("notetaker", {"thought": "a count", "notes": f"{step} seen."}))
    replies.append(_operator("finish", {"answer": "done"}, "finish"))
    return replies


def _operator(name: str, args: dict[str, Any], description: str) -> dict[str, Any]:
    reply = {"thought": description, "action": {"name": name, "args": args}}
    reply |= {"description": description, "expectation": "a new screen"}
    return _rule("operator", reply)


def _rule(role: str, reply: dict[str, Any]) -> dict[str, Any]:
    return {"match": f"Role: {role}", "reply": json.dumps(reply)}


def measure(replies: Sequence[Any], task: str, max_steps: int) -> Measured:
    """Run `task` with scripted `replies` on a fresh virtual phone; its prompts."""
    from mobile_agent.config import load_settings
    from mobile_agent.device import connect
    from mobile_agent.llm.scripted import ScriptedChatModel
    from mobile_agent.runner import Runner

    measured = Measured()
    with ExitStack() as stack:
        device = stack.enter_context(_virtual_device(connect))
        base = {"max_steps": max_steps, "ocr_policy": "never", "max_cost_usd": 0}
        settings = load_settings(base | EVERY_AGENT)
        model = ScriptedChatModel(list(replies), name="scripted:bench-prompts")
        result = Runner(device, model, settings=settings, listeners=[measured]).run(task)
    measured.state = result.state.value
    return measured


@contextmanager
def _virtual_device(connect: Any) -> Iterator[Any]:
    from virtual_phone.server import VirtualPhoneServer

    with ExitStack() as stack:
        stack.enter_context(private_adb_server())
        server = VirtualPhoneServer(port=0, seed=0).start()
        stack.callback(server.stop)
        device = connect(server.serial)
        stack.callback(device.close)
        yield device


@dataclass(frozen=True)
class Row:
    """One agent at one step: prompt characters before and now, and the fixed part now."""

    run: str
    agent: str
    step: int
    before: int | None
    after: int | None
    fixed: int
    fixed_before: int
    identical: bool


def rows(
    name: str,
    measured: Measured,
    before: dict[tuple[str, int], int],
    keys: Sequence[tuple[str, int]],
) -> list[Row]:
    """One row per (agent, step) of `keys`, with its size before and now."""
    same = measured.fixed_identical()
    return [
        Row(
            name,
            agent,
            step,
            before.get((agent, step)),
            measured.chars.get((agent, step)),
            measured.fixed_chars(agent),
            BEFORE_FIXED[agent],
            same.get(agent, True),
        )
        for agent, step in keys
    ]


def prompt_report(tour_steps: int = 40) -> dict[str, Any]:
    """Measure the tour and the demo; the rows and whether every fixed part held."""
    from mobile_agent.demo import load_demo

    tour = measure(tour_script(tour_steps), TOUR_TASK, tour_steps + 1)
    demo = load_demo()
    shown = measure(demo.replies, demo.task, 30)
    tour_keys = [(a, s) for a in AGENTS for s in TOUR_STEPS[a] if s <= tour_steps]
    demo_keys = sorted(shown.chars, key=lambda key: (key[1], AGENTS.index(key[0])))
    table = rows("tour", tour, BEFORE_TOUR, tour_keys) + rows("demo", shown, BEFORE_DEMO, demo_keys)
    identical = all(tour.fixed_identical().values()) and all(shown.fixed_identical().values())
    return {
        "states": {"tour": tour.state, "demo": shown.state},
        "rows": [r.__dict__ for r in table],
        "fixed_identical": identical,
    }


def table(report: dict[str, Any]) -> str:
    """The report as a text table, before and now side by side."""
    head = f"{'run':<5} {'agent':<9} {'step':>4}  {'before':>6}  {'now':>6}  {'fixed now':>9}"
    lines = [head + "  (fixed before)", "-" * (len(head) + 16)]
    for r in report["rows"]:
        before = "—" if r["before"] is None else str(r["before"])
        after = "—" if r["after"] is None else str(r["after"])
        same = "" if r["identical"] else "  NOT IDENTICAL"
        lines.append(
            f"{r['run']:<5} {r['agent']:<9} {r['step']:>4}  {before:>6}  {after:>6}  "
            f"{r['fixed']:>9}  ({r['fixed_before']}){same}"
        )
    verdict = "yes" if report["fixed_identical"] else "NO"
    lines.append(f"fixed part byte-identical at every step, every agent: {verdict}")
    lines.append("Characters of all message texts; images not counted. Replies are scripted.")
    return "\n".join(lines) + "\n"


def mid_task_prompts(step: int = 4) -> dict[str, str]:
    """Each agent's assembled prompt in the demo at `step` (or at its nearest earlier call)."""
    from mobile_agent.demo import load_demo

    demo = load_demo()
    measured = measure(demo.replies, demo.task, 30)
    found: dict[str, str] = {}
    for agent in AGENTS:
        steps = [s for a, s in measured.prompts if a == agent and s <= step]
        if steps:
            found[agent] = measured.prompts[(agent, max(steps))]
    return found
