"""`mobile-agent run "TASK"`: carry out a task on a phone, with live progress and a summary.

Which phone: ``--device SERIAL``, ``--device virtual`` (the built-in virtual phone), or the
only attached one. With none attached, an interactive terminal is asked whether to use the
virtual phone; without a terminal the run is refused (scripts say ``--device virtual``).
One run per phone: a second run on the same phone is refused, or waits with ``--wait``.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING, Any

from mobile_agent.cli.args import (
    add_adb_option,
    base_url_arg,
    check_task,
    model_arg,
    positive_int_arg,
)
from mobile_agent.cli.interrupt import (
    EXIT_INTERRUPTED,
    RunOutcome,
    exit_code,
    run_with_interrupt,
)
from mobile_agent.cli.memory_session import add_memory_options, open_memory
from mobile_agent.cli.progress import ProgressPrinter, report
from mobile_agent.cli.safety import add_safety_options, held_lines, make_gate

if TYPE_CHECKING:
    from mobile_agent.device.base import Device
    from mobile_agent.runner import Runner

__all__ = [
    "EXIT_INTERRUPTED",
    "ProgressPrinter",
    "add_run_options",
    "exit_code",
    "make_runner",
    "open_device",
    "register",
    "report",
    "run_with_interrupt",
    "show_prompts",
    "start_virtual_phone",
]

NO_MODEL = """\
No language model is configured. Choose one of:
  mobile-agent run "TASK" --model openai:gpt-4o          (with OPENAI_API_KEY=… in the environment)
  mobile-agent config set model anthropic:claude-sonnet-4-5   (then ANTHROPIC_API_KEY=…)
  mobile-agent run "TASK" --model ollama:qwen2.5vl:7b      (a local model, no key)
Or watch it work with scripted model replies:  mobile-agent demo"""

USE_VIRTUAL = "To run on the built-in virtual phone instead, add --device virtual."


def register(sub: Any) -> None:
    """Add the `run` command."""
    parser = sub.add_parser(
        "run",
        help="carry out a task on a phone",
        description="Carry out TASK on an Android phone with the Manager / Operator / "
        "Reflector / Notetaker agents, showing each step and a final summary. "
        "Ctrl-C stops the run after the step in flight.",
    )
    parser.add_argument("task", help='what to do, e.g. "Create a note titled Groceries"')
    add_run_options(parser)
    add_adb_option(parser)
    parser.add_argument(
        "--wait",
        action="store_true",
        help="when another run is using the phone, wait for it to end (default: refuse)",
    )
    parser.add_argument(
        "--model",
        type=model_arg,
        help="PROVIDER:MODEL, e.g. openai:gpt-4o (default: the configured model)",
    )
    parser.add_argument(
        "--base-url", type=base_url_arg, help="base URL of an OpenAI-compatible server"
    )
    parser.set_defaults(handler=_handle)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `run` and `demo`."""
    parser.add_argument(
        "--device", help="device serial, or 'virtual' for the built-in virtual phone"
    )
    parser.add_argument("--max-steps", type=positive_int_arg, help="most actions in this run")
    parser.add_argument(
        "--json", action="store_true", help="print the summary as JSON (progress goes to stderr)"
    )
    parser.add_argument(
        "--prompts",
        action="store_true",
        help="print each agent's prompt as it is sent to the model, and the reply",
    )
    add_memory_options(parser)
    add_safety_options(parser)


def _handle(args: argparse.Namespace) -> int:
    from mobile_agent.config import AGENT_ROLES, load_settings
    from mobile_agent.llm.factory import models_for_roles

    task = check_task(args.task)
    settings = load_settings(
        {"model": args.model, "base_url": args.base_url, "max_steps": args.max_steps}
    )
    if not settings.model and not all(settings.agent_models.get(r) for r in AGENT_ROLES):
        print(NO_MODEL, file=sys.stderr)
        return 2
    models = models_for_roles(settings)
    out = sys.stderr if args.json else sys.stdout
    with ExitStack() as stack:
        memory = stack.enter_context(
            open_memory(args, settings, task, out, model=models["manager"])
        )
        device = open_device(args.device or settings.device or None, stack, out, wait=args.wait)
        gate = make_gate(args, settings, out, task)
        runner = make_runner(device, models, settings, out, gate=gate, **memory.runner_options())
        memory.attach(runner)
        show_prompts(runner, args, out)
        outcome = run_with_interrupt(runner, task, settings.stop_grace_s)
        memory.learn(models["reflector"], interrupted=outcome.interrupted)
        memory_fields = memory.report_fields()
    report(outcome.result, as_json=args.json, out=out, extra=_extra(outcome) | memory_fields)
    for line in held_lines(gate):
        print(line, file=sys.stderr if args.json else out)
    return exit_code(outcome, outcome.result.succeeded)


def show_prompts(runner: Runner, args: argparse.Namespace, out: IO[str]) -> None:
    """With `--prompts`, print every prompt as it is sent, and its reply."""
    if args.prompts:
        from mobile_agent.cli.prompts_view import PromptPrinter

        runner.add_listener(PromptPrinter(out))


def _extra(outcome: RunOutcome) -> dict[str, Any]:
    return {"interrupted": True} if outcome.interrupted else {}


def open_device(
    choice: str | None, stack: ExitStack, out: IO[str], *, wait: bool = False
) -> Device:
    """The phone to drive (a serial, 'virtual', or the only attached one), locked for this run."""
    from mobile_agent.device import connect, resolve_serial
    from mobile_agent.errors import DeviceNotFound

    if choice == "virtual":
        return start_virtual_phone(stack, out)[0]
    try:
        serial = resolve_serial(choice)
    except DeviceNotFound as exc:
        if choice:
            raise
        _offer_virtual_phone(exc)
        print("No phone attached: starting the built-in virtual phone.", file=out)
        return start_virtual_phone(stack, out)[0]
    lock_device(stack, serial, out, wait=wait)
    return _closing(stack, connect(serial))


def _offer_virtual_phone(exc: Exception) -> None:
    """Ask on a terminal whether to use the virtual phone; without one, refuse."""
    from mobile_agent.errors import DeviceNotFound

    if not sys.stdin.isatty():
        raise DeviceNotFound(f"{exc} {USE_VIRTUAL}") from None
    if not _confirm(f"{exc}\nStart the built-in virtual phone instead? [y/N] "):
        raise DeviceNotFound(f"{exc} {USE_VIRTUAL}") from None


def lock_device(stack: ExitStack, serial: str, out: IO[str], *, wait: bool = False) -> None:
    """Hold `serial`'s device lock until `stack` closes (`DeviceBusy` if another run has it)."""
    from mobile_agent.config import data_dir
    from mobile_agent.device import DeviceBusy, DeviceLock

    lock = DeviceLock(serial, data_dir("locks"))
    try:
        lock.acquire(
            wait=wait,
            on_wait=lambda holder: print(
                f"Waiting for {serial}: in use by {holder}. (Ctrl-C to give up)",
                file=out,
                flush=True,
            ),
        )
    except DeviceBusy as exc:
        raise DeviceBusy(f"{exc} Try again when it has ended, or add --wait.") from None
    stack.callback(lock.release)


def start_virtual_phone(stack: ExitStack, out: IO[str], seed: int = 0) -> tuple[Device, Any]:
    """Serve a virtual phone in this process and connect to it through adb, like any phone.

    Returns the device and the server (whose `.phone` holds the apps' state).
    """
    from mobile_agent.device import connect
    from mobile_agent.device.transport import adb_disconnect
    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(port=0, seed=seed).start()
    stack.callback(server.stop)
    stack.callback(adb_disconnect, server.serial)
    print(f"Virtual phone running at {server.serial}.", file=out)
    lock_device(stack, server.serial, out)
    return _closing(stack, connect(server.serial)), server


def _closing(stack: ExitStack, device: Device) -> Device:
    stack.callback(device.close)
    return device


def _confirm(question: str) -> bool:
    try:
        return input(question).strip().lower() in {"y", "yes"}
    except EOFError:
        return False


def make_runner(
    device: Device,
    models: Any,
    settings: Any,
    out: IO[str],
    *,
    listeners: list[Any] | None = None,
    interactive: bool = True,
    **kwargs: Any,
) -> Runner:
    """A runner that prints progress to `out` (or tells `listeners` instead) and asks the
    user on the terminal when it can (never when not `interactive`)."""
    from mobile_agent.perception import get_ocr_engine
    from mobile_agent.runner import Runner

    return Runner(
        device,
        models,
        settings=settings,
        listeners=[ProgressPrinter(out)] if listeners is None else listeners,
        ask_user=ask_on_terminal if interactive and sys.stdin.isatty() else None,
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
