"""Latency of the virtual phone through the real client stack.

Starts a fresh virtual phone and a private adb server, then prints the median latency of a
uiautomator2 `deviceInfo` RPC, `screenshot()`, `dump_hierarchy()` and adbutils
`shell("echo")`, plus the same RPC with TCP_NODELAY set on the client socket (uiautomator2
sends HTTP headers and body in separate writes, so Nagle's algorithm delays it)::

    mobile-agent bench phone --runs 30
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from mobile_agent.bench.common import free_port, private_adb_server


def median_ms(call: Callable[[], Any], runs: int) -> float:
    """Median wall time of `runs` calls (after one warm-up call), in milliseconds."""
    call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


@contextlib.contextmanager
def client_nodelay() -> Iterator[None]:
    """Set TCP_NODELAY on the sockets uiautomator2 opens for its HTTP requests."""
    from uiautomator2 import core

    original = core.AdbHTTPConnection.connect

    def connect(self: Any) -> None:
        original(self)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    core.AdbHTTPConnection.connect = connect  # type: ignore[method-assign]
    try:
        yield
    finally:
        core.AdbHTTPConnection.connect = original  # type: ignore[method-assign]


def measure(runs: int) -> list[tuple[str, float]]:
    """(name, median ms) for each measured call, against a fresh phone."""
    import adbutils
    import uiautomator2 as u2

    from virtual_phone.server import VirtualPhoneServer

    with VirtualPhoneServer(port=free_port()) as server:
        adbutils.adb.connect(server.serial, timeout=10)
        try:
            d = u2.connect(server.serial)
            dev = adbutils.adb.device(server.serial)
            rows = [
                ("u2 deviceInfo RPC", median_ms(lambda: d.jsonrpc.deviceInfo(), runs)),
                ("u2 screenshot()", median_ms(d.screenshot, runs)),
                ("u2 dump_hierarchy()", median_ms(d.dump_hierarchy, runs)),
                ("adbutils shell('echo')", median_ms(lambda: dev.shell("echo"), runs)),
            ]
            with client_nodelay():
                rows.append(
                    (
                        "u2 deviceInfo RPC, client TCP_NODELAY",
                        median_ms(lambda: d.jsonrpc.deviceInfo(), runs),
                    )
                )
        finally:
            adbutils.adb.disconnect(server.serial)
    return rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of this benchmark (also usable as a `mobile-agent bench` suite)."""
    parser.add_argument("--runs", type=int, default=30, help="calls per measurement")


def run(args: argparse.Namespace) -> int:
    """Measure against a fresh phone and a private adb server; print the table."""
    with private_adb_server():
        rows = measure(args.runs)
    width = max(len(name) for name, _ in rows)
    print(f"{'call':<{width}}  median ms  (n={args.runs})")
    for name, value in rows:
        print(f"{name:<{width}}  {value:9.1f}")
    plain, nodelay = rows[0][1], rows[-1][1]
    print(f"{'deviceInfo: plain / TCP_NODELAY':<{width}}  {plain / nodelay:9.1f}x")
    return 0
