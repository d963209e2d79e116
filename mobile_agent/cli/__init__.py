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

from mobile_agent import __version__
from mobile_agent.cli.args import UsageError, check_adb_environment, select_adb_server
from mobile_agent.errors import ConfigError, MobileAgentError
from mobile_agent.logs import setup_logging
from virtual_phone.errors import VirtualPhoneError

log = logging.getLogger(__name__)

# Sub-command modules, in the order `--help` lists them.
COMMANDS = (
    "run",
    "batch",
    "demo",
    "sim",
    "devices",
    "inspect",
    "tips",
    "shortcuts",
    "runs",
    "bench",
    "config",
    "doctor",
    "gui",
    "mcp",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="mobile-agent",
        description="Carry out tasks on an Android phone with a team of LLM agents.",
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)"
    )
    parser.add_argument("--version", action="version", version=f"mobile-agent {__version__}")
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
    try:
        check_adb_environment()  # before anything imports adbutils, which would crash on it
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(verbosity=args.verbose, level_name=_configured_log_level())
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        select_adb_server(args)  # --adb HOST:PORT, else the adb_server setting
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (MobileAgentError, VirtualPhoneError) as exc:
        log.debug("command failed", exc_info=True)
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _configured_log_level() -> str:
    """The `log_level` setting, read without creating anything; bad settings are reported
    by the command that uses them."""
    from mobile_agent.config import config_path, env_values, file_values

    try:
        values = file_values(config_path(create=False)) | env_values()
    except ConfigError:
        return "WARNING"
    level = values.get("log_level", "WARNING")
    return level if isinstance(level, str) else "WARNING"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
