"""Reads what `pm install` needs from an APK: the binary AndroidManifest.xml's package,
version, launcher activity and input-method services."""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass, field

RES_STRING_POOL = 0x0001
RES_XML_RESOURCE_MAP = 0x0180
RES_XML_START_ELEMENT = 0x0102
RES_XML_END_ELEMENT = 0x0103
UTF8_FLAG = 1 << 8
NO_INDEX = 0xFFFFFFFF
TYPE_STRING = 0x03
TYPE_INT_BOOLEAN = 0x12
ATTR_IDS = {
    0x01010003: "name",
    0x01010006: "permission",
    0x0101021B: "versionCode",
    0x0101021C: "versionName",
    0x01010001: "label",
}
BIND_INPUT_METHOD = "android.permission.BIND_INPUT_METHOD"


class ApkError(Exception):
    """The file is not an APK this phone can read."""


@dataclass
class ApkInfo:
    package: str
    version_name: str = "1.0"
    version_code: int = 1
    main_activity: str | None = None
    input_methods: list[str] = field(default_factory=list)  # "pkg/.Service"
    label: str = ""  # the application's android:label when it is a plain string


def read_apk(data: bytes) -> ApkInfo:
    """Manifest facts of an APK given as bytes; ApkError if it cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = archive.read("AndroidManifest.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ApkError(f"not an APK: {exc}") from None
    try:
        return _Manifest(manifest).parse()
    except (struct.error, IndexError, UnicodeDecodeError) as exc:
        raise ApkError(f"unreadable manifest: {exc}") from None


class _Manifest:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.strings: list[str] = []
        self.resource_ids: list[int] = []

    def parse(self) -> ApkInfo:
        info = ApkInfo(package="")
        stack: list[tuple[str, dict[str, str]]] = []
        filters: list[str] = []
        offset = struct.unpack_from("<H", self.data, 2)[0]
        while offset + 8 <= len(self.data):
            kind, _header, size = struct.unpack_from("<HHI", self.data, offset)
            if size < 8:
                break
            if kind == RES_STRING_POOL:
                self.strings = self._string_pool(offset)
            elif kind == RES_XML_RESOURCE_MAP:
                count = (size - 8) // 4
                self.resource_ids = list(struct.unpack_from(f"<{count}I", self.data, offset + 8))
            elif kind == RES_XML_START_ELEMENT:
                tag, attrs = self._element(offset)
                stack.append((tag, attrs))
                self._on_start(info, stack, filters)
            elif kind == RES_XML_END_ELEMENT and stack:
                self._on_end(info, stack, filters)
                stack.pop()
            offset += size
        if not info.package:
            raise ApkError("manifest has no package")
        return info

    def _on_start(
        self, info: ApkInfo, stack: list[tuple[str, dict[str, str]]], filters: list[str]
    ) -> None:
        tag, attrs = stack[-1]
        if tag == "manifest":
            info.package = attrs.get("package", "")
            info.version_name = attrs.get("versionName", info.version_name)
            code = attrs.get("versionCode", "1")
            info.version_code = int(code) if code.isdigit() else 1
        elif tag == "application":
            info.label = attrs.get("label", "") if attrs.get("label_type") == "string" else ""
        elif tag == "service" and attrs.get("permission") == BIND_INPUT_METHOD:
            info.input_methods.append(f"{info.package}/{_short(info.package, attrs['name'])}")
        elif tag in ("action", "category"):
            filters.append(attrs.get("name", ""))
        elif tag in ("activity", "activity-alias"):
            filters.clear()

    def _on_end(
        self, info: ApkInfo, stack: list[tuple[str, dict[str, str]]], filters: list[str]
    ) -> None:
        tag, attrs = stack[-1]
        is_launcher = {"android.intent.action.MAIN", "android.intent.category.LAUNCHER"}
        if (
            tag in ("activity", "activity-alias")
            and is_launcher <= set(filters)
            and info.main_activity is None
        ):
            info.main_activity = _short(info.package, attrs.get("name", ""))

    def _string_pool(self, offset: int) -> list[str]:
        count, _styles, flags, strings_start = struct.unpack_from("<IIII", self.data, offset + 8)
        header_size = struct.unpack_from("<H", self.data, offset + 2)[0]
        offsets = struct.unpack_from(f"<{count}I", self.data, offset + header_size)
        base = offset + strings_start
        utf8 = bool(flags & UTF8_FLAG)
        return [self._string(base + o, utf8) for o in offsets]

    def _string(self, pos: int, utf8: bool) -> str:
        data = self.data
        if utf8:
            pos += 2 if data[pos] & 0x80 else 1  # UTF-16 length, unused
            length = data[pos]
            if length & 0x80:
                length = ((length & 0x7F) << 8) | data[pos + 1]
                pos += 1
            return data[pos + 1 : pos + 1 + length].decode("utf-8", errors="replace")
        length = struct.unpack_from("<H", data, pos)[0]
        pos += 2
        if length & 0x8000:
            length = ((length & 0x7FFF) << 16) | struct.unpack_from("<H", data, pos)[0]
            pos += 2
        return data[pos : pos + 2 * length].decode("utf-16-le", errors="replace")

    def _element(self, offset: int) -> tuple[str, dict[str, str]]:
        ext = offset + 16
        _ns, name, attr_start, attr_size, attr_count = struct.unpack_from("<IIHHH", self.data, ext)
        attrs: dict[str, str] = {}
        for index in range(attr_count):
            pos = ext + attr_start + index * attr_size
            _ans, aname, raw, _size, _res0, dtype, value = struct.unpack_from(
                "<IIIHBBI", self.data, pos
            )
            key = self._attr_name(aname)
            if raw != NO_INDEX or dtype == TYPE_STRING:
                attrs[f"{key}_type"] = "string"
            if raw != NO_INDEX:
                attrs[key] = self.strings[raw]
            elif dtype == TYPE_STRING:
                attrs[key] = self.strings[value]
            elif dtype == TYPE_INT_BOOLEAN:
                attrs[key] = "true" if value else "false"
            else:
                attrs[key] = str(value)
        return self.strings[name], attrs

    def _attr_name(self, index: int) -> str:
        if index < len(self.resource_ids) and self.resource_ids[index] in ATTR_IDS:
            return ATTR_IDS[self.resource_ids[index]]
        return self.strings[index] if index < len(self.strings) else ""


def _short(package: str, name: str) -> str:
    if name.startswith(package + "."):
        return name[len(package) :]
    return name
