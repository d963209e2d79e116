"""Latency of the virtual phone through the real client stack.

Starts a fresh virtual phone and a private adb server, then prints the median latency of a
uiautomator2 `deviceInfo` RPC, `screenshot()`, `dump_hierarchy()` and adbutils
`shell("echo")`, plus the same RPC through a second client whose device sockets get
TCP_NODELAY from the device layer's own scoped fix (`transport.enable_tcp_nodelay`):
uiautomator2 sends HTTP headers and body in separate writes, so Nagle's algorithm delays
them. No library is patched; the plain client stays as the libraries make it::

    mobile-agent bench phone --runs 30
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mobile_agent.bench.common import free_port, private_adb_server

if TYPE_CHECKING:
    import adbutils


def median_ms(call: Callable[[], Any], runs: int) -> float:
    """Median wall time of `runs` calls (after one warm-up call), in milliseconds."""
    call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def nodelay_device(serial: str) -> adbutils.AdbDevice:
    """An adb device object of `serial`, of its own, whose sockets send without delay
    (TCP_NODELAY): a uiautomator2 client made from it gets the fix, other clients do not."""
    from mobile_agent.device.transport import CallTimeout, adb_client, enable_tcp_nodelay

    device = adb_client().device(serial)
    enable_tcp_nodelay(device, CallTimeout())
    return device


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
            fast = u2.connect(nodelay_device(server.serial))
            rows.append(
                (
                    "u2 deviceInfo RPC, client TCP_NODELAY",
                    median_ms(lambda: fast.jsonrpc.deviceInfo(), runs),
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
