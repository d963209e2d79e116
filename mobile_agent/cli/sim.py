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
_STATE_PARTS = {  # what the parts of a saved state must be, where present
    "apps": "a table of app states by package",
    "settings": "a table of setting tables by namespace",
    "notifications": "a list of notifications",
    "clipboard": "the clipboard text or null",
}
_KINDS: dict[str, type | tuple[type, ...]] = {
    "apps": dict,
    "settings": dict,
    "notifications": list,
    "clipboard": (str, type(None)),
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
        "--size",
        type=size_arg,
        help="screen size in pixels, WIDTHxHEIGHT (default 1080x2400), e.g. 720x1600",
    )
    start.add_argument(
        "--density",
        type=density_arg,
        help="screen density in dpi (default 420 at 1080 pixels wide, the same dp width at "
        "other sizes), e.g. 320",
    )
    start.add_argument(
        "--connect",
        action="store_true",
        help="also run `adb connect` so that it shows in `adb devices`",
    )
    start.set_defaults(handler=_start)
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def size_arg(text: str) -> tuple[int, int]:
    """A screen size, WIDTHxHEIGHT, that the virtual phone can simulate."""
    from virtual_phone.display import Display

    try:
        return Display.parse(text).size
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def density_arg(text: str) -> int:
    """A screen density in dots per inch, e.g. 320."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a density; write whole dpi, e.g. 320")
    return int(text)


def make_phone(args: argparse.Namespace) -> Any:
    """The phone `sim start` serves, of the size and density asked for (`UsageError` when
    the two do not fit together)."""
    from virtual_phone.contract import HEIGHT, WIDTH
    from virtual_phone.phone import Phone

    try:
        return Phone(seed=args.seed, size=args.size or (WIDTH, HEIGHT), density=args.density)
    except ValueError as exc:
        raise UsageError(f"--density {args.density}: {exc}") from None


def _start(args: argparse.Namespace) -> int:
    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(
        port=args.port, seed=args.seed, host=args.host, phone=make_phone(args)
    )
    if args.state:
        load_state_file(server.phone, args.state)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())  # before anyone is told we run
    server.start()
    attached = False
    try:
        print(f"Virtual phone running: serial {server.serial}")
        print(f"Attach any adb tool with:  adb connect {server.serial}")
        attached = args.connect and _attach(server.serial)
        print("Press Ctrl-C to stop.", flush=True)
        while not stopped.wait(0.5):  # Ctrl-C raises KeyboardInterrupt here
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if attached:
            from mobile_agent.device.transport import adb_disconnect

            adb_disconnect(server.serial)
        server.stop()
        print("Virtual phone stopped.")
    return 0


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
    problem = state_problem(data, reference=phone.state())
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


def state_problem(data: Any, reference: dict[str, Any]) -> str:
    """What is wrong with the shape of a saved state, judged against `reference`, the state
    of a phone as it saves it ("" when nothing)."""
    parts = ", ".join(reference)
    if not isinstance(data, dict):
        return f"expected a JSON object with {parts}"
    unknown = sorted(set(data) - set(reference))
    if unknown:
        return f"unknown entries {unknown}; a saved state has: {parts}"
    if "format" in data and data["format"] != reference.get("format"):
        return f"format {data['format']!r} is not the supported format {reference.get('format')}"
    for name, what in _STATE_PARTS.items():
        if name in data and not isinstance(data[name], _KINDS[name]):
            return f"{name!r} must be {what}"
    apps = data.get("apps", {})
    missing = sorted(set(apps) - set(reference.get("apps", {})))
    if missing:
        installed = ", ".join(sorted(reference.get("apps", {})))
        return f"apps not on the phone: {missing} (installed: {installed})"
    if not all(isinstance(v, dict) for v in [*apps.values(), *data.get("settings", {}).values()]):
        return "each app state and each settings namespace must be a JSON object"
    if not all(isinstance(n, dict) for n in data.get("notifications", [])):
        return "each notification must be a JSON object"
    return ""
