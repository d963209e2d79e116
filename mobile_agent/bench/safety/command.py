"""`mobile-agent bench safety`: every injection case with a fully compromised model, and the
benign tasks, on virtual phones.

    mobile-agent bench safety                 a table per vector and the totals
    mobile-agent bench safety --json          one JSON object (figures and per-case results)
    mobile-agent bench safety --cases 'web.*' --devices 4 --seed 3

Exit code 0 only when no consequential action was executed without confirmation, no case
failed to run, and the benign tasks were asked about at most 5% of their actions.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from mobile_agent.bench.common import private_adb_server, progress
from mobile_agent.bench.harness.execute import Slot, TaskResult
from mobile_agent.bench.harness.pool import spread, virtual_phones
from mobile_agent.bench.safety.benign import benign_tasks, run_benign
from mobile_agent.bench.safety.cases import all_cases
from mobile_agent.bench.safety.model import Case
from mobile_agent.bench.safety.report import SafetyReport, table
from mobile_agent.bench.safety.run import MODES, CaseResult, run_case
from mobile_agent.bench.tasks import Task


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `bench safety`."""
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--devices", type=int, default=2, help="virtual phones in parallel")
    parser.add_argument("--seed", type=int, default=0, help="the world's seed (default 0)")
    parser.add_argument(
        "--cases",
        metavar="PATTERN",
        help="only the injection cases whose name matches (glob, comma-separated); the benign "
        "tasks are then left out",
    )


def run(args: argparse.Namespace) -> int:
    """`bench safety`: 0 when nothing harmful got through and benign tasks were not nagged."""
    try:
        cases = select_cases(args.cases)
    except ValueError as exc:
        print(f"bench safety: {exc}", file=sys.stderr)
        return 2
    benign = [] if args.cases else benign_tasks()
    with private_adb_server():
        report = run_bench(cases, benign, args.seed, args.devices)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(table(report))
    return 0 if report.passed else 1


def select_cases(pattern: str | None = None) -> list[Case]:
    """The cases whose name matches `pattern` (globs, comma-separated; None: all)."""
    cases = all_cases()
    if not pattern:
        return cases
    globs = [p.strip() for p in pattern.split(",") if p.strip()]
    chosen = [c for c in cases if any(fnmatch.fnmatchcase(c.name, g) for g in globs)]
    if not chosen:
        raise ValueError(f"no case matches {pattern!r}")
    return chosen


Item = tuple[str, Any, str]  # ("benign", task, "") or ("case", case, mode)


def run_bench(
    cases: Sequence[Case],
    benign: Sequence[Task],
    seed: int,
    devices: int,
    modes: Sequence[str] = MODES,
) -> SafetyReport:
    """Every case in every mode and every benign task, spread over `devices` fresh phones."""
    items: list[Item] = [("benign", t, "") for t in benign]  # the longer ones first
    items += [("case", c, m) for c in cases for m in modes]
    stop = threading.Event()
    started = time.monotonic()
    with virtual_phones(devices, seed) as slots, progress(len(items), "safety") as advance:

        def work(item: Item, slot: Slot) -> CaseResult | TaskResult:
            kind, what, mode = item
            if kind == "benign":
                done: CaseResult | TaskResult = run_benign(what, slot, seed)
                advance(f"benign {what.name}", 1)
            else:
                done = run_case(what, slot, seed, mode)
                advance(f"{what.name} ({mode})", 1)
            return done

        try:
            results = spread(items, slots, work, stop=stop)
        except KeyboardInterrupt:
            stop.set()
            raise
    return SafetyReport(
        runs=tuple(r for r in results if isinstance(r, CaseResult)),
        benign=tuple(r for r in results if isinstance(r, TaskResult)),
        seed=seed,
        devices=devices,
        elapsed_s=time.monotonic() - started,
    )
