"""`mobile-agent bench run`: the task suite on virtual phones, judged from the phones' state.

    mobile-agent bench run --solutions --json             every reference solution
    mobile-agent bench run --scripted --tasks 'notes.*'   the agents, with a scripted model
    mobile-agent bench run --model openai:gpt-4o --devices 4 --out results/

One row per task: success, satisfaction (the share of its rubric's checks that pass),
steps, model calls, tokens, cost, time and why it ended. With `--out DIR`: results.json,
report.md and a self-contained report.html. Exit code 0 when every task succeeded.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mobile_agent.bench.common import private_adb_server, progress
from mobile_agent.bench.harness.execute import Agents, Slot, TaskResult, run_task
from mobile_agent.bench.harness.pool import spread, virtual_phones
from mobile_agent.bench.harness.report import Summary, summarise, table, write_reports
from mobile_agent.bench.tasks import SUITES, Task, families, select

NO_MODEL = """\
No language model is configured for the agents. Give one:
  mobile-agent bench run --model openai:gpt-4o          (with OPENAI_API_KEY=… in the environment)
Or run without a model:
  mobile-agent bench run --solutions   (replay each task's reference solution)
  mobile-agent bench run --scripted    (the agents, with scripted replies that follow it)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `bench run`."""
    parser.add_argument(
        "--suite", default="all", help=f"which tasks: {', '.join(SUITES)} (default all)"
    )
    parser.add_argument(
        "--tasks", metavar="PATTERN", help="only tasks whose name matches (glob, comma-separated)"
    )
    parser.add_argument("--seed", type=int, default=0, help="the world's seed (default 0)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--solutions", action="store_true", help="replay the reference solutions (no model)"
    )
    mode.add_argument(
        "--scripted",
        action="store_true",
        help="run the agents with a scripted model that follows each reference solution",
    )
    mode.add_argument("--model", help="PROVIDER:MODEL for every agent (default: the settings)")
    parser.add_argument("--base-url", help="base URL of an OpenAI-compatible server")
    parser.add_argument(
        "--evolution",
        action="store_true",
        help="run the task families in order with a memory store per family, and report "
        "the first task of each family against the later ones",
    )
    parser.add_argument("--devices", type=int, default=1, help="virtual phones in parallel")
    parser.add_argument(
        "--speedup",
        action="store_true",
        help="run the suite on one phone and then on --devices phones, and print the speed-up",
    )
    parser.add_argument("--max-steps", type=int, help="most actions per task (default: per task)")
    parser.add_argument("--list", action="store_true", help="list the selected tasks and exit")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--out", type=Path, help="write results.json, report.md and report.html")


def run(args: argparse.Namespace) -> int:
    """`bench run`: 0 when every task succeeded (and every check failed untouched)."""
    try:
        tasks = select(args.suite, args.tasks)
    except ValueError as exc:
        print(f"bench run: {exc}", file=sys.stderr)
        return 2
    if args.list:
        sys.stdout.write(_listing(tasks))
        return 0
    mode = "solution" if args.solutions else "scripted" if args.scripted else "agent"
    agents = None if mode == "solution" else _agent_runs(args, mode)
    if agents is None and mode == "agent":
        print(NO_MODEL, file=sys.stderr)
        return 2
    with private_adb_server():
        if args.speedup:
            return _speedup(args, tasks, mode, agents)
        summary = run_suite(tasks, args.seed, mode, agents, args.devices, args.evolution)
    _emit(args, summary)
    return 0 if summary.all_passed else 1


def run_suite(
    tasks: Sequence[Task],
    seed: int,
    mode: str,
    agents: Any,
    devices: int,
    evolution: bool = False,
) -> Summary:
    """Run `tasks` on `devices` fresh virtual phones of `seed`; the summary of the results."""
    stop = threading.Event()
    started = time.monotonic()
    groups = families(tasks) if evolution else [[t] for t in tasks]
    with virtual_phones(devices, seed) as slots, progress(len(tasks), "bench") as advance:

        def work(group: list[Task], slot: Slot) -> list[TaskResult]:
            out = []
            for task in group:
                chosen = agents.for_family(task.family) if evolution and agents else agents
                out.append(run_task(task, slot, seed, mode, chosen))
                advance(f"{task.name}: {'ok' if out[-1].success else 'failed'}", 1)
            return out

        try:
            grouped = spread(groups, slots, work, stop=stop)
        except KeyboardInterrupt:
            stop.set()
            raise
    results = [r for group in grouped for r in group]
    learned = getattr(agents, "learned", {}) if evolution else {}
    return summarise(
        results,
        seed,
        mode,
        devices,
        time.monotonic() - started,
        evolution=evolution,
        learned=learned,
    )


def _agent_runs(args: argparse.Namespace, mode: str) -> Agents | None:
    """The agents' runs of this mode; None when no model is configured for them."""
    from mobile_agent.bench.harness.agents import (
        AgentRuns,
        ModelsFor,
        configured_models,
        scripted_models,
    )
    from mobile_agent.config import AGENT_ROLES, load_settings

    settings = load_settings({"model": args.model, "base_url": args.base_url})
    configured = settings.model or all(settings.agent_models.get(r) for r in AGENT_ROLES)
    if mode == "agent" and not configured:
        return None
    models_for: ModelsFor = scripted_models
    if mode == "scripted":
        settings = settings.model_copy(update={"ocr_policy": "never"})
    else:
        models_for = configured_models(settings)
    memory_dir = None
    if args.evolution:
        memory_dir = args.out or Path(tempfile.mkdtemp(prefix="bench-evolution-"))
        memory_dir.mkdir(parents=True, exist_ok=True)
    runs = AgentRuns(settings, models_for, step_limit=args.max_steps, memory_dir=memory_dir)
    return runs


def _speedup(args: argparse.Namespace, tasks: Sequence[Task], mode: str, agents: Any) -> int:
    """The suite on one phone, then on `--devices` phones: both times and the ratio."""
    one = run_suite(tasks, args.seed, mode, agents, 1)
    many = run_suite(tasks, args.seed, mode, agents, args.devices)
    ratio = one.elapsed_s / many.elapsed_s if many.elapsed_s else 0.0
    report = {
        "tasks": len(tasks),
        "devices": [1, args.devices],
        "elapsed_s": [round(one.elapsed_s, 1), round(many.elapsed_s, 1)],
        "passed": [one.passed, many.passed],
        "speedup": round(ratio, 2),
    }
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(
            f"{len(tasks)} tasks ({mode}, seed {args.seed})\n"
            f"  1 phone:  {one.elapsed_s:7.1f} s, {one.passed} passed\n"
            f"  {args.devices} phones: {many.elapsed_s:7.1f} s, {many.passed} passed\n"
            f"  speed-up: {ratio:.2f}x\n"
        )
    return 0 if one.all_passed and many.all_passed else 1


def _emit(args: argparse.Namespace, summary: Summary) -> None:
    if args.out is not None:
        written = write_reports(summary, args.out)
        print(f"Reports: {', '.join(str(p) for p in written)}", file=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(summary.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(table(summary))


def _listing(tasks: Sequence[Task]) -> str:
    lines = [f"{len(tasks)} tasks"]
    for task in tasks:
        family = f" [{task.family}]" if task.family else ""
        lines.append(f"  {task.name:40} {task.scenario:11} {len(task.apps)} app(s){family}")
    return "\n".join(lines) + "\n"
