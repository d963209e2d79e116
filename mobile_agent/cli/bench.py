"""`mobile-agent bench`: measure speed and quality; prints tables (or JSON), asserts nothing."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

# name → (module implementing add_arguments(parser) and run(args) -> int, help)
SUITES = {
    "run": (
        "mobile_agent.bench.harness.command",
        "the task suite on virtual phones: success, satisfaction, steps, calls, cost",
    ),
    "compare": ("mobile_agent.bench.harness.compare", "two results of `bench run` side by side"),
    "perception": (
        "mobile_agent.bench.perception",
        "capture / parse / OCR / settle medians and OCR recall",
    ),
    "dumps": (
        "mobile_agent.bench.dumps",
        "huge hierarchy dumps: streaming reader vs whole-tree parse, time and peak memory",
    ),
    "loop": (
        "mobile_agent.bench.loop",
        "a scripted 40-step run: calls, prompt growth, framework time",
    ),
    "phone": ("mobile_agent.bench.phone", "virtual phone RPC, screenshot and hierarchy latency"),
    "memory": (
        "mobile_agent.bench.memory",
        "retrieval latency with 10,000 tips and shortcuts; store cost per step",
    ),
    "evolution": (
        "mobile_agent.bench.evolution",
        "three related tasks: the first teaches a shortcut and a tip, the next two use them",
    ),
    "safety": (
        "mobile_agent.bench.safety.command",
        "injection cases with a model that obeys them, and benign tasks: harm and prompts",
    ),
    "batch": (
        "mobile_agent.bench.batch",
        "throughput of `batch` with 1, 2 and 4 virtual phones: tasks per minute, speed-up",
    ),
    "gui": (
        "mobile_agent.bench.gui_loop",
        "the desktop app's event loop during a scripted run: longest stall, p99 lateness",
    ),
}

# options that count something and need at least 1
COUNTS = ("runs", "steps", "screens", "devices", "max_steps")


def register(sub: Any) -> None:
    """Add the `bench` command group."""
    parser = sub.add_parser("bench", help="run a benchmark and print its table")
    bench_sub = parser.add_subparsers(dest="suite", metavar="SUITE")
    for name, (module_name, help_text) in SUITES.items():
        suite = bench_sub.add_parser(name, help=help_text)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            suite.set_defaults(handler=_missing(name))
            continue
        module.add_arguments(suite)
        suite.set_defaults(handler=_checked(suite, module.run))
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def _checked(parser: argparse.ArgumentParser, run: Any) -> Any:
    """`run`, after refusing counts below 1 (a usage error, exit code 2)."""

    def handler(args: argparse.Namespace) -> int:
        for name in COUNTS:
            value = getattr(args, name, None)
            if isinstance(value, int) and value < 1:
                option = name.replace("_", "-")
                parser.error(f"argument --{option}: must be at least 1, not {value}")
        return int(run(args))

    return handler


def _missing(name: str) -> Any:
    def handler(args: argparse.Namespace) -> int:
        print(f"The '{name}' benchmark is not available in this build.")
        return 2

    return handler
