"""`mobile-agent bench loop`: a scripted 40-step run on the virtual phone.

Prints model calls per step (by agent, and how many verdicts the screens settled without the
reflector), the share of the prompts a provider's cache can serve with the cost per step with
and without caching (`bench.caching`), prompt size at step 5 and at step 40 (it must stay
bounded) and the framework's own time per step — everything a step costs except waiting for
the model: device calls, settling, perception, the set-of-marks image, prompt building and parsing.
The model is scripted (the tour of `bench.prompts`), so the numbers measure mobile-agent
itself. Then, unless `--no-prompts`, the table of each agent's prompt size per step before
and now, with its fixed part (`bench.prompts`). With `--compare`, the same run again with
every agent asked at every step (no evident outcomes, notes after every success), side by
side.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from mobile_agent.bench.caching import CacheTally, cache_report
from mobile_agent.bench.common import private_adb_server
from mobile_agent.bench.prompts import EVERY_AGENT, TOUR_TASK, prompt_report, table, tour_script

log = logging.getLogger(__name__)

_JUDGED = ("success", "wrong_page", "no_change")  # steps that acted and were reflected on


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the benchmark."""
    parser.add_argument(
        "--steps", type=int, default=40, help="scripted steps before `finish` (default 40)"
    )
    parser.add_argument(
        "--no-images", action="store_true", help="send no screenshots (skips set-of-marks)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="run it again with every agent asked at every step, and show both",
    )
    parser.add_argument(
        "--no-prompts",
        action="store_true",
        help="skip the table of prompt sizes per agent, before and now (two more runs)",
    )


@dataclass
class Tally:
    """What the listener collects per step."""

    calls: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    by_agent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    evident: int = 0  # verdicts the screens settled
    cache: CacheTally = field(default_factory=CacheTally)
    prompt_tokens: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    operator_tokens: dict[int, int] = field(default_factory=dict)
    operator_chars: dict[int, int] = field(default_factory=dict)
    framework_ms: dict[int, float] = field(default_factory=dict)
    parts_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failed: int = 0

    def __call__(self, event: Any) -> None:
        self.cache(event)
        if event.kind == "model_called":
            self.calls[event.step] += 1
            self.by_agent[event.agent] += 1
            self.prompt_tokens[event.step] += event.usage.input_tokens
            if event.agent == "operator":
                self.operator_tokens[event.step] = event.usage.input_tokens
                self.operator_chars[event.step] = event.prompt_chars
        elif event.kind == "step_finished" and event.outcome in _JUDGED:
            t = event.timings_ms
            self.framework_ms[event.step] = t["total_ms"] - t["model_ms"]
            for part in ("action_ms", "settle_ms", "capture_ms", "perceive_ms", "marks_ms"):
                if part in t:
                    self.parts_ms[part].append(t[part])
        elif event.kind == "step_failed":
            self.failed += 1
        elif event.kind == "reflected" and event.judged_by == "screens":
            self.evident += 1


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print its table."""
    with ExitStack() as stack:
        stack.enter_context(private_adb_server())
        tally, result = _run(args, stack)
        classic = _run(args, stack, EVERY_AGENT) if args.compare else None
    report = _report(tally, result, args.steps)
    if classic is not None:
        report["every_agent_every_step"] = _report(*classic, args.steps)
    prompts = None if args.no_prompts else prompt_report(args.steps)
    if args.json:
        sys.stdout.write(json.dumps(report | {"prompts": prompts}, indent=2) + "\n")
    else:
        sys.stdout.write(_table(report) + ("\n" + table(prompts) if prompts else ""))
    held = prompts is None or prompts["fixed_identical"]
    return 0 if result.succeeded and held else 1


def _run(
    args: argparse.Namespace, stack: ExitStack, overrides: dict[str, Any] | None = None
) -> tuple[Tally, Any]:
    from mobile_agent.config import load_settings
    from mobile_agent.device import connect
    from mobile_agent.llm.scripted import ScriptedChatModel
    from mobile_agent.runner import Runner
    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(port=0, seed=0).start()
    stack.callback(server.stop)
    device = connect(server.serial)
    stack.callback(device.close)
    settings = load_settings(
        {"max_steps": args.steps + 1, "ocr_policy": "never", "max_cost_usd": 0} | (overrides or {})
    )
    tally = Tally()
    show_progress = stack.enter_context(step_progress(args.steps + 1))
    runner = Runner(
        device,
        ScriptedChatModel(tour_script(args.steps), name="scripted:bench-loop"),
        settings=settings,
        listeners=[tally, show_progress],
        images=() if args.no_images else None,
    )
    return tally, runner.run(TOUR_TASK)


@contextmanager
def step_progress(total: int) -> Iterator[Callable[[Any], None]]:
    """A progress bar of the run's steps on stderr (a listener of run events).

    Shows nothing when `rich` is not installed or stderr is not a terminal.
    """
    try:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    except ImportError:
        yield lambda event: None
        return
    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda event: None
        return
    columns = ("bench loop: step", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("steps", total=total)

        def listener(event: Any) -> None:
            if event.kind == "step_started":
                progress.update(task, completed=event.step)

        yield listener


def _report(tally: Tally, result: Any, steps: int) -> dict[str, Any]:
    framework = sorted(tally.framework_ms.values())
    measured = [s for s in range(1, steps + 1) if s in tally.framework_ms]
    return {
        "state": result.state.value,
        "steps": result.steps,
        "failed_steps": tally.failed,
        "model_calls": result.model_calls,
        "model_calls_per_step": round(result.model_calls / max(1, result.steps), 2),
        "model_calls_by_agent": dict(sorted(tally.by_agent.items())),
        "evident_verdicts": tally.evident,
        "tokens_estimated": "scripted model estimate: 4 characters a token, 85 an image",
        "prompt_tokens_step_5": tally.prompt_tokens.get(5, 0),
        "prompt_tokens_step_40": tally.prompt_tokens.get(40, 0),
        "operator_prompt_tokens_step_5": tally.operator_tokens.get(5, 0),
        "operator_prompt_tokens_step_40": tally.operator_tokens.get(40, 0),
        "operator_prompt_chars_max": max(tally.operator_chars.values(), default=0),
        "framework_ms_median": _median(framework),
        "framework_ms_p90": _p90(framework),
        "parts_ms_median": {k: _median(sorted(v)) for k, v in tally.parts_ms.items()},
        "measured_steps": len(measured),
        "elapsed_s": round(result.elapsed_s, 2),
    } | cache_report(tally.cache, max(1, result.steps))


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else 0.0


def _p90(values: list[float]) -> float:
    if not values:
        return 0.0
    return round(values[min(len(values) - 1, int(0.9 * len(values)))], 1)


def _table(r: dict[str, Any]) -> str:
    parts = ", ".join(f"{k.removesuffix('_ms')} {v:.0f}" for k, v in r["parts_ms_median"].items())
    rows = [
        ("final state", f"{r['state']} after {r['steps']} steps ({r['failed_steps']} failed)"),
        ("model calls per step", f"{r['model_calls_per_step']} ({r['model_calls']} calls)"),
        ("  by agent", ", ".join(f"{a} {n}" for a, n in r["model_calls_by_agent"].items())),
        ("  verdicts from the screens", str(r["evident_verdicts"])),
        ("cacheable prompt prefix", f"{r['cacheable_prefix_share']:.0%} of prompt characters"),
        *_cost_rows(r),
        (
            "prompt tokens, step 5",
            f"{r['prompt_tokens_step_5']} (operator {r['operator_prompt_tokens_step_5']})",
        ),
        (
            "prompt tokens, step 40",
            f"{r['prompt_tokens_step_40']} (operator {r['operator_prompt_tokens_step_40']})",
        ),
        (
            "framework ms/step",
            f"median {r['framework_ms_median']:.0f}, p90 {r['framework_ms_p90']:.0f}",
        ),
        ("  of which (median ms)", parts),
        ("wall time", f"{r['elapsed_s']} s"),
    ]
    classic = r.get("every_agent_every_step")
    if classic:
        every = f"{classic['model_calls_per_step']} ({classic['model_calls']} calls)"
        rows.append(("every agent every step", f"{every}, final state {classic['state']}"))
    width = max(len(k) for k, _ in rows)
    lines = [f"{k:<{width}}  {v}" for k, v in rows]
    lines.append(f"Tokens are estimates ({r['tokens_estimated']}); the model replies are scripted.")
    return "\n".join(lines) + "\n"


def _cost_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for model, c in r["cost_per_step_usd"].items():
        text = f"${c['without_caching']:.4f} → ${c['with_caching']:.4f} with caching"
        rows.append((f"cost per step, {model}", f"{text} (×{c['ratio']})"))
    return rows
