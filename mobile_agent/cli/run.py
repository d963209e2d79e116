"""`mobile-agent run "TASK"`: carry out a task on a phone, with live progress and a summary."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mobile_agent.device.base import Device
    from mobile_agent.events import Event, RunResult
    from mobile_agent.runner import Runner

NO_MODEL = """\
No language model is configured. Choose one of:
  mobile-agent run "TASK" --model openai:gpt-4o          (with OPENAI_API_KEY=… in the environment)
  mobile-agent config set model anthropic:claude-sonnet-4-5   (then ANTHROPIC_API_KEY=…)
  mobile-agent run "TASK" --model ollama:qwen2.5vl:7b      (a local model, no key)
Or watch it work with scripted model replies:  mobile-agent demo"""


def register(sub: Any) -> None:
    """Add the `run` command."""
    parser = sub.add_parser(
        "run",
        help="carry out a task on a phone",
        description="Carry out TASK on an Android phone with the Manager / Operator / "
        "Reflector / Notetaker agents, showing each step and a final summary.",
    )
    parser.add_argument("task", help='what to do, e.g. "Create a note titled Groceries"')
    add_run_options(parser)
    parser.add_argument(
        "--model", help="PROVIDER:MODEL, e.g. openai:gpt-4o (default: the configured model)"
    )
    parser.add_argument("--base-url", help="base URL of an OpenAI-compatible server")
    parser.set_defaults(handler=_handle)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `run` and `demo`."""
    parser.add_argument(
        "--device", help="device serial, or 'virtual' for the built-in virtual phone"
    )
    parser.add_argument("--max-steps", type=int, help="most actions in this run")
    parser.add_argument(
        "--json", action="store_true", help="print the summary as JSON (progress goes to stderr)"
    )


def _handle(args: argparse.Namespace) -> int:
    from mobile_agent.config import load_settings
    from mobile_agent.runner import build_models

    settings = load_settings(
        {"model": args.model, "base_url": args.base_url, "max_steps": args.max_steps}
    )
    if not settings.model and not _all_agents_have_models(settings.agent_models):
        print(NO_MODEL, file=sys.stderr)
        return 2
    models = build_models(settings)
    out = sys.stderr if args.json else sys.stdout
    with ExitStack() as stack:
        device = open_device(args.device or settings.device or None, stack, out)
        runner = make_runner(device, models, settings, out)
        result = run_with_interrupt(runner, args.task)
    report(result, as_json=args.json, out=out)
    return 0 if result.succeeded else 1


def _all_agents_have_models(agent_models: dict[str, str]) -> bool:
    from mobile_agent.runner import ROLES

    return all(agent_models.get(role) for role in ROLES)


def open_device(choice: str | None, stack: ExitStack, out: IO[str]) -> Device:
    """The phone to drive: a serial, 'virtual', or the only attached one (else a virtual one)."""
    from mobile_agent.device import connect
    from mobile_agent.errors import AdbServerError, DeviceNotFound

    if choice == "virtual":
        return start_virtual_phone(stack, out)[0]
    if choice:
        return _closing(stack, connect(choice))
    try:
        return _closing(stack, connect(None))
    except (DeviceNotFound, AdbServerError) as exc:
        if sys.stdin.isatty() and not _confirm(
            f"{exc}\nStart the built-in virtual phone instead? [y/N] "
        ):
            raise
        print("No phone attached: starting the built-in virtual phone.", file=out)
        return start_virtual_phone(stack, out)[0]


def start_virtual_phone(stack: ExitStack, out: IO[str], seed: int = 0) -> tuple[Device, Any]:
    """Serve a virtual phone in this process and connect to it through adb, like any phone.

    Returns the device and the server (whose `.phone` holds the apps' state).
    """
    from mobile_agent.device import connect
    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(port=0, seed=seed).start()
    stack.callback(server.stop)
    stack.callback(_adb_disconnect, server.serial)
    print(f"Virtual phone running at {server.serial}.", file=out)
    return _closing(stack, connect(server.serial)), server


def _adb_disconnect(serial: str) -> None:
    import adbutils

    from mobile_agent.device.transport import adb_client

    try:
        adb_client().disconnect(serial)
    except (adbutils.AdbError, OSError):
        pass  # the adb server is gone or never knew the phone


def _closing(stack: ExitStack, device: Device) -> Device:
    stack.callback(device.close)
    return device


def _confirm(question: str) -> bool:
    try:
        return input(question).strip().lower() in {"y", "yes"}
    except EOFError:
        return False


def make_runner(device: Device, models: Any, settings: Any, out: IO[str], **kwargs: Any) -> Runner:
    """A runner that prints progress to `out` and asks the user on the terminal when it can."""
    from mobile_agent.perception import get_ocr_engine
    from mobile_agent.runner import Runner

    return Runner(
        device,
        models,
        settings=settings,
        listeners=[ProgressPrinter(out)],
        ask_user=ask_on_terminal if sys.stdin.isatty() else None,
        ocr=get_ocr_engine(settings.ocr),
        **kwargs,
    )


def ask_on_terminal(question: str) -> str | None:
    """The user channel of the command line (None when nobody answers)."""
    try:
        reply = input(f"\nThe agent asks: {question}\nYour answer (empty to stop): ").strip()
    except EOFError:
        return None
    return reply or None


def run_with_interrupt(runner: Runner, task: str) -> RunResult:
    """Run on a worker thread; Ctrl-C stops the run cleanly (a second Ctrl-C aborts)."""
    box: dict[str, RunResult] = {}
    worker = threading.Thread(target=lambda: box.update(result=runner.run(task)), name="run")
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        print("\nStopping… (Ctrl-C again to abort)", file=sys.stderr)
        runner.stop()
        worker.join()
    return box["result"]


class ProgressPrinter:
    """Prints one line per notable event."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._last_plan: tuple[str, ...] = ()
        self._lines: dict[str, Callable[[Any], str | None]] = {
            "run_started": lambda e: (
                f"Task: {e.task}\nDevice: {e.device}  Models: {_models(e.models)}"
            ),
            "plan_updated": self._plan,
            "action_chosen": lambda e: f"step {e.step}: {_call(e.action)} — {e.description}",
            "action_executed": lambda e: None if e.ok else f"  action failed: {e.error}",
            "reflected": lambda e: (
                f"  outcome: {e.outcome}" + (f" ({e.feedback})" if e.feedback else "")
            ),
            "notes_updated": lambda e: f"  notes: {_short(e.notes)}",
            "step_failed": lambda e: f"step {e.step} failed ({e.phase}): {_short(e.reason)}",
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


def _call(action: dict[str, Any]) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in action.get("args", {}).items())
    return f"{action.get('name')}({args})"


def _models(models: dict[str, str]) -> str:
    names = set(models.values())
    return names.pop() if len(names) == 1 else ", ".join(f"{r}={m}" for r, m in models.items())


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report(
    result: RunResult, *, as_json: bool, out: IO[str], extra: dict[str, Any] | None = None
) -> None:
    """The final summary: state, steps, model calls, tokens, cost and time."""
    if as_json:
        data = result.to_dict() | (extra or {})
        print(json.dumps(data, indent=2, ensure_ascii=False))
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
