"""`mobile-agent runs`: the stored runs, step by step, and their HTML reports."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mobile_agent.cli.args import positive_int_arg, shorten
from mobile_agent.cli.tips import add_leaf, common_options, open_store, print_json, print_table


def register(sub: Any) -> None:
    """Add the `runs` command group."""
    parser = sub.add_parser(
        "runs",
        help="look back at stored runs; export one as an HTML report",
        description="Every run is stored with its steps: screenshots, elements, the agents' "
        "prompts and replies, actions, verdicts and usage.",
    )
    group = parser.add_subparsers(dest="runs_command", metavar="SUBCOMMAND")
    common = common_options()
    listing = add_leaf(group, "list", "list the runs, newest first", _list, common)
    listing.add_argument("--limit", type=positive_int_arg, default=50, help="most runs shown")
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = add_leaf(group, "show", "show a run step by step", _show, common)
    show.add_argument("id", help="the run's id (or its first characters)")
    show.add_argument("--json", action="store_true", help="print JSON, model calls included")
    what = "write a run as JSON or a one-file HTML report"
    export = add_leaf(group, "export", what, _export, common)
    export.add_argument("id", help="the run's id (or its first characters)")
    export.add_argument("--html", action="store_true", help="an HTML report (default: JSON)")
    export.add_argument(
        "-o", "--output", type=Path, help="the file to write (default: run-ID.html, or stdout)"
    )
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def _list(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        runs = store.runs.all(limit=args.limit)
    if args.json:
        print_json(runs)
        return 0
    rows = [_run_row(r) for r in runs]
    print_table(("id", "started", "state", "steps", "cost", "task"), rows, "No runs stored.")
    return 0


def _run_row(run: dict[str, Any]) -> tuple[Any, ...]:
    started = run["started_at"][:19].replace("T", " ")
    cost = f"${run['cost_usd']:.4f}"
    return (run["id"], started, run["state"], run["steps"], cost, shorten(run["task"], 60))


def _step_row(step: dict[str, Any]) -> tuple[Any, ...]:
    total = f"{step['timings'].get('total_ms', 0):.0f}"
    description = shorten(step["description"], 50)
    action = _action(step["action"])
    return (step["number"], step["outcome"], action, description, step["model_calls"], total)


def _show(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        data = run_data(store, args.id)
    if args.json:
        print_json(data)
        return 0
    run = data["run"]
    print(f"run {run['id']}: {run['state']}  {shorten(run['task'], 100)}")
    if run["reason"]:
        print(f"  {run['reason']}")
    rows = [_step_row(s) for s in data["steps"]]
    columns = ("step", "outcome", "action", "description", "calls", "ms")
    print_table(columns, rows, "No steps stored.")
    return 0


def _action(action: dict[str, Any] | None) -> str:
    if not action:
        return "-"
    args = json.dumps(action.get("args") or {}, ensure_ascii=False)
    return shorten(f"{action.get('name')} {args}", 50)


def run_data(store: Any, run_id: str) -> dict[str, Any]:
    """A run with its steps, screens and model calls, as JSON values."""
    run = store.runs.get(run_id)
    return {
        "run": run,
        "steps": store.runs.steps(run["id"]),
        "screens": store.runs.screens(run["id"]),
        "model_calls": store.runs.calls(run["id"]),
    }


def _export(args: argparse.Namespace) -> int:
    from mobile_agent.memory.report import run_html
    from mobile_agent.memory.transfer import write_text

    with open_store(args, create=False) as store:
        if args.html:
            run = store.runs.get(args.id)
            text = run_html(store, run["id"])
            path = args.output or Path(f"run-{run['id']}.html")
        else:
            text = json.dumps(run_data(store, args.id), indent=2, ensure_ascii=False) + "\n"
            path = args.output
    if path is None or str(path) == "-":
        sys.stdout.write(text)
        return 0
    write_text(text, path)
    print(f"wrote {path}", file=sys.stderr)
    return 0
