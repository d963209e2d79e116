"""The `mobile-agent` command.

Each sub-command lives in its own module under `mobile_agent.cli` and exposes
``register(subparsers)``; heavy imports happen inside the handlers, so `--help` is instant.
A handler returns the process exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from mobile_agent.errors import MobileAgentError
from mobile_agent.logs import setup_logging
from virtual_phone.errors import VirtualPhoneError

log = logging.getLogger(__name__)

# Sub-command modules, in the order `--help` lists them.
COMMANDS = ("run", "demo", "sim", "devices", "inspect", "bench", "config", "doctor")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="mobile-agent",
        description="Carry out tasks on an Android phone with a team of LLM agents.",
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"mobile_agent.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"mobile_agent.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(verbosity=args.verbose)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except (MobileAgentError, VirtualPhoneError) as exc:
        log.debug("command failed", exc_info=True)
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
