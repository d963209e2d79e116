"""Views shared by the Places screens: chips, result rows, section headers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...ui.views import WRAP, LinearLayout, Row, TextView, View
from ..base import Activity
from .hours import status
from .search import kind

CHIP_CLASS = "com.google.android.material.chip.Chip"


def chip(
    activity: Activity, label: str, checked: bool, on_click: Callable[[], None], rid: str
) -> View:
    """A checkable Material chip labelled `label`."""
    return TextView(
        class_name=CHIP_CLASS,
        id=activity.rid(rid),
        text=label,
        size=36,
        width=WRAP,
        padding=(30, 16),
        margin=(0, 0, 18, 0),
        radius=40,
        bg="primary" if checked else "surface",
        color="on_primary" if checked else "on_surface",
        border=None if checked else "divider",
        checkable=True,
        checked=checked,
        selected=checked,
        focusable=True,
        on_click=on_click,
    )


def chip_row(*chips: View) -> View:
    """A row of chips."""
    return Row(padding=(40, 10, 20, 10), children=list(chips))


def summary(place: Mapping[str, Any]) -> str:
    """ "4.5 ★ (120) · Italian restaurant · $$"."""
    parts = [f"{place['rating']} ★ ({place['reviews_count']})", kind(place)]
    if place["price"]:
        parts.append(str(place["price"]))
    return " · ".join(parts)


def status_line(place: Mapping[str, Any], now: Mapping[str, str]) -> str:
    """ "1.2 km · Open · Closes 22:00"."""
    return f"{place['distance_km']} km · {status(place['hours'], now)}"


def place_row(
    activity: Activity,
    place: Mapping[str, Any],
    now: Mapping[str, str],
    on_open: Callable[[], None],
) -> View:
    """A result: name, rating and kind, distance and open status; its description is the
    name, so it can be tapped by name."""
    return LinearLayout(
        id=activity.rid("place_item"),
        desc=str(place["name"]),
        padding=(56, 28),
        focusable=True,
        on_click=on_open,
        children=[
            TextView(id=activity.rid("place_name"), text=str(place["name"]), size=46, bold=True),
            TextView(
                id=activity.rid("place_summary"),
                text=summary(place),
                size=38,
                color="muted",
                margin=(0, 8, 0, 0),
            ),
            TextView(
                id=activity.rid("place_status"),
                text=status_line(place, now),
                size=38,
                color="accent" if status(place["hours"], now).startswith("Open") else "danger",
                margin=(0, 4, 0, 0),
            ),
        ],
    )


def header(activity: Activity, text: str, rid: str = "") -> View:
    """A bold section title."""
    return TextView(
        id=activity.rid(rid) if rid else "",
        text=text,
        size=44,
        bold=True,
        padding=(56, 36, 56, 16),
    )


def muted(activity: Activity, text: str, rid: str) -> View:
    """A grey line of text (an empty-state message)."""
    return TextView(
        id=activity.rid(rid), text=text, size=42, color="muted", align="center", padding=(40, 80)
    )
