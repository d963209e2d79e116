"""The phone's saved state: app data, settings and notifications as JSON-serialisable data."""

from __future__ import annotations

import copy
from typing import Any

from .apps.installed import InstalledApp
from .props import default_settings
from .system_server import SystemServer

STATE_FORMAT = 1


def dump(system: SystemServer, clipboard: str | None) -> dict[str, Any]:
    """A deep copy of everything `restore` takes back."""
    return {
        "format": STATE_FORMAT,
        "apps": {
            p: copy.deepcopy(a.state)
            for p, a in system.apps.items()
            if not isinstance(a, InstalledApp)  # an APK's data is not the phone's to save
        },
        "settings": copy.deepcopy(system.settings),
        "notifications": system.ui.dump_notifications(),
        "clipboard": clipboard,
    }


def restore(system: SystemServer, data: dict[str, Any]) -> str | None:
    """Load `dump` output (missing parts keep their defaults), close every app and show
    home; returns the saved clipboard."""
    for package, app_data in dict(data.get("apps", {})).items():
        if package in system.apps:
            system.apps[package].load(app_data)
    settings = default_settings()
    for namespace, values in dict(data.get("settings", {})).items():
        settings.setdefault(namespace, {}).update({str(k): str(v) for k, v in values.items()})
    system.settings = settings
    system.ui.load_notifications(data.get("notifications", []))
    system.tasks.clear()
    system.ime_shown = False
    system.set_shade(0)
    clipboard = data.get("clipboard")
    return str(clipboard) if clipboard is not None else None
