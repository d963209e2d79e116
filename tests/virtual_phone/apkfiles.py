"""APK files for tests: a zip with a binary AndroidManifest.xml (Android's AXML chunks:
a UTF-8 string pool, the resource map of the android: attributes, element start and end
chunks), as `pm install` reads them."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator


def _utf8(text: str) -> bytes:
    data = text.encode()
    return bytes([len(text), len(data)]) + data + b"\0"


def axml(elements: list[tuple[str, dict[str, str]]]) -> bytes:
    """A binary AndroidManifest.xml: `elements` are (tag, attributes), a tag "/x" closes x.
    `name`, `permission`, `versionName` and `label` carry their android: resource ids."""
    resource_attrs = {
        "name": 0x01010003,
        "permission": 0x01010006,
        "versionName": 0x0101021C,
        "label": 0x01010001,
    }
    strings = [*resource_attrs, "package"]
    for tag, attrs in elements:
        for text in (tag.lstrip("/"), *attrs.values()):
            if text not in strings:
                strings.append(text)
    data = b"".join(_utf8(s) for s in strings)
    data += b"\0" * (-len(data) % 4)
    header = 28 + 4 * len(strings)
    pool = struct.pack("<HHIIIIII", 1, 28, header + len(data), len(strings), 0, 0x100, header, 0)
    pool += b"".join(struct.pack("<I", o) for o in _offsets(strings)) + data
    ids = list(resource_attrs.values())
    chunks = [
        pool,
        struct.pack("<HHI", 0x0180, 8, 8 + 4 * len(ids)) + struct.pack(f"<{len(ids)}I", *ids),
    ]
    for tag, attrs in elements:
        if tag.startswith("/"):
            chunks.append(
                struct.pack("<HHIIIiI", 0x0103, 16, 24, 0, 0xFFFFFFFF, -1, strings.index(tag[1:]))
            )
            continue
        body = struct.pack("<iIHHHHHH", -1, strings.index(tag), 20, 20, len(attrs), 0, 0, 0)
        for key, value in attrs.items():
            index = strings.index(value)
            body += struct.pack("<iIIHBBI", -1, strings.index(key), index, 8, 0, 3, index)
        chunks.append(struct.pack("<HHIII", 0x0102, 16, 16 + len(body), 0, 0xFFFFFFFF) + body)
    tree = b"".join(chunks)
    return struct.pack("<HHI", 3, 8, 8 + len(tree)) + tree


def _offsets(strings: list[str]) -> Iterator[int]:
    offset = 0
    for text in strings:
        yield offset
        offset += len(_utf8(text))


def apk(package: str, components: list[tuple[str, dict[str, str]]], label: str = "") -> bytes:
    """An APK (a zip with a binary manifest) declaring `components` in its application."""
    manifest = axml(
        [
            ("manifest", {"package": package, "versionName": "2.4-dev"}),
            ("application", {"label": label} if label else {}),
            *components,
            ("/application", {}),
            ("/manifest", {}),
        ],
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("AndroidManifest.xml", manifest)
        archive.writestr("classes.dex", b"dex\n035\0")
    return buffer.getvalue()


def adb_keyboard_apk() -> bytes:
    service = {
        "name": "com.android.adbkeyboard.AdbIME",
        "permission": "android.permission.BIND_INPUT_METHOD",
    }
    return apk("com.android.adbkeyboard", [("service", service), ("/service", {})], "ADB Keyboard")


def launcher_apk(package: str, label: str) -> bytes:
    return apk(
        package,
        [
            ("activity", {"name": f"{package}.MainActivity"}),
            ("intent-filter", {}),
            ("action", {"name": "android.intent.action.MAIN"}),
            ("/action", {}),
            ("category", {"name": "android.intent.category.LAUNCHER"}),
            ("/category", {}),
            ("/intent-filter", {}),
            ("/activity", {}),
        ],
        label,
    )
