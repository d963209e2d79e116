"""`mobile-agent bench phone`: the TCP_NODELAY client is its own; nothing is patched globally."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from adbutils import Network

from mobile_agent.bench.phone import nodelay_device
from mobile_agent.cli import main
from mobile_agent.device.transport import adb_client

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

U2_PORT = 9008  # where the uiautomator2 server listens on the device


def nodelay(sock: socket.socket) -> int:
    with sock:
        return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_only_the_nodelay_device_sets_tcp_nodelay(u2_device: Any) -> None:
    serial = u2_device.serial
    assert u2_device.info["displayWidth"] > 0  # the uiautomator2 server runs
    fast = nodelay_device(serial)
    assert nodelay(fast.create_connection(Network.TCP, U2_PORT)) != 0
    assert nodelay(adb_client().device(serial).create_connection(Network.TCP, U2_PORT)) == 0


def test_bench_phone_prints_both_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "phone", "--runs", "2"]) == 0
    rows = dict(line.rsplit(None, 1) for line in capsys.readouterr().out.splitlines()[1:])
    assert {"u2 deviceInfo RPC", "u2 deviceInfo RPC, client TCP_NODELAY"} <= {
        name.strip() for name in rows
    }
    assert all(float(v.rstrip("x")) > 0 for v in rows.values())
