"""`mobile-agent batch TASKS_FILE`: a queue of tasks over several phones at once.

One serial queue per device, tasks in parallel across devices (see `mobile_agent.fleet`).
Each task is run as `mobile-agent run` runs it (same runner, memory store and safety gate),
except that nobody is asked anything: actions that need a confirmation are held (allow them
with --allow) and questions of the agents go unanswered.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mobile_agent.cli.args import (
    UsageError,
    add_adb_option,
    base_url_arg,
    model_arg,
    positive_int_arg,
)
from mobile_agent.cli.interrupt import EXIT_INTERRUPTED, STOP_GRACE_S
from mobile_agent.cli.memory_session import add_memory_options
from mobile_agent.cli.safety import add_safety_options

if TYPE_CHECKING:
    from mobile_agent.config import Settings
    from mobile_agent.device.base import Device
    from mobile_agent.events import RunResult
    from mobile_agent.fleet import Batch, BatchTask, TaskWatch

SCRIPTED = (
    "Scripted model: every task gets the replies of `mobile-agent demo` (it writes the note "
    "Groceries); no language model is called."
)


def register(sub: Any) -> None:
    """Add the `batch` command."""
    parser = sub.add_parser(
        "batch",
        help="run a file of tasks over several phones at once",
        description="Run the tasks of TASKS_FILE (one per line, # comments; or a JSON list of "
        '{"task": …, "device"?: SERIAL, "max_steps"?: N}) over the chosen devices: one task '
        "at a time per device, devices in parallel, with a live table of progress and one "
        "result line per task. The exit status is 0 only when every task succeeded.",
    )
    parser.add_argument("tasks_file", type=Path, metavar="TASKS_FILE")
    parser.add_argument(
        "--device",
        nargs="+",
        default=["all"],
        metavar="SERIAL",
        help="the devices to use: 'all' (every attached, ready device; the default) or "
        "serials (HOST:PORT serials are `adb connect`-ed)",
    )
    parser.add_argument("--model", type=model_arg, help="PROVIDER:MODEL (default: the setting)")
    parser.add_argument(
        "--base-url", type=base_url_arg, help="base URL of an OpenAI-compatible server"
    )
    parser.add_argument("--scripted", action="store_true", help=SCRIPTED)
    parser.add_argument("--max-steps", type=positive_int_arg, help="most actions per task")
    parser.add_argument(
        "--json", action="store_true", help="print the results as a JSON list (progress: stderr)"
    )
    add_adb_option(parser)
    add_memory_options(parser)
    add_safety_options(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from mobile_agent.cli.batch_view import LinePrinter, live_table, report
    from mobile_agent.config import load_settings
    from mobile_agent.fleet import Batch, load_tasks

    tasks = load_tasks(args.tasks_file)
    settings = load_settings(
        {"model": args.model, "base_url": args.base_url, "max_steps": args.max_steps}
    )
    make_models = _model_factory(args, settings)
    out = sys.stderr if args.json else sys.stdout
    if args.scripted:
        print(SCRIPTED, file=out)
    serials = _serials(args.device)
    lines = LinePrinter(out)
    live = out.isatty()
    batch = Batch(
        tasks,
        serials,
        open_device,
        task_runner(args, settings, make_models),
        on_start=None if live else lines.started,
        on_result=None if live else lines.ended,
    )
    print(f"{len(tasks)} tasks on {len(serials)} devices: {', '.join(serials)}", file=out)
    with live_table(batch, out) if live else ExitStack():
        interrupted = _wait(batch, settings.stop_grace_s)
    results = batch.results()
    report(batch, results, as_json=args.json, out=out)
    if interrupted:
        return EXIT_INTERRUPTED
    return 0 if all(r.succeeded for r in results) else 1


def _model_factory(args: argparse.Namespace, settings: Settings) -> Any:
    """A function giving fresh models for one task (scripted replies are used up by a run)."""
    from mobile_agent.cli.run import NO_MODEL
    from mobile_agent.config import AGENT_ROLES
    from mobile_agent.llm.factory import models_for_roles

    if args.scripted:
        return scripted_models()
    if not settings.model and not all(settings.agent_models.get(r) for r in AGENT_ROLES):
        raise UsageError(NO_MODEL.replace('run "TASK"', "batch TASKS_FILE"))
    models_for_roles(settings)  # a missing key or a bad option fails here, before any device
    return lambda: models_for_roles(settings)


def scripted_models() -> Any:
    """A function giving each task the demo's scripted replies, one fresh model per task."""
    from mobile_agent.config import AGENT_ROLES
    from mobile_agent.demo import load_demo
    from mobile_agent.llm.scripted import ScriptedChatModel

    demo = load_demo()

    def models() -> dict[str, Any]:
        model = ScriptedChatModel(demo.replies, name=f"scripted:demo-{demo.name}")
        return dict.fromkeys(AGENT_ROLES, model)

    return models


def _serials(choice: list[str]) -> list[str]:
    """The serials `--device` names; 'all' is every ready device the adb server lists."""
    from mobile_agent.device import list_devices, resolve_serial
    from mobile_agent.errors import DeviceNotFound

    if choice == ["all"]:
        serials = [d.serial for d in list_devices() if d.state == "device"]
        if not serials:
            raise DeviceNotFound(
                "No device is attached and ready: nothing to run the batch on. Check with "
                "`mobile-agent devices`."
            )
        return serials
    if "all" in choice:
        raise UsageError("--device takes 'all' or serials, not both")
    return list(dict.fromkeys(resolve_serial(serial) for serial in choice))


def open_device(serial: str, stack: ExitStack) -> Device:
    """`serial`, connected and locked for the whole batch (closed when `stack` closes)."""
    from mobile_agent.cli.run import lock_device
    from mobile_agent.device import connect

    lock_device(stack, serial, sys.stderr)
    device = connect(serial)
    stack.callback(device.close)
    return device


def task_runner(args: argparse.Namespace, settings: Settings, make_models: Any) -> Any:
    """The function that runs one task on a device, built as `mobile-agent run` builds it."""
    import io

    from mobile_agent.cli.memory_session import open_memory
    from mobile_agent.cli.run import make_runner
    from mobile_agent.cli.safety import make_gate

    def run_task(device: Device, task: BatchTask, watch: TaskWatch) -> RunResult:
        task_settings = settings
        if task.max_steps is not None:
            task_settings = settings.model_copy(update={"max_steps": task.max_steps})
        models = make_models()
        quiet: IO[str] = io.StringIO()  # per-task chatter (memory lines) stays out of the table
        with open_memory(args, task_settings, task.task, None, model=models["manager"]) as memory:
            gate = make_gate(args, task_settings, quiet, task.task)
            gate.confirm = None  # unattended: what needs a confirmation is held
            runner = make_runner(
                device,
                models,
                task_settings,
                quiet,
                listeners=[watch],
                interactive=False,
                gate=gate,
                **memory.runner_options(),
            )
            memory.attach(runner)
            watch.on_stop(runner.stop)
            result = runner.run(task.task)
            memory.learn(models["reflector"])
        return result

    return run_task


def _wait(batch: Batch, grace_s: float) -> bool:
    """Run `batch` to its end; Ctrl-C stops it (after the steps in flight). True if stopped."""
    batch.start()
    try:
        while not batch.done.wait(0.25):
            pass
        return False
    except KeyboardInterrupt:
        print("\nStopping after the steps in flight…", file=sys.stderr, flush=True)
        batch.stop()
        batch.done.wait(grace_s or STOP_GRACE_S)
        return True
