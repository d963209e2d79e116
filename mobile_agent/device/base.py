"""The narrow device contract every phone, emulator and the virtual phone satisfy.

`Screen`, what `Device.screen()` returns, is perception's artifact type (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from mobile_agent.perception.artifacts import Screen


class Key(StrEnum):
    """Hardware and navigation keys the agents may press."""

    BACK = "back"
    HOME = "home"
    ENTER = "enter"
    APP_SWITCH = "app_switch"
    DELETE = "delete"


class Direction(StrEnum):
    """Scroll / swipe directions (the direction the finger moves for swipes)."""

    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class AppInfo:
    """One installed launcher app."""

    package: str
    label: str
    activity: str = ""


@runtime_checkable
class Device(Protocol):
    """What the agents may do with a phone. Implementations raise `DeviceDisconnected`
    when the phone vanishes and `DeviceTimeout` when a call exceeds its limit."""

    serial: str

    @property
    def size(self) -> tuple[int, int]: ...

    def screen(self) -> Screen: ...

    def tap(self, x: int, y: int) -> None: ...

    def long_press(self, x: int, y: int, duration_s: float = 0.8) -> None: ...

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_s: float = 0.3) -> None: ...

    def scroll(self, direction: Direction, distance: float = 0.5) -> None: ...

    def type_text(self, text: str, *, clear: bool = False) -> None: ...

    def press(self, key: Key) -> None: ...

    def open_app(self, name_or_package: str) -> AppInfo: ...

    def current_app(self) -> tuple[str, str]: ...

    def installed_apps(self) -> list[AppInfo]: ...

    def close(self) -> None: ...
