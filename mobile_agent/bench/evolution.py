"""`mobile-agent bench evolution`: three related tasks in a row; the first teaches, the next
two use what it taught.

The tasks create three notes with different titles on a fresh virtual phone (behind a
private adb server, through adb and uiautomator2 like any phone), with a fresh memory store
in a temporary directory, through what `run` does with memory (`cli.memory_session`):
retrieval, the recorder, learning. Only the model replies are scripted. After the first run
the experience reflectors propose a tip and the shortcut `create_note`, drawn from the run's
steps with their targets resolved to labels (the first run taps by element number, as a
model reading the element list does); a reviewer approves both, or with --use-proposed the
store offers proposals at once (with --control, neither: a control, which must fail).

The later runs' operator replies choose the shortcut only when their prompt offers it, so a
break in recording, learning or retrieval shows as a missing note. One row per task: steps,
model calls, whether the shortcut was used, whether the note is on the phone. Exit code 0
only when the later runs used the shortcut with fewer steps and model calls than the first,
and every note exists.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from mobile_agent.bench.common import private_adb_server
from mobile_agent.llm.base import Completion, Message, Role
from mobile_agent.llm.scripted import ScriptedChatModel

NOTES = "com.example.notes"
TITLES = ("Groceries", "Packing list", "Book club")
SHORTCUT = "create_note"
TIP = (
    "In Notes, the New note button at the bottom right starts a note, and Save at the top "
    "right stores it and returns to the list."
)
_ELEMENT = re.compile(r'"\{\{el:(?P<label>[^}]+)\}\}"')


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the benchmark."""
    review = parser.add_mutually_exclusive_group()
    review.add_argument(
        "--use-proposed",
        action="store_true",
        help="use what the first run proposes without approving it (memory_use_proposed)",
    )
    review.add_argument(
        "--control",
        action="store_true",
        help="a control: proposals are neither approved nor used, so memory gives the later "
        "runs nothing (exits 1)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


@dataclass(frozen=True)
class Row:
    """One task of the family, as it went."""

    task: str
    state: str
    steps: int
    model_calls: int
    learning_calls: int
    shortcut_used: bool
    tips_given: int
    note_on_phone: bool = False


def run(args: argparse.Namespace) -> int:
    """Run the three tasks and print the table; 0 when memory made the later runs cheaper."""
    with ExitStack() as stack:
        stack.enter_context(private_adb_server())
        review = "proposed" if args.use_proposed else "control" if args.control else "approve"
        rows, learned, notes = _family(stack, review)
    rows = [
        replace(row, note_on_phone=title in notes) for row, title in zip(rows, TITLES, strict=True)
    ]
    ok = evolved(rows)
    if args.json:
        report = {"runs": [asdict(r) for r in rows], "learned": learned, "evolved": ok}
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(table(rows, learned, ok))
    return 0 if ok else 1


def evolved(rows: list[Row]) -> bool:
    """Every note made, and every later run used the shortcut with fewer steps and calls."""
    first, later = rows[0], rows[1:]
    return all(r.state == "succeeded" and r.note_on_phone for r in rows) and all(
        r.shortcut_used and r.steps < first.steps and r.model_calls < first.model_calls
        for r in later
    )


def _family(stack: ExitStack, review: str) -> tuple[list[Row], dict[str, Any], set[str]]:
    """The three runs on one fresh phone and store: their rows, what the first taught, and
    the titles of the notes on the phone afterwards. `review`: "approve" what the first run
    proposes, use it as "proposed", or neither ("control")."""
    from mobile_agent.device import connect
    from mobile_agent.memory import MemorySettings, Store
    from virtual_phone.server import VirtualPhoneServer

    home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-evolution-")))
    server = VirtualPhoneServer(port=0, seed=0).start()
    stack.callback(server.stop)
    device = connect(server.serial)
    stack.callback(device.close)
    settings = MemorySettings(use_proposed=review == "proposed")
    store = stack.enter_context(Store.open(home / "memory.db", settings=settings))
    rows, learned = [], {}
    for index, title in enumerate(TITLES):
        row, taught = _one_task(store, device, home, title, first=index == 0)
        rows.append(row)
        if index == 0:
            learned = _review(store, taught, review)
    notes = server.phone.app_state(NOTES)["notes"]
    return rows, learned, {str(note["title"]) for note in notes}


def _one_task(store: Any, device: Any, home: Path, title: str, *, first: bool) -> tuple[Row, Any]:
    """Run one task as `run` does with memory; its row and what was learned from it."""
    from mobile_agent.cli.memory_session import MemorySession
    from mobile_agent.config import Settings
    from mobile_agent.runner import Runner

    task = f"Create a note titled {title}"
    memory = MemorySession(store, task, data_dir=home)
    script = first_script(title) if first else later_script(title)
    model = NumberedScript(script, name=f"scripted:bench-evolution-{title}")
    settings = Settings.model_validate(
        {"ocr_policy": "never", "agent_images": [], "max_steps": 12, "max_cost_usd": 0}
    )
    runner = Runner(device, model, settings=settings, **memory.runner_options())
    memory.attach(runner)
    result = runner.run(task)
    learned = memory.learn(model)
    actions = [s["action"] or {} for s in store.runs.steps(runner.run_id)]
    row = Row(
        task=task,
        state=result.state.value,
        steps=result.steps,
        model_calls=result.model_calls,
        learning_calls=learned.model_calls if learned else 0,
        shortcut_used=any(a.get("name") == SHORTCUT for a in actions),
        tips_given=len(memory.retrieved.tips),
    )
    return row, learned


def _review(store: Any, learned: Any, review: str) -> dict[str, Any]:
    """What the first run taught; approved, as a person reviewing it would, when `review`
    says so."""
    from mobile_agent.memory import Status

    how = {"approve": "approved", "proposed": "used as proposed", "control": "not used"}[review]
    if learned is None:
        return {"tips": [], "shortcuts": {}, "rejected": ["learning failed"], "review": how}
    if review == "approve":  # a reviewer approves what was proposed, never what is suspect
        for tip in learned.tips:
            if tip.status is Status.PROPOSED:
                store.tips.set_status(tip.id, Status.APPROVED)
        for shortcut in learned.shortcuts:
            if shortcut.status is Status.PROPOSED:
                store.shortcuts.set_status(shortcut.name, Status.APPROVED)
    return {
        "tips": [t.text for t in learned.tips],
        "shortcuts": {s.name: [step.action for step in s.steps] for s in learned.shortcuts},
        "rejected": list(learned.rejected),
        "review": how,
    }


# -- scripted replies ------------------------------------------------------------------------------
def first_script(title: str) -> list[dict[str, Any]]:
    """The first task step by step, tapping by element number; then the reflections, the
    shortcut's only when the run's steps were shown with their targets named by label."""
    resolved = r'"action": "tap", "args": \{"label": "New note"\}.*"label": "Title", "text"'
    shortcut = {
        "name": SHORTCUT,
        "description": "Create a note with a title in the Notes app and save it",
        "params": [{"name": "title", "type": "string", "description": "the note's title"}],
        "precondition": "The Notes app is installed",
        "guard": None,
        "steps": [
            {"action": "open_app", "args": {"app": "Notes"}},
            {"action": "tap", "args": {"label": "New note"}},
            {"action": "type", "args": {"label": "Title", "text": "{title}"}},
            {"action": "tap", "args": {"label": "Save"}},
        ],
        "source_step": 1,
    }
    return [
        _manager(title),
        _operator("open_app", {"app": "Notes"}, "open Notes"),
        _reflector(),
        _operator("tap", {"element": "{{el:New note}}"}, "start a new note"),
        _reflector(),
        _operator("type", {"element": "{{el:Title}}", "text": title}, "type the title"),
        _reflector(),
        _operator("tap", {"element": "{{el:Save}}"}, "save the note"),
        _reflector(),
        _operator("finish", {}, "the note is saved"),
        _reply("match", "Role: experience_tips", {"tips": [{"text": TIP, "app": NOTES}]}),
        _reply("regex", rf"^Role: experience_shortcuts.*{resolved}", {"shortcuts": [shortcut]}),
        KEEP_NOTES,
    ]


def later_script(title: str) -> list[dict[str, Any]]:
    """A later task: the shortcut, chosen only when the operator's prompt offers it."""
    offered = rf"^Role: operator.*\n- {SHORTCUT}: Shortcut"
    call = {"name": SHORTCUT, "args": {"title": title}}
    return [
        _manager(title),
        _reply("regex", offered, {"thought": "use the shortcut", "action": call}),
        _reflector(),
        _operator("finish", {}, "the note is saved"),
        _reply("match", "Role: experience_tips", {"tips": []}),
        _reply("match", "Role: experience_shortcuts", {"shortcuts": []}),
        KEEP_NOTES,
    ]


def _manager(title: str) -> dict[str, Any]:
    goal = f"Create and save the note {title}"
    return _reply("match", "Role: manager", {"plan": [goal], "current_subgoal": goal})


def _operator(name: str, args: dict[str, Any], description: str) -> dict[str, Any]:
    action = {"name": name, "args": args}
    reply = {"thought": description, "action": action, "description": description}
    return _reply("match", "Role: operator", reply)


def _reflector() -> dict[str, Any]:
    return _reply("match", "Role: reflector", {"outcome": "success", "progress": ""})


def _reply(kind: str, pattern: str, reply: dict[str, Any]) -> dict[str, Any]:
    return {kind: pattern, "reply": json.dumps(reply)}


KEEP_NOTES = {**_reply("match", "Role: notetaker", {"notes": ""}), "repeat": True}


class NumberedScript(ScriptedChatModel):
    """Scripted replies that name elements by number, read off the prompt's element list as
    a model would: `"{{el:Save}}"` becomes the number of the element shown as "Save"."""

    def complete(
        self, messages: list[Message], *, response_schema: Any = None, cancel: Any = None
    ) -> Completion:
        done = super().complete(messages, response_schema=response_schema, cancel=cancel)
        if "{{el:" not in done.text:
            return done
        users = [m.text for m in reversed(messages) if m.role is Role.USER]
        screen = next((t for t in users if "<screen_elements>" in t), "")
        text = _ELEMENT.sub(lambda m: str(element_number(screen, m.group("label"))), done.text)
        return replace(done, text=text)


def element_number(prompt: str, label: str) -> int:
    """The number of the element shown as `"label"` in the prompt's element list (0, which
    no element has, when none is)."""
    block = prompt.split("<screen_elements>", 1)[-1].split("</screen_elements>", 1)[0]
    for line in block.splitlines():
        found = re.match(r"\s*\[(\d+)\]", line)
        if found and f'"{label}"' in line:
            return int(found.group(1))
    return 0


# -- the table -------------------------------------------------------------------------------------
def table(rows: list[Row], learned: dict[str, Any], ok: bool) -> str:
    """The rows, what the first run taught, and the verdict."""
    head = ("task", "state", "steps", "model calls", "learning calls", "shortcut", "tips", "note")
    cells = [
        (
            r.task,
            r.state,
            str(r.steps),
            str(r.model_calls),
            str(r.learning_calls),
            "used" if r.shortcut_used else "-",
            str(r.tips_given),
            "on the phone" if r.note_on_phone else "MISSING",
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in (head, *cells)) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in (head, *cells)
    ]
    taught = ", ".join(
        f"{name} ({' → '.join(steps)})" for name, steps in learned["shortcuts"].items()
    )
    tips, review = len(learned["tips"]), learned["review"]
    lines.append(f"Learned in run 1: {tips} tip(s), shortcut {taught or 'none'} ({review}).")
    first, last = rows[0], rows[-1]
    lines.append(
        f"Steps {first.steps} → {last.steps}, model calls {first.model_calls} → "
        f"{last.model_calls}: {'evolved' if ok else 'NOT evolved'}. The model replies are scripted."
    )
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run as `python -m mobile_agent.bench.evolution`."""
    parser = argparse.ArgumentParser(prog="python -m mobile_agent.bench.evolution")
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
