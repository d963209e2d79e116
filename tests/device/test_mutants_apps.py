"""Launcher apps: every form of `cmd package query-activities`, names without a package
segment, and how an app is found, or the error says what else is installed."""

from __future__ import annotations

import pytest

from mobile_agent.device.apps import default_label, find_app, parse_launcher_activities
from mobile_agent.device.base import AppInfo
from mobile_agent.errors import AppNotFound

RESOLVE_INFO_QUERY = """\
ResolveInfo{1a2b3c4 com.example.notes/.MainActivity m=0x108000}
  ActivityInfo:
    name=com.example.notes.MainActivity
    packageName=com.example.notes
    label=Notes Plus
ResolveInfo{5d6e7f8 org.example.tasks/.Main m=0x108000}
  ActivityInfo:
    name=org.example.tasks.Main
    packageName=org.example.tasks
  Activity #2:
    ActivityInfo:
      packageName=org.example.bare
"""


def test_each_resolve_info_is_an_app_with_its_printed_label_or_none() -> None:
    apps = parse_launcher_activities(RESOLVE_INFO_QUERY)
    assert apps == [
        AppInfo("com.example.notes", "Notes Plus", "com.example.notes.MainActivity"),
        AppInfo("org.example.bare", "Bare", ""),  # no activity printed: launched by package
        AppInfo("org.example.tasks", "Tasks", "org.example.tasks.Main"),
    ]


def test_a_package_of_noise_segments_only_is_its_own_label() -> None:
    assert default_label("com.android") == "com.android"
    assert default_label("org.example.app") == "org.example.app"


APPS = [
    AppInfo("com.google.android.keep", "Keep Notes"),
    AppInfo("com.acme.keepnoteslite", "Keep Notes Lite"),
    AppInfo("com.spotify.music", "Spotify"),
    AppInfo("com.android.hotspot", "Hotspot"),
    AppInfo("org.example.tasks", "Task Board"),
    AppInfo("com.android.dialer", "Phone"),
]


def test_an_empty_name_is_refused() -> None:
    with pytest.raises(AppNotFound, match=r"^An app name or package is required\.$"):
        find_app(" \t", APPS)


@pytest.mark.parametrize(
    ("query", "package"),
    [
        ("keep notes", "com.google.android.keep"),  # exact label before labels it begins
        ("spot", "com.spotify.music"),  # a label's start before words that contain it
        ("board", "org.example.tasks"),  # within a label, not the package
        ("acme", "com.acme.keepnoteslite"),  # a package segment
    ],
)
def test_find_app_prefers_the_closest_kind_of_match(query: str, package: str) -> None:
    assert find_app(query, APPS).package == package


def test_several_matches_list_the_first_eight() -> None:
    apps = [AppInfo(f"com.acme.pad{i}", f"Note {i}") for i in range(1, 11)]
    with pytest.raises(AppNotFound) as caught:
        find_app("note", apps)
    listed = ", ".join(f"Note {i} (com.acme.pad{i})" for i in range(1, 9))
    assert str(caught.value) == f"'note' matches several apps: {listed}. Name one exactly."


def test_not_found_names_up_to_five_close_matches() -> None:
    apps = [AppInfo(f"com.acme.pad{i}", f"Note {i}") for i in range(1, 8)]
    with pytest.raises(AppNotFound) as caught:
        find_app("nots", apps)
    listed = ", ".join(f"Note {i} (com.acme.pad{i})" for i in range(7, 2, -1))
    assert str(caught.value) == f"No installed app matches 'nots'. Close matches: {listed}."


def test_a_half_similar_name_is_still_a_close_match() -> None:
    with pytest.raises(AppNotFound, match=r"Close matches: Phone \(com\.android\.dialer\)\.$"):
        find_app("fon", APPS)


def test_nothing_close_says_how_to_name_the_app() -> None:
    with pytest.raises(AppNotFound) as caught:
        find_app("zzzzzz", APPS)
    assert str(caught.value) == (
        "No installed app matches 'zzzzzz' among 6 launcher apps. "
        "Use the exact package name (see `adb shell pm list packages`)."
    )
