"""`mobile-agent bench compare A B`: two results files of `bench run --out` (or `--json`)
side by side: the totals, and each task that went differently."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mobile_agent.bench.harness.report import Summary

TOTALS = (
    "tasks",
    "passed",
    "success_rate",
    "mean_satisfaction",
    "steps",
    "model_calls",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "median_time_s",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", type=Path, help="the first results.json")
    parser.add_argument("b", type=Path, help="the second results.json")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")


def load(path: Path) -> Summary:
    """A results file; `SystemExit` with the reason when it cannot be read."""
    try:
        return Summary.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise SystemExit(f"bench compare: {path}: no such file") from None
    except (OSError, ValueError, TypeError) as exc:
        raise SystemExit(f"bench compare: {path}: not a bench run result ({exc})") from None


def compare(a: Summary, b: Summary) -> dict[str, Any]:
    """The totals of both, their differences, and the tasks whose outcome differs."""
    ta, tb = a.totals(), b.totals()
    ra = {r.task: r for r in a.results}
    rb = {r.task: r for r in b.results}
    changed = []
    for name in sorted(ra.keys() | rb.keys()):
        x, y = ra.get(name), rb.get(name)
        if x is None or y is None or x.success != y.success or x.satisfaction != y.satisfaction:
            changed.append(
                {
                    "task": name,
                    "a": None
                    if x is None
                    else {"success": x.success, "satisfaction": x.satisfaction},
                    "b": None
                    if y is None
                    else {"success": y.success, "satisfaction": y.satisfaction},
                }
            )
    return {
        "a": ta,
        "b": tb,
        "difference": {k: round(tb[k] - ta[k], 4) for k in TOTALS},
        "changed": changed,
    }


def run(args: argparse.Namespace) -> int:
    result = compare(load(args.a), load(args.b))
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return 0
    lines = [f"{'':20} {'A':>12} {'B':>12} {'B - A':>12}"]
    for key in TOTALS:
        a, b, d = result["a"][key], result["b"][key], result["difference"][key]
        lines.append(f"{key:20} {a:>12} {b:>12} {d:>+12}")
    for item in result["changed"]:
        lines.append(f"changed: {item['task']}: {_side(item['a'])} -> {_side(item['b'])}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _side(side: dict[str, Any] | None) -> str:
    if side is None:
        return "absent"
    return f"{'passed' if side['success'] else 'failed'} ({side['satisfaction']:.2f})"
