"""Installed launcher apps: listing them from `cmd package` / `pm`, naming them, finding one.

Real phones do not print app labels over adb (that needs aapt, or reading the launcher's
screen, which we never do). Labels therefore come, in this order, from what the package
manager prints (``nonLocalizedLabel=`` / ``label=`` when present), from a table of
well-known packages, or from the package name itself (``com.example.notes`` → "Notes").
Matching also accepts any meaningful segment of the package name ("spotify").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from mobile_agent.device.base import AppInfo
from mobile_agent.device.parsing import full_activity
from mobile_agent.errors import AppNotFound

LAUNCHER_QUERY = (
    "cmd package query-activities -a android.intent.action.MAIN -c android.intent.category.LAUNCHER"
)

_COMPONENT_RE = re.compile(r"^\s*(?P<package>[A-Za-z][\w.]*)/(?P<activity>[\w.$]+)\s*$")
_FIELD_RE = re.compile(
    r"\b(?P<key>packageName|name|nonLocalizedLabel|label)=(?P<value>.*?)(?=\s+\w+=|$)"
)

_KNOWN_LABELS = {
    "com.android.chrome": "Chrome",
    "com.android.settings": "Settings",
    "com.android.vending": "Play Store",
    "com.android.contacts": "Contacts",
    "com.google.android.contacts": "Contacts",
    "com.android.dialer": "Phone",
    "com.google.android.dialer": "Phone",
    "com.android.messaging": "Messages",
    "com.google.android.apps.messaging": "Messages",
    "com.android.camera2": "Camera",
    "com.google.android.GoogleCamera": "Camera",
    "com.android.deskclock": "Clock",
    "com.google.android.deskclock": "Clock",
    "com.android.calculator2": "Calculator",
    "com.google.android.calculator": "Calculator",
    "com.android.calendar": "Calendar",
    "com.google.android.calendar": "Calendar",
    "com.android.documentsui": "Files",
    "com.google.android.apps.nbu.files": "Files",
    "com.google.android.apps.maps": "Maps",
    "com.google.android.apps.photos": "Photos",
    "com.google.android.gm": "Gmail",
    "com.google.android.youtube": "YouTube",
    "com.google.android.keep": "Keep Notes",
    "com.google.android.apps.docs": "Drive",
    "com.google.android.googlequicksearchbox": "Google",
    "com.whatsapp": "WhatsApp",
    "com.instagram.android": "Instagram",
    "com.facebook.katana": "Facebook",
    "com.twitter.android": "X",
    "com.spotify.music": "Spotify",
    "com.amazon.mShop.android.shopping": "Amazon Shopping",
    "org.mozilla.firefox": "Firefox",
    "org.telegram.messenger": "Telegram",
}
_NOISE_SEGMENTS = {
    "com",
    "org",
    "net",
    "io",
    "android",
    "google",
    "apps",
    "app",
    "mobile",
    "example",
    "www",
    "client",
    "main",
    "free",
    "lite",
    "launcher3",
}


def parse_launcher_activities(output: str) -> list[AppInfo]:
    """Apps from ``cmd package query-activities`` output (brief or full form)."""
    apps: dict[str, AppInfo] = {}
    fields: dict[str, str] = {}

    def flush() -> None:
        package, name = fields.get("packageName", ""), fields.get("name", "")
        if package and package not in apps:
            label = fields.get("label") or fields.get("nonLocalizedLabel") or ""
            if label == "null":
                label = ""
            apps[package] = AppInfo(package, label or default_label(package), name)
        fields.clear()

    for line in output.splitlines():
        component = _COMPONENT_RE.match(line)
        if component:
            package = component.group("package")
            activity = full_activity(package, component.group("activity"))
            fields.setdefault("packageName", package)
            fields.setdefault("name", activity)
            continue
        if line.strip().startswith(("Activity #", "ResolveInfo")):
            flush()
        for match in _FIELD_RE.finditer(line):
            fields.setdefault(match.group("key"), match.group("value").strip())
    flush()
    return sorted(apps.values(), key=lambda app: app.package)


def parse_package_list(output: str) -> list[str]:
    """Package names from ``pm list packages``."""
    return sorted({line[8:].strip() for line in output.splitlines() if line.startswith("package:")})


def default_label(package: str) -> str:
    """A human name for a package without asking the phone."""
    if package in _KNOWN_LABELS:
        return _KNOWN_LABELS[package]
    segments = aliases(package)
    return segments[-1].title() if segments else package


def aliases(package: str) -> list[str]:
    """The meaningful lower-case segments of a package name, in order."""
    return [s for s in package.lower().split(".") if s and s not in _NOISE_SEGMENTS]


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.casefold())


def find_app(query: str, apps: Iterable[AppInfo]) -> AppInfo:
    """The app whose package or label matches ``query``; AppNotFound names close matches.

    Order: exact package, exact label (case- and space-insensitive), package segment,
    then a unique label prefix / substring.
    """
    apps = list(apps)
    wanted = _norm(query)
    if not wanted:
        raise AppNotFound("An app name or package is required.")
    for app in apps:
        if app.package == query.strip():
            return app
    exact = [a for a in apps if _norm(a.label) == wanted] or [
        a for a in apps if wanted in (_norm(s) for s in aliases(a.package))
    ]
    if exact:
        return min(exact, key=lambda a: (len(a.package), a.package))
    partial = [a for a in apps if _norm(a.label).startswith(wanted)] or [
        a for a in apps if wanted in _norm(a.label) or wanted in _norm(a.package)
    ]
    if len(partial) == 1:
        return partial[0]
    if partial:
        listed = ", ".join(f"{a.label} ({a.package})" for a in partial[:8])
        raise AppNotFound(f"{query!r} matches several apps: {listed}. Name one exactly.")
    raise AppNotFound(_not_found_message(query, apps))


def _not_found_message(query: str, apps: list[AppInfo]) -> str:
    names = {app.label.casefold(): app for app in apps}
    names.update({seg: app for app in apps for seg in aliases(app.package)})
    close = difflib.get_close_matches(query.casefold(), list(names), n=5, cutoff=0.5)
    seen: list[AppInfo] = []
    for name in close:
        if names[name] not in seen:
            seen.append(names[name])
    if seen:
        listed = ", ".join(f"{a.label} ({a.package})" for a in seen)
        return f"No installed app matches {query!r}. Close matches: {listed}."
    return (
        f"No installed app matches {query!r} among {len(apps)} launcher apps. "
        "Use the exact package name (see `adb shell pm list packages`)."
    )
