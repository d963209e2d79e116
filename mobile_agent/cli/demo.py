"""`mobile-agent demo`: a scripted run on the built-in virtual phone, end to end."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from typing import Any

from mobile_agent.cli.args import positive_int_arg
from mobile_agent.cli.memory_session import add_memory_options, open_memory

SCRIPTED = (
    "This is a demonstration: the model's replies are scripted (no language model is called). "
    "Everything else is real: the virtual phone is driven through adb and uiautomator2."
)


def register(sub: Any) -> None:
    """Add the `demo` command."""
    parser = sub.add_parser(
        "demo",
        help="watch a scripted run on the built-in virtual phone",
        description="Start the built-in virtual phone and carry out a multi-step task with "
        "scripted model replies, to see the agents work without any API key. " + SCRIPTED,
    )
    parser.add_argument(
        "--json", action="store_true", help="print the summary as JSON (progress goes to stderr)"
    )
    parser.add_argument("--max-steps", type=positive_int_arg, help="most actions in this run")
    parser.add_argument(
        "--prompts",
        action="store_true",
        help="print each agent's prompt as it is sent to the model, and the reply",
    )
    add_memory_options(parser)
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from mobile_agent.cli.run import (
        exit_code,
        make_runner,
        report,
        run_with_interrupt,
        show_prompts,
        start_virtual_phone,
    )
    from mobile_agent.cli.safety import make_gate
    from mobile_agent.config import data_dir, load_settings
    from mobile_agent.demo import load_demo
    from mobile_agent.llm.scripted import ScriptedChatModel

    demo = load_demo()
    settings = load_settings({"max_steps": args.max_steps})
    data_dir("locks")  # a data directory we cannot write to fails here, before anything runs
    model = ScriptedChatModel(demo.replies, name=f"scripted:demo-{demo.name}")
    out = sys.stderr if args.json else sys.stdout
    print(SCRIPTED, file=out)
    with ExitStack() as stack:
        memory = stack.enter_context(open_memory(args, settings, demo.task, out, model=model))
        device, server = start_virtual_phone(stack, out)
        gate = make_gate(args, settings, out, demo.task)
        runner = make_runner(device, model, settings, out, gate=gate, **memory.runner_options())
        memory.attach(runner)
        show_prompts(runner, args, out)
        outcome = run_with_interrupt(runner, demo.task, settings.stop_grace_s)
        memory.learn(model, interrupted=outcome.interrupted)
        memory_fields = memory.report_fields()
        result = outcome.result
        verified = result.succeeded and demo.verify(server.phone.app_state)
    extra = {"scripted": True, "verified": verified, **memory_fields}
    if outcome.interrupted:
        extra["interrupted"] = True
    report(result, as_json=args.json, out=out, extra=extra)
    if not args.json and not outcome.interrupted:
        status = "confirmed" if verified else "NOT found"
        print(f"Checked on the phone: the note is {status}.", file=out)
    if not args.json:
        print("Reminder: the model replies in this run were scripted.", file=out)
    return exit_code(outcome, verified)
