"""Throughput of `mobile-agent batch` with 1, 2 and 4 virtual phones, side by side.

Each phone is served by its own process (`mobile-agent sim start`), as separate phones are,
and attached to a private adb server. The same tasks (the scripted demo: open Notes, write
a note, save it) run through the batch machinery of the command (`Batch`, with the runner,
memory store and safety gate built as `batch` builds them); the table gives tasks per
minute and the speed-up over one phone::

    mobile-agent bench batch --tasks 8
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from mobile_agent.bench.common import free_port, private_adb_server
from mobile_agent.cli.args import positive_int_arg

log = logging.getLogger(__name__)

DEVICE_COUNTS = (1, 2, 4)
_START_S = 60.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of this benchmark."""
    parser.add_argument(
        "--tasks", type=positive_int_arg, default=8, help="tasks per batch (default 8)"
    )


def run(args: argparse.Namespace) -> int:
    """Run the batch with 1, 2 and 4 phones and print the table."""
    rows = []
    with private_adb_server(), _phones(max(DEVICE_COUNTS)) as serials:
        for count in DEVICE_COUNTS:
            rows.append((count, *measure(serials[:count], args.tasks)))
    base = rows[0][3]
    print(f"batch of {args.tasks} scripted demo tasks (virtual phones, one process each)")
    print("phones  succeeded  wall s  tasks/min  vs 1 phone")
    for count, good, wall, per_min in rows:
        done = f"{good}/{args.tasks}"
        print(f"{count:>6}  {done:>9}  {wall:6.1f}  {per_min:9.1f}  {per_min / base:9.2f}x")
    return 0


def measure(serials: list[str], tasks: int) -> tuple[int, float, float]:
    """Succeeded tasks, wall seconds and tasks per minute of one batch over `serials`."""
    from mobile_agent.cli.batch import open_device, scripted_models, task_runner
    from mobile_agent.config import load_settings
    from mobile_agent.fleet import Batch, BatchTask

    settings = load_settings()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        options = argparse.Namespace(db=Path(tmp) / "memory.db", no_memory=False)
        work = [BatchTask(i, f"Write the groceries note ({i + 1})") for i in range(tasks)]
        batch = Batch(work, serials, open_device, task_runner(options, settings, scripted_models()))
        started = time.perf_counter()
        results = batch.run()
        wall = time.perf_counter() - started
    good = sum(r.succeeded for r in results)
    return good, wall, tasks / wall * 60


@contextlib.contextmanager
def _phones(count: int) -> Iterator[list[str]]:
    """`count` virtual phones, each served by its own process and `adb connect`-ed."""
    from mobile_agent.device.discovery import server_client

    client = server_client()  # starts the private adb server quietly
    procs, serials = [], []
    try:
        for _ in range(count):
            port = free_port()
            command = [sys.executable, "-m", "mobile_agent", "sim", "start", "--port", str(port)]
            procs.append(
                subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
            _wait_listening(port)
            serial = f"127.0.0.1:{port}"
            client.connect(serial, timeout=10)
            serials.append(serial)
        yield serials
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + _START_S
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        time.sleep(0.1)
    raise RuntimeError(f"the virtual phone on port {port} did not start within {_START_S:g} s")
