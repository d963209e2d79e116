"""The desktop app's event loop during a run: the scripted demo runs in the Run tab of a
real main window (offscreen unless a display platform is set) while a timer due every
5 ms records how late it fires. Prints the longest stall and the p99 lateness (target: p99
at most 50 ms)::

    mobile-agent bench gui [--runs N] [--interval-ms MS] [--json]

The window, its workers and the virtual phone use a temporary data directory and a private
adb server; nothing of the user's is read or written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of this benchmark."""
    parser.add_argument("--runs", type=int, default=1, help="scripted demo runs (default 1)")
    parser.add_argument(
        "--interval-ms", type=int, default=5, help="how often the probe timer is due (default 5)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args: argparse.Namespace) -> int:
    """Measure and print; exit code 1 when a run failed or the p99 misses the target."""
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:
        print(f"The gui benchmark needs PySide6 (the `gui` extra): {exc}", file=sys.stderr)
        return 2
    if args.interval_ms < 1:
        print("--interval-ms must be at least 1", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from mobile_agent.bench.common import private_adb_server
    from mobile_agent.gui.loop_probe import measure_demo_runs

    with private_adb_server():
        report = measure_demo_runs(args.runs, args.interval_ms)
    data = report.to_dict()
    print(json.dumps(data, indent=2) if args.json else table(data))
    return 0 if report.ok else 1


def table(data: dict[str, Any]) -> str:
    """The results as a small table."""
    verdict = "within" if data["p99_late_ms"] <= data["target_p99_ms"] else "OVER"
    rows = [
        ("runs", ", ".join(data["runs"]) or "none"),
        ("events / frames shown", f"{data['events']} / {data['frames']}"),
        (
            "probe ticks",
            f"{data['ticks']} in {data['duration_s']:.1f} s (due every {data['interval_ms']:g} ms)",
        ),
        ("lateness p50", f"{data['p50_late_ms']:.1f} ms"),
        (
            "lateness p99",
            f"{data['p99_late_ms']:.1f} ms ({verdict} the target of {data['target_p99_ms']:g} ms)",
        ),
        ("lateness max", f"{data['max_late_ms']:.1f} ms"),
        ("longest stall", f"{data['longest_stall_ms']:.1f} ms between two ticks"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)
