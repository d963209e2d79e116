"""Apps installed with `pm install` / `adb install`: known to the whole phone (package
lists, the launcher, intents), each showing a plain screen with its label when started."""

from __future__ import annotations

from collections.abc import Callable

from ..contract import PackageInfo
from ..ui.views import MATCH, TextView, View
from .base import Activity, App
from .widgets import screen, toolbar


class InstalledApp(App):
    """An installed APK: its manifest facts, one blank main activity."""

    system = False
    icon_bg = "#3ddc84"

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {self.main_activity: lambda: BlankActivity(self)} if self.main_activity else {}


class BlankActivity(Activity[InstalledApp]):
    """The installed app's main screen: its title over an empty page."""

    def __init__(self, app: InstalledApp) -> None:
        super().__init__(app)
        self.name = app.main_activity

    def build(self) -> View:
        empty = TextView(id=self.rid("content"), height=MATCH, text="", desc=self.app.label)
        return screen(toolbar(self, self.app.label), empty)


def installed_app_class(info: PackageInfo) -> type[InstalledApp]:
    """An `InstalledApp` class for one APK's package info."""
    main = info.main_activity
    if main.startswith("."):
        main = info.package + main
    attrs = {
        "package": info.package,
        "label": info.label,
        "main_activity": main,
        "launcher": bool(main),
        "version_name": info.version_name,
        "version_code": info.version_code,
    }
    return type(f"Installed_{info.package.replace('.', '_')}", (InstalledApp,), attrs)
