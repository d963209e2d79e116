"""PNG headers: the size from the smallest valid header, and every malformed one refused
with the same error; package lists from `pm list packages`."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from mobile_agent.device.apps import parse_package_list
from mobile_agent.device.parsing import PNG_MAGIC, png_size


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, format="PNG")
    return out.getvalue()


def test_the_24_byte_header_alone_gives_the_size() -> None:
    assert png_size(_png(1080, 2400)[:24]) == (1080, 2400)


@pytest.mark.parametrize(
    "data",
    [
        _png(5, 7)[:23],  # cut inside the size
        PNG_MAGIC + struct.pack(">I", 13) + b"IHDR" + b"\x00\x00",  # magic and IHDR, too short
        PNG_MAGIC + struct.pack(">I", 13) + b"IDAT" + struct.pack(">II", 5, 7),  # no IHDR first
        b"GIF89a\x00\x00\x00\x00\x00\x00IHDR" + struct.pack(">II", 5, 7),  # IHDR, not a PNG
    ],
    ids=["cut", "short", "no-ihdr", "not-png"],
)
def test_a_malformed_header_is_not_a_png(data: bytes) -> None:
    with pytest.raises(ValueError, match=r"^not a PNG image$"):
        png_size(data)


def test_package_list_without_prefix_duplicates_or_other_lines() -> None:
    output = "package:com.b.two\npackage:com.a.one \nWARNING: linker\npackage:com.b.two\n"
    assert parse_package_list(output) == ["com.a.one", "com.b.two"]
