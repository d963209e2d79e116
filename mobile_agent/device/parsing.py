"""Pure parsers for what a device prints: focus, keyboard, PNG header, screen size.

Hierarchy XML is read by perception (`mobile_agent.perception.load_hierarchy`), not here.
"""

from __future__ import annotations

import re
import struct

_FOCUS_RE = re.compile(r"mCurrentFocus=Window\{[^}]*?\s(?P<package>[\w.]+)/(?P<activity>[\w.$]+)\}")
_FOCUSED_APP_RE = re.compile(
    r"(?:mFocusedApp|mResumedActivity)[=:].*?ActivityRecord\{\S+\s+\S+\s+(?P<package>[\w.]+)/(?P<activity>[\w.$]+)"
)
_INPUT_SHOWN_RE = re.compile(r"\bmInputShown=(true|false)")
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


def parse_wm_size(output: str) -> tuple[int, int] | None:
    """(width, height) from ``wm size`` (the override size wins over the physical one)."""
    sizes = dict(re.findall(r"(Physical|Override) size:\s*(\d+x\d+)", output))
    value = sizes.get("Override") or sizes.get("Physical")
    if not value:
        return None
    width, height = value.split("x")
    return int(width), int(height)
