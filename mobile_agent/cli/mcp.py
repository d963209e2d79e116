"""`mobile-agent mcp`: serve the phone tools to an MCP client over stdio."""

from __future__ import annotations

import argparse
from typing import Any

from mobile_agent.cli.args import UsageError

CLIENT_CONFIG = """\
{"mcpServers": {"mobile-agent": {"command": "mobile-agent", "args": ["mcp"]}}}"""


def register(sub: Any) -> None:
    """Add the `mcp` command."""
    parser = sub.add_parser(
        "mcp",
        help="serve the phone tools to an MCP client (stdio)",
        description="Serve list_devices, observe, act, confirm, run_task, list_shortcuts and "
        "run_shortcut over the Model Context Protocol on stdin / stdout. Every action passes "
        "the safety gate; consequential ones are put to the client's user, or held with a "
        f"one-time confirmation token. A client's configuration: {CLIENT_CONFIG}",
    )
    parser.add_argument(
        "--device",
        help="the device the tools use when they name none: a serial, or 'virtual' "
        "(default: the `device` setting, else the only attached one)",
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from mobile_agent.config import load_settings

    try:
        from mobile_agent.mcp.server import serve
    except ModuleNotFoundError as exc:
        if exc.name != "mcp" and not str(exc.name).startswith("mcp."):
            raise
        raise UsageError(
            "the MCP server needs the mcp package: pip install 'mobile-agent[mcp]'"
        ) from None
    serve(load_settings(), args.device)
    return 0
