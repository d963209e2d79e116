"""VirtualPhoneServer's life cycle: ports, start/stop, context manager, serve_forever."""

from __future__ import annotations

import socket
import struct
import threading

import pytest
from conftest import free_port

from virtual_phone.errors import StartError
from virtual_phone.phone import Phone
from virtual_phone.server import VirtualPhoneServer

pytestmark = pytest.mark.e2e


def accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            return True
    except OSError:
        return False


def test_port_zero_picks_a_free_port_and_stop_is_idempotent() -> None:
    server = VirtualPhoneServer(port=0).start()
    try:
        assert server.port > 0
        assert server.serial == f"127.0.0.1:{server.port}"
        assert accepts(server.port)
        assert server.start() is server  # already running
    finally:
        server.stop()
    assert not accepts(server.port)
    server.stop()


def test_stop_closes_open_connections() -> None:
    cnxn = struct.pack("<6I", 0x4E584E43, 0x01000001, 4096, 7, 0, 0x4E584E43 ^ 0xFFFFFFFF)
    with VirtualPhoneServer(port=free_port()) as server:
        client = socket.create_connection(("127.0.0.1", server.port), timeout=15)
        client.sendall(cnxn + b"host::\0")
        assert len(client.recv(24, socket.MSG_WAITALL)) == 24  # the device answered
    client.recv(4096, socket.MSG_WAITALL)  # the rest of the banner, then end of stream
    assert client.recv(10) == b""
    client.close()


def test_a_busy_port_is_a_start_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = VirtualPhoneServer(port=taken.getsockname()[1])
        with pytest.raises(StartError):
            server.start()


def test_serve_forever_returns_after_stop() -> None:
    phone = Phone(seed=3)
    server = VirtualPhoneServer(port=free_port(), phone=phone)
    assert server.phone is phone
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        assert server.wait_until_serving(30)
        assert accepts(server.port)
    finally:
        server.stop()
        thread.join(30)
    assert not thread.is_alive()


@pytest.mark.parametrize("port", [-1, 70000])
def test_a_port_out_of_range_is_a_start_error(port: int) -> None:
    server = VirtualPhoneServer(port=port)
    with pytest.raises(StartError, match="0-65535"):
        server.start()
    server.stop()
