"""The device layer's pure parsers, on real dumpsys text (hierarchy dumps are perception's:
tests/perception/test_reader.py)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from mobile_agent.device import parsing
from mobile_agent.device.apps import aliases, default_label, find_app, parse_launcher_activities
from mobile_agent.device.base import AppInfo
from mobile_agent.device.discovery import _raise_for_state
from mobile_agent.errors import AppNotFound, DeviceOffline, DeviceUnauthorized


def test_focus_from_dumpsys_window_relative_activity() -> None:
    text = (
        "  mCurrentFocus=Window{5d2e1f u0 com.example.notes/.EditorActivity}\n"
        "  mFocusedApp=ActivityRecord{77a u0 com.example.notes/.EditorActivity t12}\n"
    )
    assert parsing.parse_focus(text) == ("com.example.notes", "com.example.notes.EditorActivity")


def test_focus_falls_back_to_focused_app_when_a_system_window_has_focus() -> None:
    text = (
        "  mCurrentFocus=Window{9f3 u0 NotificationShade}\n"
        "  mFocusedApp=ActivityRecord{1c2 u0 com.android.settings/.Settings t4}\n"
    )
    assert parsing.parse_focus(text) == ("com.android.settings", "com.android.settings.Settings")


def test_focus_from_resumed_activity_and_nothing() -> None:
    text = "    mResumedActivity: ActivityRecord{a1 u0 org.x.app/org.x.app.Main t3}"
    assert parsing.parse_focus(text) == ("org.x.app", "org.x.app.Main")
    assert parsing.parse_focus("mCurrentFocus=null") == ("", "")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("  mInputShown=true mShowRequested=true", True),
        ("  mShowRequested=false mInputShown=false", False),
        ("no such field", False),
    ],
)
def test_input_shown(text: str, shown: bool) -> None:
    assert parsing.parse_input_shown(text) is shown


def test_png_size_reads_the_header() -> None:
    out = io.BytesIO()
    Image.new("RGB", (37, 91)).save(out, format="PNG")
    assert parsing.png_size(out.getvalue()) == (37, 91)
    with pytest.raises(ValueError, match="PNG"):
        parsing.png_size(b"\xff\xd8\xff\xe0 jpeg bytes here......")


def test_wm_size_prefers_override() -> None:
    assert parsing.parse_wm_size("Physical size: 1080x2400") == (1080, 2400)
    both = "Physical size: 1440x3120\nOverride size: 1080x2340"
    assert parsing.parse_wm_size(both) == (1080, 2340)
    assert parsing.parse_wm_size("error") is None


FULL_QUERY = """\
2 activities found:
  Activity #0:
    priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=false
    ActivityInfo:
      name=com.android.settings.Settings
      packageName=com.android.settings
      labelRes=0x7f140ef8 nonLocalizedLabel=null icon=0x7f080453 banner=0x0
      processName=com.android.settings
  Activity #1:
    priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=false
    ActivityInfo:
      name=org.example.tasks.MainActivity
      packageName=org.example.tasks
      labelRes=0x0 nonLocalizedLabel=Task Board icon=0x7f080001 banner=0x0
"""

BRIEF_QUERY = """\
2 activities found:
  Activity #0:
    priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=false
    com.google.android.apps.maps/com.google.android.maps.MapsActivity
  Activity #1:
    priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=false
    com.example.notes/.MainActivity
"""


def test_launcher_query_full_form_uses_printed_labels() -> None:
    apps = parse_launcher_activities(FULL_QUERY)
    assert apps == [
        AppInfo("com.android.settings", "Settings", "com.android.settings.Settings"),
        AppInfo("org.example.tasks", "Task Board", "org.example.tasks.MainActivity"),
    ]


def test_launcher_query_brief_form() -> None:
    apps = parse_launcher_activities(BRIEF_QUERY)
    assert [(a.package, a.label, a.activity) for a in apps] == [
        ("com.example.notes", "Notes", "com.example.notes.MainActivity"),
        ("com.google.android.apps.maps", "Maps", "com.google.android.maps.MapsActivity"),
    ]


def test_labels_and_aliases_from_package_names() -> None:
    assert default_label("com.spotify.music") == "Spotify"
    assert default_label("com.acme.android.weather") == "Weather"
    assert aliases("com.google.android.apps.maps") == ["maps"]


APPS = [
    AppInfo("com.android.contacts", "Contacts"),
    AppInfo("com.google.android.contacts", "Contacts"),
    AppInfo("com.example.notes", "Notes"),
    AppInfo("com.spotify.music", "Spotify"),
    AppInfo("com.android.settings", "Settings"),
    AppInfo("com.android.calendar", "Calendar"),
    AppInfo("com.android.calculator2", "Calculator"),
]


@pytest.mark.parametrize(
    ("query", "package"),
    [
        ("com.example.notes", "com.example.notes"),
        ("notes", "com.example.notes"),
        ("  NOTES ", "com.example.notes"),
        ("Contacts", "com.android.contacts"),  # two labels match: the shorter package wins
        ("music", "com.spotify.music"),  # a package segment
        ("spot", "com.spotify.music"),  # a unique label prefix
        ("calcul", "com.android.calculator2"),
    ],
)
def test_find_app(query: str, package: str) -> None:
    assert find_app(query, APPS).package == package


def test_find_app_reports_close_matches() -> None:
    with pytest.raises(AppNotFound, match=r"Settings \(com\.android\.settings\)"):
        find_app("Setings", APPS)
    with pytest.raises(AppNotFound, match="several apps"):
        find_app("cal", APPS)  # Calendar and Calculator
    with pytest.raises(AppNotFound, match="No installed app"):
        find_app("zzzzzz", APPS)


@pytest.mark.parametrize(
    ("state", "error", "advice"),
    [
        ("unauthorized", DeviceUnauthorized, "Allow USB debugging"),
        ("offline", DeviceOffline, "adb reconnect"),
        ("recovery", DeviceOffline, "boot it normally"),
    ],
)
def test_device_states_become_errors_that_say_what_to_do(
    state: str, error: type[Exception], advice: str
) -> None:
    with pytest.raises(error, match=advice):
        _raise_for_state("R58M123ABC", state)
    _raise_for_state("R58M123ABC", "device")  # ready: nothing to say
