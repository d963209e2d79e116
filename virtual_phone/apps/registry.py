"""The apps installed on the virtual phone."""

from __future__ import annotations

from .base import App, Host
from .browser import BrowserApp
from .calendar import CalendarApp
from .camera import CameraApp
from .canvas_app import TunesApp
from .clock import ClockApp
from .contacts import ContactsApp
from .fixtures_app import LayoutLabApp
from .launcher import LauncherApp
from .messages import MessagesApp
from .notes import NotesApp
from .places import PlacesApp
from .rewards import RewardsApp
from .settings import SettingsApp
from .shop import ShopApp

APP_CLASSES: tuple[type[App], ...] = (
    ClockApp,
    CameraApp,
    BrowserApp,
    ContactsApp,
    MessagesApp,
    CalendarApp,
    NotesApp,
    PlacesApp,
    ShopApp,
    SettingsApp,
    RewardsApp,
    TunesApp,
    LayoutLabApp,
)


def create_apps(host: Host, seed: int) -> dict[str, App]:
    """Fresh app instances keyed by package, the launcher first, then home-grid order."""
    apps: dict[str, App] = {}
    launcher = LauncherApp(host, seed, lambda: list(apps.values()))
    apps[launcher.package] = launcher
    for cls in APP_CLASSES:
        app = cls(host, seed)
        apps[app.package] = app
    return apps
