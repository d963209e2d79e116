"""`mobile-agent sim`: run the built-in virtual phone."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import threading
from pathlib import Path
from typing import Any

from mobile_agent.cli.args import UsageError, port_arg

log = logging.getLogger(__name__)

DEFAULT_PORT = 6555  # outside the emulator range 5555–5585 that adb scans by itself
_STATE_PARTS = {
    "format": "the format version",
    "apps": "a table of app states by package",
    "settings": "a table of setting tables by namespace",
    "notifications": "a list of notifications",
    "clipboard": "the clipboard text",
}


def register(sub: Any) -> None:
    """Add the `sim` command group."""
    parser = sub.add_parser("sim", help="run the built-in virtual phone")
    sim_sub = parser.add_subparsers(dest="sim_command", metavar="SUBCOMMAND")
    start = sim_sub.add_parser(
        "start",
        help="serve a virtual phone in the foreground (Ctrl-C stops it)",
        description="Serve a virtual Android phone that any adb tool can attach to "
        "with `adb connect 127.0.0.1:PORT`. "
        "Several phones can run side by side on different ports.",
    )
    start.add_argument(
        "--port",
        type=port_arg,
        default=DEFAULT_PORT,
        help=f"TCP port (default {DEFAULT_PORT}; 0 = any free port)",
    )
    start.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    start.add_argument("--seed", type=int, default=0, help="seed for the phone's initial contents")
    start.add_argument("--state", help="load the phone's app state from this JSON file")
    start.add_argument(
        "--connect",
        action="store_true",
        help="also run `adb connect` so that it shows in `adb devices`",
    )
    start.set_defaults(handler=_start)
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def _start(args: argparse.Namespace) -> int:
    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(port=args.port, seed=args.seed, host=args.host)
    if args.state:
        load_state_file(server.phone, args.state)
    server.start()
    attached = False
    try:
        print(f"Virtual phone running: serial {server.serial}")
        print(f"Attach any adb tool with:  adb connect {server.serial}")
        attached = args.connect and _attach(server.serial)
        print("Press Ctrl-C to stop.", flush=True)
        _wait_for_stop()
    except KeyboardInterrupt:
        pass
    finally:
        if attached:
            from mobile_agent.device.transport import adb_disconnect

            adb_disconnect(server.serial)
        server.stop()
        print("Virtual phone stopped.")
    return 0


def _wait_for_stop() -> None:
    """Block until SIGTERM (Ctrl-C raises KeyboardInterrupt here)."""
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    while not stopped.wait(0.5):
        pass


def _attach(serial: str) -> bool:
    """`adb connect SERIAL` through the adb server adbutils uses; False when it failed."""
    import adbutils

    from mobile_agent.device.discovery import server_client
    from mobile_agent.errors import AdbServerError

    try:
        message = server_client(timeout_s=5).connect(serial, timeout=5)
    except (AdbServerError, adbutils.AdbError, OSError) as exc:
        print(f"adb connect failed: {exc}\nRun `adb connect {serial}` yourself once adb works.")
        return False
    print(message)
    return "connected" in message


def load_state_file(phone: Any, path: str) -> None:
    """Load a saved app state (`Phone.state()` output) into `phone`; `UsageError` if unusable."""
    data = _read_json(Path(path))
    problem = state_problem(data, installed=set(phone.state()["apps"]))
    if problem:
        raise UsageError(f"--state {path}: {problem}")
    try:
        phone.load_state(data)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise UsageError(f"--state {path}: not a saved phone state ({exc})") from None


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--state {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"--state {path}: cannot read it ({reason or exc})") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"--state {path}: not valid JSON ({exc})") from None


def state_problem(data: Any, installed: set[str]) -> str:
    """What is wrong with the shape of a saved phone state ("" when nothing)."""
    from virtual_phone.phone import STATE_FORMAT

    if not isinstance(data, dict):
        return f"expected a JSON object with {', '.join(_STATE_PARTS)}"
    unknown = sorted(set(data) - set(_STATE_PARTS))
    if unknown:
        return f"unknown entries {unknown}; a saved state has: {', '.join(_STATE_PARTS)}"
    if data.get("format", STATE_FORMAT) != STATE_FORMAT:
        return f"format {data['format']!r} is not the supported format {STATE_FORMAT}"
    expected: dict[str, type | tuple[type, ...]] = {
        "apps": dict,
        "settings": dict,
        "notifications": list,
        "clipboard": (str, type(None)),
    }
    for name, kind in expected.items():
        if name in data and not isinstance(data[name], kind):
            return f"{name!r} must be {_STATE_PARTS[name]}"
    apps = data.get("apps", {})
    missing = sorted(set(apps) - installed)
    if missing:
        return f"apps not on the phone: {missing} (installed: {', '.join(sorted(installed))})"
    if not all(isinstance(v, dict) for v in [*apps.values(), *data.get("settings", {}).values()]):
        return "each app state and each settings namespace must be a JSON object"
    if not all(isinstance(n, dict) for n in data.get("notifications", [])):
        return "each notification must be a JSON object"
    return ""
