"""App and activity base classes and the host interface apps use to reach the phone."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from ..ui.views import ScrollState, View


class Host(Protocol):
    """What an app may ask of the phone."""

    def toast(self, text: str) -> None: ...
    def start_activity(self, activity: Activity) -> None: ...
    def finish(self, activity: Activity) -> None: ...
    def launch(self, package: str) -> bool: ...
    def open_url(self, url: str) -> bool: ...
    def hide_keyboard(self) -> None: ...
    def notify(self, package: str, title: str, text: str) -> None: ...
    def write_file(self, path: str, data: bytes) -> None: ...


@dataclass
class Dialog:
    """An alert dialog: title, message and (label, action) buttons, positive last."""

    title: str
    message: str = ""
    buttons: list[tuple[str, Callable[[], None]]] = field(default_factory=list)


class Activity:
    """One screen of an app. `build()` returns the content view from app state."""

    name: ClassVar[str] = ""

    def __init__(self, app: App) -> None:
        self.app = app
        self.focus: str | None = None
        self.dialog: Dialog | None = None
        self._scrolls: dict[str, ScrollState] = {}

    @property
    def host(self) -> Host:
        return self.app.host

    def rid(self, name: str) -> str:
        """A resource id in the app's package."""
        return f"{self.app.package}:id/{name}"

    def scroll(self, key: str) -> ScrollState:
        """The persistent scroll state of the list named `key`."""
        return self._scrolls.setdefault(key, ScrollState())

    def title(self) -> str:
        """A short title of the screen (shown in recents)."""
        return self.app.label

    def build(self) -> View:
        """The content view of this screen."""
        raise NotImplementedError

    def on_back(self) -> bool:
        """Handle BACK inside the activity; True when consumed."""
        return False

    def on_finish(self) -> None:
        """Called when the activity is popped off its stack."""

    def show_dialog(self, dialog: Dialog) -> None:
        """Open an alert dialog over this activity."""
        self.dialog = dialog

    def close_dialog(self) -> None:
        """Dismiss the current dialog."""
        self.dialog = None

    def finish(self) -> None:
        """Leave this screen."""
        self.host.finish(self)


class App:
    """An installed app with JSON-serialisable state and a set of activities."""

    package: ClassVar[str] = ""
    label: ClassVar[str] = ""
    main_activity: ClassVar[str] = ""  # full class name
    system: ClassVar[bool] = True
    launcher: ClassVar[bool] = True
    icon: ClassVar[str] = "star"
    icon_bg: ClassVar[str] = "#1a56c8"
    version_name: ClassVar[str] = "1.0"
    version_code: ClassVar[int] = 1

    def __init__(self, host: Host, seed: int = 0) -> None:
        self.host = host
        self.seed = seed
        self.state: dict[str, Any] = self.initial_state(seed)

    def initial_state(self, seed: int) -> dict[str, Any]:
        """Seeded contents, as after `Phone.reset()`."""
        return {}

    def empty_state(self) -> dict[str, Any]:
        """Contents after `pm clear` (a fresh install)."""
        return self.initial_state(self.seed)

    def activity_names(self) -> list[str]:
        """Full class names of the activities `am start -n` may name."""
        return [self.main_activity]

    def create_activity(self, name: str | None = None) -> Activity | None:
        """A new instance of the named activity (the main one when None)."""
        raise NotImplementedError

    def public_state(self) -> dict[str, Any]:
        """A deep copy of the state for validators."""
        return copy.deepcopy(self.state)

    def load(self, state: dict[str, Any]) -> None:
        """Replace the state (missing keys keep their initial values)."""
        fresh = self.initial_state(self.seed)
        fresh.update(copy.deepcopy(state))
        self.state = fresh

    def full_name(self, activity: str) -> str:
        """Expand a relative activity name (".Main") to a full class name."""
        return self.package + activity if activity.startswith(".") else activity
