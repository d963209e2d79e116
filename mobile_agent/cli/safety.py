"""The safety gate on the command line: `--allow`, `--scope`, `--allow-app`, `--deny-app`,
confirmations asked on the terminal, and the line that says what was held and how to allow
it when nobody could be asked (no terminal)."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from mobile_agent.config import Settings
    from mobile_agent.safety import Concern, SafetyGate


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _kinds(text: str) -> list[str]:
    from mobile_agent.safety.gate import check_kinds

    try:
        return check_kinds(_names(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_safety_options(parser: argparse.ArgumentParser) -> None:
    """The options of the safety gate (for `run`, `demo` and `shortcuts run`)."""
    from mobile_agent.safety import KINDS

    group = parser.add_argument_group(
        "safety", "consequential actions (send, pay, delete, …) need your confirmation"
    )
    group.add_argument(
        "--allow",
        type=_kinds,
        action="extend",
        default=[],
        metavar="KIND",
        help=f"let this run {', '.join(KINDS)} (or all) without asking; comma-separated "
        "or repeated",
    )
    group.add_argument(
        "--scope",
        type=_names,
        action="extend",
        default=[],
        metavar="APP",
        help="the task's apps: acting in any other app needs confirmation",
    )
    group.add_argument(
        "--allow-app",
        type=_names,
        action="extend",
        default=[],
        metavar="APP",
        help="use only these apps (and the home screen)",
    )
    group.add_argument(
        "--deny-app",
        type=_names,
        action="extend",
        default=[],
        metavar="APP",
        help="never use these apps",
    )


def make_gate(
    args: argparse.Namespace, settings: Settings, out: IO[str], task: str = ""
) -> SafetyGate:
    """The run's gate: the settings' and the options' policy (the task's scope: `--scope`,
    else the apps `task` names); confirmations asked on the terminal when there is one, else
    nobody can confirm (held, and the run is blocked)."""
    from mobile_agent.safety import Policy, SafetyGate

    policy = Policy(
        allow=frozenset([*settings.allow, *getattr(args, "allow", [])]),
        scope=frozenset(getattr(args, "scope", [])),
        allow_apps=frozenset([*settings.allow_apps, *getattr(args, "allow_app", [])]),
        deny_apps=frozenset([*settings.deny_apps, *getattr(args, "deny_app", [])]),
        task=task,
    )
    confirm = TerminalConfirm(out) if sys.stdin.isatty() else None
    return SafetyGate(policy, confirm=confirm)


class TerminalConfirm:
    """Asks on the terminal, one question at a time (replays on several phones ask from
    several threads); an empty answer or end of input is a no."""

    _asking = threading.Lock()

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def __call__(self, concern: Concern) -> bool:
        with self._asking:
            return self._ask(concern)

    def _ask(self, concern: Concern) -> bool:
        print(
            f"\nThe agent wants to {concern.what}: this would {concern.meaning}.",
            file=self.out,
            flush=True,
        )
        try:
            answer = input("Allow it, this once? [y/N] ").strip().lower()
        except EOFError:
            return False
        return answer in {"y", "yes"}


def held_lines(gate: SafetyGate) -> list[str]:
    """What the gate held for want of someone to confirm, with how to allow it."""
    lines = []
    for decision in gate.decisions:
        if decision.outcome != "held":
            continue
        c = decision.concern
        how = f"--allow {c.kind}"
        if c.kind == "scope":
            how = "--scope with the names of every app the task needs (or --allow scope)"
        lines.append(
            f"Held by the safety gate: {c.what} ({c.meaning}); it was not done. To allow "
            f"it, run in a terminal to be asked, or add {how}."
        )
    return lines
