"""The apps installed on the virtual phone."""

from __future__ import annotations

from .base import App, Host
from .browser import BrowserApp
from .camera import CameraApp
from .clock import ClockApp
from .contacts import ContactsApp
from .launcher import LauncherApp
from .notes import NotesApp
from .settings import SettingsApp

APP_CLASSES: tuple[type[App], ...] = (
    ClockApp,
    CameraApp,
    BrowserApp,
    ContactsApp,
    NotesApp,
    SettingsApp,
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
