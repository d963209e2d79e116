"""What `run` and `demo` print: one line per notable event, then the summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from typing import IO, TYPE_CHECKING, Any

from mobile_agent.cli.args import shorten

if TYPE_CHECKING:
    from mobile_agent.events import Event, RunResult


class ProgressPrinter:
    """Prints one line per notable event."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._last_plan: tuple[str, ...] = ()
        self._lines: dict[str, Callable[[Any], str | None]] = {
            "run_started": lambda e: (
                f"Task: {shorten(e.task)}\nDevice: {e.device}  Models: {_models(e.models)}"
            ),
            "plan_updated": self._plan,
            "action_chosen": lambda e: f"step {e.step}: {format_call(e.action)} — {e.description}",
            "reflected": lambda e: (
                f"  outcome: {e.outcome}" + (f" ({e.feedback})" if e.feedback else "")
            ),
            "notes_updated": lambda e: f"  notes: {shorten(e.notes, 160)}",
            "step_failed": lambda e: f"step {e.step} failed ({e.phase}): {shorten(e.reason, 160)}",
        }

    def _plan(self, event: Any) -> str:
        line = f"Subgoal: {event.current_subgoal}"
        if event.plan != self._last_plan:
            self._last_plan = event.plan
            line = "Plan: " + "; ".join(event.plan) + "\n" + line
        return line

    def __call__(self, event: Event) -> None:
        render = self._lines.get(event.kind)
        line = render(event) if render else None
        if line:
            print(line, file=self.out, flush=True)


def format_call(action: dict[str, Any]) -> str:
    """An action as the user reads it: ``scroll(direction='up')``."""
    args = ", ".join(f"{k}={_plain(v)!r}" for k, v in action.get("args", {}).items())
    return f"{action.get('name')}({args})"


def _plain(value: Any) -> Any:
    """Enum members by their value (`Direction.UP` → 'up'), inside lists and tables too."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _models(models: dict[str, str]) -> str:
    names = set(models.values())
    return names.pop() if len(names) == 1 else ", ".join(f"{r}={m}" for r, m in models.items())


def report(
    result: RunResult, *, as_json: bool, out: IO[str], extra: dict[str, Any] | None = None
) -> None:
    """The final summary: state, steps, model calls, tokens, cost and time."""
    if as_json:
        data = result.to_dict() | (extra or {})
        print(json.dumps(data, indent=2, ensure_ascii=False), flush=True)
        return
    u = result.usage
    lines = [
        "",
        f"Result: {result.state.value}" + (f" — {result.reason}" if result.reason else ""),
        *([f"Answer: {result.answer}"] if result.answer else []),
        f"Steps: {result.steps} ({result.failed_steps} failed)   Model calls: {result.model_calls}",
        f"Tokens: {u.input_tokens} in / {u.output_tokens} out   Cost: ${u.cost_usd:.4f}",
        f"Time: {result.elapsed_s:.1f} s ({result.model_time_s:.1f} s waiting for the model)",
    ]
    print("\n".join(lines), file=out, flush=True)
