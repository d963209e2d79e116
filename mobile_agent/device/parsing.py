"""Pure parsers for what a device prints: focus, keyboard, PNG header, hierarchy bits."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from xml.etree import ElementTree

_FOCUS_RE = re.compile(r"mCurrentFocus=Window\{[^}]*?\s(?P<package>[\w.]+)/(?P<activity>[\w.$]+)\}")
_FOCUSED_APP_RE = re.compile(
    r"(?:mFocusedApp|mResumedActivity)[=:].*?ActivityRecord\{\S+\s+\S+\s+(?P<package>[\w.]+)/(?P<activity>[\w.$]+)"
)
_INPUT_SHOWN_RE = re.compile(r"\bmInputShown=(true|false)")
_ROTATION_RE = re.compile(r"<hierarchy[^>]*\brotation=\"(\d)\"")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def full_activity(package: str, activity: str) -> str:
    """``.MainActivity`` of ``com.x`` → ``com.x.MainActivity``; full names stay as they are."""
    return package + activity if activity.startswith(".") else activity


def parse_focus(dumpsys_window: str) -> tuple[str, str]:
    """(package, full activity) of the focused window from ``dumpsys window windows``
    (or ``dumpsys activity activities``); ("", "") when nothing app-like has focus."""
    match = _FOCUS_RE.search(dumpsys_window) or _FOCUSED_APP_RE.search(dumpsys_window)
    if not match:
        return "", ""
    package = match.group("package")
    return package, full_activity(package, match.group("activity"))


def parse_input_shown(dumpsys_input_method: str) -> bool:
    """Whether ``dumpsys input_method`` reports the soft keyboard as shown."""
    match = _INPUT_SHOWN_RE.search(dumpsys_input_method)
    return bool(match and match.group(1) == "true")


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; ValueError if `png` is not a PNG."""
    if len(png) < 24 or not png.startswith(PNG_MAGIC) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def hierarchy_rotation(xml: str) -> int:
    """The ``rotation`` attribute of ``<hierarchy>`` (0 when absent)."""
    match = _ROTATION_RE.search(xml[:512])
    return int(match.group(1)) if match else 0


@dataclass(frozen=True, slots=True)
class FocusedField:
    """The focused node of a hierarchy dump, as far as text input cares."""

    text: str
    hint: str
    class_name: str
    password: bool

    @property
    def current_text(self) -> str:
        """The text the user typed (an empty field reports its hint as its text)."""
        if self.hint and self.text == self.hint:
            return ""
        return self.text


_EDITABLE_CLASS_HINTS = ("EditText", "AutoCompleteTextView", "TextField", "TextInput")


def focused_field(xml: str) -> FocusedField | None:
    """The focused text field of a hierarchy dump, or None.

    Several windows may each report a focused node (status bar, keyboard keys): only a
    focused node whose class is a text field counts (the last one in document order).
    """
    try:
        root = ElementTree.fromstring(xml.encode("utf-8"))
    except ElementTree.ParseError:
        return None
    focused = [node for node in root.iter("node") if node.get("focused") == "true"]
    editable = [n for n in focused if any(h in n.get("class", "") for h in _EDITABLE_CLASS_HINTS)]
    if not editable:
        return None
    found = editable[-1]
    return FocusedField(
        text=found.get("text", ""),
        hint=found.get("hint", ""),
        class_name=found.get("class", ""),
        password=found.get("password") == "true",
    )


def parse_wm_size(output: str) -> tuple[int, int] | None:
    """(width, height) from ``wm size`` (the override size wins over the physical one)."""
    sizes = dict(re.findall(r"(Physical|Override) size:\s*(\d+x\d+)", output))
    value = sizes.get("Override") or sizes.get("Physical")
    if not value:
        return None
    width, height = value.split("x")
    return int(width), int(height)
