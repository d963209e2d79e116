"""ADB wire format: the 24-byte packet header and the device's CNXN banner."""

from __future__ import annotations

import struct
from dataclasses import dataclass

A_CNXN = 0x4E584E43
A_OPEN = 0x4E45504F
A_OKAY = 0x59414B4F
A_WRTE = 0x45545257
A_CLSE = 0x45534C43
A_AUTH = 0x48545541
A_STLS = 0x534C5453

VERSION = 0x01000001
MAX_PAYLOAD = 1024 * 1024
HEADER = struct.Struct("<6I")

COMMAND_NAMES = {
    A_CNXN: "CNXN",
    A_OPEN: "OPEN",
    A_OKAY: "OKAY",
    A_WRTE: "WRTE",
    A_CLSE: "CLSE",
    A_AUTH: "AUTH",
    A_STLS: "STLS",
}

# Features the host may rely on. delayed_ack, sendrecv_v2 and abb are deliberately absent:
# they switch the host to framings this device does not speak.
FEATURES = (
    "shell_v2",
    "cmd",
    "stat_v2",
    "ls_v2",
    "fixed_push_mkdir",
    "apex",
    "fixed_push_symlink_timestamp",
    "remount_shell",
)


class ProtocolError(Exception):
    """The peer sent bytes that are not a valid ADB packet."""


@dataclass(frozen=True, slots=True)
class Packet:
    """One ADB packet: a command, two arguments and a payload."""

    command: int
    arg0: int
    arg1: int
    payload: bytes = b""

    @property
    def name(self) -> str:
        return COMMAND_NAMES.get(self.command, f"0x{self.command:08x}")


def checksum(payload: bytes) -> int:
    """The byte sum of a payload, as the header's data_check field."""
    return sum(payload) & 0xFFFFFFFF


def encode(packet: Packet) -> bytes:
    """Header and payload of a packet, ready for the socket."""
    header = HEADER.pack(
        packet.command,
        packet.arg0,
        packet.arg1,
        len(packet.payload),
        checksum(packet.payload),
        packet.command ^ 0xFFFFFFFF,
    )
    return header + packet.payload


def decode_header(data: bytes, max_payload: int = 16 * MAX_PAYLOAD) -> tuple[int, int, int, int]:
    """(command, arg0, arg1, payload length) of a 24-byte header; ProtocolError if invalid.

    Checksums are never verified: hosts speaking version 0x01000001 send zero.
    """
    command, arg0, arg1, length, _check, magic = HEADER.unpack(data)
    if command not in COMMAND_NAMES or magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad packet header {data.hex()}")
    if length > max_payload:
        raise ProtocolError(f"payload of {length} bytes is too large")
    return command, arg0, arg1, length


def banner(props: dict[str, str]) -> bytes:
    """The device's CNXN banner: identity properties and features."""
    keys = ("ro.product.name", "ro.product.model", "ro.product.device")
    fields = "".join(f"{key}={props.get(key, '')};" for key in keys)
    return f"device::{fields}features={','.join(FEATURES)}".encode()
