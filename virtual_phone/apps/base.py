"""App and activity base classes and the host interface apps use to reach the phone."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from ..contract import PackageInfo
from ..ui.views import ScrollState, View


class Host(Protocol):
    """What an app may ask of the phone (apps hold nothing else of it)."""

    def toast(self, text: str) -> None:
        """Show a short toast."""
        ...

    def start_activity(self, activity: Activity) -> None:
        """Open `activity` on top of its app's task."""
        ...

    def finish(self, activity: Activity) -> None:
        """Close `activity` (and anything above it)."""
        ...

    def launch(self, package: str) -> bool:
        """Bring another app to the front; False if it is not installed."""
        ...

    def hide_keyboard(self) -> None:
        """Close the on-screen keyboard."""
        ...

    def write_file(self, path: str, data: bytes) -> None:
        """Store a file on the phone."""
        ...

    def app_data(self, package: str) -> dict[str, Any]:
        """A read-only deep copy of another app's state ({} if it is not installed), as a
        content provider shares it."""
        ...


@dataclass
class Dialog:
    """An alert dialog: title, message and (label, action) buttons, positive last."""

    title: str
    message: str = ""
    buttons: list[tuple[str, Callable[[], None]]] = field(default_factory=list)


AppT = TypeVar("AppT", bound="App")


class Activity(Generic[AppT]):
    """One screen of an app (`Activity[ContactsApp]` types `self.app`). `build()` returns
    the content view from app state."""

    name: str = ""  # full class name; set by each subclass (or instance)

    def __init__(self, app: AppT) -> None:
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

    def confirm(
        self, title: str, message: str, action: str, on_confirm: Callable[[], None]
    ) -> None:
        """Ask with a Cancel / `action` dialog; `on_confirm` runs once the dialog is closed."""

        def confirmed() -> None:
            self.close_dialog()
            on_confirm()

        self.show_dialog(
            Dialog(title, message, [("Cancel", self.close_dialog), (action, confirmed)])
        )

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

    def activities(self) -> dict[str, Callable[[], Activity]]:
        """Factories of the activities `am start -n` may name, by full class name (the
        main activity among them)."""
        raise NotImplementedError

    def activity_names(self) -> list[str]:
        """Full class names of the activities `am start -n` may name."""
        return list(self.activities())

    def create_activity(self, name: str | None = None) -> Activity | None:
        """A new instance of the named activity (the main one when None); None if unknown."""
        factory = self.activities().get(name or self.main_activity)
        return factory() if factory is not None else None

    def package_info(self) -> PackageInfo:
        """The app as `pm` and `dumpsys package` report it."""
        return PackageInfo(
            self.package,
            self.label,
            self.main_activity,
            self.version_name,
            self.version_code,
            system=self.system,
            launcher=self.launcher,
        )

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
