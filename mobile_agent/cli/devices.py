"""`mobile-agent devices`: the phones, emulators and virtual phones adb can see."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from mobile_agent.cli.args import add_adb_option

_COLUMNS = ("serial", "model", "android", "screen", "state")
_NO_DEVICE_HINT = (
    "No devices attached. Connect a phone by USB with USB debugging on, run "
    "`adb connect HOST:PORT` for a network device, or start the virtual phone with "
    "`mobile-agent sim start --connect`."
)


def register(sub: Any) -> None:
    """Add the `devices` command."""
    parser = sub.add_parser(
        "devices",
        help="list attached phones, emulators and virtual phones",
        description="List every device the adb server knows: serial, model, Android "
        "version, screen size and state.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    add_adb_option(parser)
    parser.set_defaults(handler=_devices)


def _devices(args: argparse.Namespace) -> int:
    from mobile_agent.device import list_devices

    devices = list_devices()
    if args.json:
        print(json.dumps([d.to_json() for d in devices], indent=2))
        return 0
    if not devices:
        print(_NO_DEVICE_HINT)
        return 0
    rows = [(d.serial, d.model, d.android_version, d.screen_size, d.state) for d in devices]
    print(format_table(_COLUMNS, rows))
    for device in devices:
        if device.state == "unauthorized":
            print(f"\n{device.serial}: accept the 'Allow USB debugging?' prompt on the phone.")
        elif device.state == "offline":
            print(f"\n{device.serial}: offline; reconnect it or run `adb reconnect`.")
    return 0


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned plain-text columns."""
    cells = [list(header), *[[c or "-" for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)
