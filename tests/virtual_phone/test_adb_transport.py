"""The ADB transport byte by byte, with a minimal host written here from the protocol
description: handshake, stream refusal, flow control, splitting, closing."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from typing import Any

import pytest

from virtual_phone.adb.protocol import (
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_WRTE,
    Packet,
    ProtocolError,
    banner,
    decode_header,
    encode,
)

pytestmark = pytest.mark.e2e


class RawHost:
    """The host side of one ADB connection, packet by packet."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        self.next_id = 100

    def send(
        self, command: int, arg0: int, arg1: int, payload: bytes = b"", chunk: int = 0
    ) -> None:
        data = encode(Packet(command, arg0, arg1, payload))
        if not chunk:
            self.sock.sendall(data)
            return
        for offset in range(0, len(data), chunk):
            self.sock.sendall(data[offset : offset + chunk])

    def recv_exact(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return bytes(data)

    def recv(self) -> Packet:
        command, arg0, arg1, length = decode_header(self.recv_exact(24))
        return Packet(command, arg0, arg1, self.recv_exact(length) if length else b"")

    def connect(self) -> Packet:
        self.send(A_CNXN, 0x01000001, 1024 * 1024, b"host::features=shell_v2,cmd\0")
        reply = self.recv()
        assert reply.command == A_CNXN
        return reply

    def open(self, service: str) -> tuple[int, Packet]:
        self.next_id += 1
        self.send(A_OPEN, self.next_id, 0, service.encode() + b"\0")
        return self.next_id, self.recv()

    def read_stream(self, local: int) -> bytes:
        """Collect WRTE payloads (acknowledging each) until the device closes the stream."""
        data = bytearray()
        while True:
            packet = self.recv()
            assert packet.arg1 == local
            if packet.command == A_CLSE:
                return bytes(data)
            assert packet.command == A_WRTE
            data += packet.payload
            self.send(A_OKAY, local, packet.arg0)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def host(virtual_phone: Any) -> Iterator[RawHost]:
    client = RawHost(virtual_phone.port)
    yield client
    client.close()


def test_header_round_trip_and_validation() -> None:
    packet = Packet(A_WRTE, 1, 2, b"abc")
    data = encode(packet)
    assert len(data) == 24 + 3
    assert decode_header(data[:24]) == (A_WRTE, 1, 2, 3)
    assert struct.unpack("<6I", data[:24])[4] == sum(b"abc")
    broken = data[:20] + b"\0\0\0\0"
    with pytest.raises(ProtocolError):
        decode_header(broken)


def test_cnxn_banner_without_auth_or_other_framings(host: RawHost) -> None:
    reply = host.connect()
    assert reply.arg0 == 0x01000001
    text = reply.payload.decode()
    assert text.startswith("device::ro.product.name=panther;ro.product.model=Pixel 7;")
    features = text.split("features=")[1].split(",")
    assert {"shell_v2", "cmd", "stat_v2", "ls_v2", "fixed_push_mkdir"} <= set(features)
    assert not {"delayed_ack", "abb", "abb_exec", "sendrecv_v2"} & set(features)
    assert banner({"ro.product.name": "x"}).startswith(b"device::ro.product.name=x;")


def test_unknown_service_and_closed_port_are_refused(host: RawHost) -> None:
    host.connect()
    for service in ("nosuch:service", "tcp:9008", "localabstract:minicap"):
        remote, reply = host.open(service)
        assert (reply.command, reply.arg0, reply.arg1) == (A_CLSE, 0, remote)


def test_shell_v1_output_then_close(host: RawHost) -> None:
    host.connect()
    remote, reply = host.open("shell:echo hello; echo X4EXIT:$?")
    assert reply.command == A_OKAY
    assert reply.arg1 == remote
    local = reply.arg0
    assert host.read_stream(remote) == b"hello\nX4EXIT:0\n"
    host.send(A_CLSE, remote, local)


def test_packets_split_into_single_bytes_are_reassembled(host: RawHost) -> None:
    host.send(A_CNXN, 0x01000001, 4096, b"host::\0", chunk=1)
    assert host.recv().command == A_CNXN
    host.next_id += 1
    host.send(A_OPEN, host.next_id, 0, b"shell:getprop ro.product.device\0", chunk=1)
    assert host.recv().command == A_OKAY
    assert host.read_stream(host.next_id) == b"panther\n"


def test_device_waits_for_okay_before_the_next_write(host: RawHost) -> None:
    host.send(A_CNXN, 0x01000001, 4096, b"host::\0")  # small max payload: many chunks
    host.recv()
    remote, reply = host.open("exec:screencap -p")
    local = reply.arg0
    first = host.recv()
    assert first.command == A_WRTE
    assert len(first.payload) <= 4096
    host.sock.settimeout(0.3)
    with pytest.raises(TimeoutError):
        host.recv()  # nothing more until this write is acknowledged
    host.sock.settimeout(15)
    host.send(A_OKAY, remote, local)
    rest = host.read_stream(remote)
    png = first.payload + rest
    assert png.startswith(b"\x89PNG")
    assert len(png) > 4096


def test_two_streams_interleave(host: RawHost) -> None:
    host.connect()
    host.send(A_OPEN, 1, 0, b"shell:echo a; sleep 0.05; echo c\0")
    host.send(A_OPEN, 2, 0, b"shell:echo b\0")
    opened: dict[int, int] = {}
    seen: dict[int, bytes] = {1: b"", 2: b""}
    closed: set[int] = set()
    while closed != {1, 2}:
        packet = host.recv()
        if packet.command == A_OKAY:
            opened[packet.arg1] = packet.arg0
        elif packet.command == A_CLSE:
            closed.add(packet.arg1)
        else:
            assert packet.arg0 == opened[packet.arg1]
            seen[packet.arg1] += packet.payload
            host.send(A_OKAY, packet.arg1, packet.arg0)
    assert opened[1] != opened[2]
    assert seen == {1: b"a\nc\n", 2: b"b\n"}


def test_host_close_is_answered_and_ends_a_waiting_command(host: RawHost) -> None:
    host.connect()
    remote, reply = host.open("shell:sleep 600")
    host.send(A_CLSE, remote, reply.arg0)
    answer = host.recv()
    assert (answer.command, answer.arg0, answer.arg1) == (A_CLSE, reply.arg0, remote)
    _, again = host.open("shell:echo still")
    assert again.command == A_OKAY


def test_shell_v2_frames_stdout_stderr_and_exit(host: RawHost) -> None:
    host.connect()
    remote, _reply = host.open("shell,v2,raw:echo out; echo err >&2; exit 9")
    data = host.read_stream(remote)
    packets = []
    while data:
        kind, length = struct.unpack_from("<BI", data)
        packets.append((kind, data[5 : 5 + length]))
        data = data[5 + length :]
    assert packets == [(1, b"out\n"), (2, b"err\n"), (3, b"\x09")]


def test_shell_v2_stdin_packets_reach_the_command(host: RawHost) -> None:
    host.connect()
    remote, reply = host.open("shell,v2,raw:cat")
    local = reply.arg0
    for part in (b"li", b"ne\n"):
        host.send(A_WRTE, remote, local, struct.pack("<BI", 0, len(part)) + part)
        assert host.recv().command == A_OKAY
    host.send(A_WRTE, remote, local, struct.pack("<BI", 4, 0))
    assert host.recv().command == A_OKAY
    data = host.read_stream(remote)
    assert data == struct.pack("<BI", 1, 5) + b"line\n" + struct.pack("<BI", 3, 1) + b"\0"


def test_reverse_list_and_root_replies(host: RawHost) -> None:
    host.connect()
    remote, _ = host.open("reverse:list-forward")
    assert host.read_stream(remote) == b"0000"
    remote, _ = host.open("root:")
    assert b"cannot run as root" in host.read_stream(remote)


def test_framebuffer_header_and_pixels(host: RawHost, virtual_phone: Any) -> None:
    host.connect()
    remote, _ = host.open("framebuffer:")
    data = host.read_stream(remote)
    header = struct.unpack_from("<13I", data)
    assert header[:5] == (1, 32, 1080 * 2400 * 4, 1080, 2400)
    assert header[5:] == (0, 8, 16, 8, 8, 8, 24, 8)
    pixels = virtual_phone.phone.screenshot().convert("RGBA").tobytes()
    assert data[52:] == pixels
