"""What a device capture hands to perception: the artifact types both sides share.

`perception` owns these types so that it needs nothing from `device`; devices produce a
`Screen`, perception reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Screen:
    """One capture of the device: what perception works from."""

    png: bytes
    hierarchy_xml: str
    width: int
    height: int
    package: str = ""
    activity: str = ""
    keyboard_shown: bool = False
    rotation: int = 0
    captured_at: float = 0.0
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)
