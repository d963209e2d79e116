"""`mobile-agent sim`: run the built-in virtual phone."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_PORT = 6555  # outside the emulator range 5555–5585 that adb scans by itself


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
        type=int,
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
    import json
    from pathlib import Path

    from virtual_phone.server import VirtualPhoneServer

    server = VirtualPhoneServer(port=args.port, seed=args.seed, host=args.host)
    if args.state:
        server.phone.load_state(json.loads(Path(args.state).read_text(encoding="utf-8")))
    server.start()
    print(f"Virtual phone running: serial {server.serial}")
    print(f"Attach any adb tool with:  adb connect {server.serial}")
    if args.connect:
        _adb("connect", server.serial)
    print("Press Ctrl-C to stop.", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if args.connect:
            _adb("disconnect", server.serial)
        server.stop()
        print("Virtual phone stopped.")
    return 0


def _adb(verb: str, serial: str) -> None:
    """`adb connect|disconnect SERIAL` through the adb server adbutils uses."""
    import adbutils

    from mobile_agent.device.transport import adb_client

    client = adb_client()
    try:
        if verb == "connect":
            print(client.connect(serial, timeout=10))
        else:
            client.disconnect(serial)
    except (adbutils.AdbError, OSError) as exc:
        print(f"adb {verb} failed ({exc}); run `adb {verb} {serial}` yourself.")
