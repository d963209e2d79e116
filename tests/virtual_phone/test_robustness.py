"""Many clients at once, and bad clients: the virtual phone keeps serving everyone else."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import adbutils
import pytest

pytestmark = pytest.mark.e2e

A_CNXN, A_OPEN, A_WRTE = 0x4E584E43, 0x4E45504F, 0x45545257
THREADS = 8
CALLS_PER_THREAD = 50


def packet(command: int, arg0: int, arg1: int, payload: bytes = b"") -> bytes:
    header = struct.pack(
        "<6I", command, arg0, arg1, len(payload), sum(payload) & 0xFFFFFFFF, command ^ 0xFFFFFFFF
    )
    return header + payload


def raw_connection(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=15)
    sock.sendall(packet(A_CNXN, 0x01000001, 4096, b"host::\0"))
    header = sock.recv(24, socket.MSG_WAITALL)
    sock.recv(struct.unpack("<6I", header)[3], socket.MSG_WAITALL)
    return sock


def closed_by_device(sock: socket.socket) -> bool:
    """True when the device ended the connection (FIN, or RST if bytes were left unread)."""
    try:
        return sock.recv(100) == b""
    except ConnectionResetError:
        return True


def mixed_calls(dev: adbutils.AdbDevice, d: Any, phone: Any) -> list[Callable[[], bool]]:
    """Calls that each return True when their answer is right."""
    return [
        lambda: dev.shell("echo ok") == "ok",
        lambda: dev.getprop("ro.product.model") == "Pixel 7",
        lambda: tuple(dev.window_size()) == (1080, 2400),
        lambda: dev.shell2("ls /missing", v2=True).returncode == 1,
        lambda: dev.app_current().package == phone.current()[0],
        lambda: dev.sync.read_bytes("/sdcard/Download/readme.txt").startswith(b"Files"),
        lambda: d.info["displayWidth"] == 1080,
        lambda: d.dump_hierarchy().startswith("<?xml"),
        lambda: d.window_size() == (1080, 2400),
        lambda: d.shell("echo u2").output == "u2\n",
        lambda: d.screenshot().size == (1080, 2400),
        lambda: bool(d(text="Notes").exists) == ("Notes" in phone.hierarchy_xml()),
        lambda: dev.keyevent("KEYCODE_HOME") is None,
    ]


@pytest.mark.slow
def test_eight_threads_of_mixed_calls_without_errors(u2_device: Any, connected_phone: Any) -> None:
    dev = adbutils.adb.device(connected_phone.serial)
    calls = mixed_calls(dev, u2_device, connected_phone.phone)

    def worker(index: int) -> list[str]:
        failures = []
        for step in range(CALLS_PER_THREAD):
            which = (index * 7 + step) % len(calls)
            try:
                if not calls[which]():
                    failures.append(f"call {which} (thread {index}): wrong answer")
            except Exception as exc:
                failures.append(f"call {which} (thread {index}): {exc!r}")
        return failures

    with ThreadPoolExecutor(THREADS) as pool:
        failures = [f for result in pool.map(worker, range(THREADS)) for f in result]
    assert failures == []


class Counter:
    """Counts successful calls of a background client; lets the test wait for progress."""

    def __init__(self) -> None:
        self.count = 0
        self.errors: list[str] = []
        self.cond = threading.Condition()
        self.stop = threading.Event()

    def run(self, call: Callable[[], bool]) -> None:
        while not self.stop.is_set():
            try:
                ok = call()
            except Exception as exc:
                ok = False
                self.errors.append(repr(exc))
            with self.cond:
                self.count += int(ok)
                self.cond.notify_all()

    def wait_for_more(self, extra: int) -> bool:
        with self.cond:
            target = self.count + extra
            return self.cond.wait_for(lambda: self.count >= target, timeout=30)


def test_garbage_and_dropped_connections_end_only_themselves(connected_phone: Any) -> None:
    dev = adbutils.adb.device(connected_phone.serial)
    counter = Counter()
    client = threading.Thread(target=counter.run, args=(lambda: dev.shell("echo ok") == "ok",))
    client.start()
    try:
        assert counter.wait_for_more(3)
        port = connected_phone.port

        garbage = socket.create_connection(("127.0.0.1", port), timeout=15)
        garbage.sendall(b"GARBAGE!" * 16)
        assert closed_by_device(garbage)
        garbage.close()

        handshaken = raw_connection(port)
        handshaken.sendall(b"\xff" * 24)
        assert closed_by_device(handshaken)
        handshaken.close()

        dropped = raw_connection(port)
        dropped.sendall(packet(A_OPEN, 7, 0, b"exec:screencap -p\0"))
        dropped.recv(24, socket.MSG_WAITALL)  # OKAY
        assert struct.unpack("<6I", dropped.recv(24, socket.MSG_WAITALL))[0] == A_WRTE
        dropped.close()  # mid-stream, without acknowledging

        sending = raw_connection(port)
        sending.sendall(packet(A_OPEN, 8, 0, b"sync:\0"))
        okay = struct.unpack("<6I", sending.recv(24, socket.MSG_WAITALL))
        request = (
            b"SEND"
            + struct.pack("<I", 18)
            + b"/sdcard/half,33188"
            + b"DATA"
            + struct.pack("<I", 1000)
            + b"x" * 10
        )
        sending.sendall(packet(A_WRTE, 8, okay[1], request))
        sending.close()  # in the middle of a file

        assert counter.wait_for_more(5)
    finally:
        counter.stop.set()
        client.join(30)
    assert counter.errors == []
    assert connected_phone.phone.fs.stat("/sdcard/half") is None
    assert dev.shell("getprop ro.product.device") == "panther"
