"""Opening hours: drawing them per category and telling whether a place is open.

Each weekday's hours are "HH:MM–HH:MM" (closing at most at 24:00) or "Closed"; a place is
open at `now` when opening ≤ now < closing on now's weekday.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CLOSED = "Closed"
ALL_DAY = "00:00–24:00"
DASH = "–"


def hours_text(rng: random.Random, category: str) -> dict[str, str]:
    """Opening hours for each weekday of a place of `category`."""
    if category in ("Hotel", "Airport"):
        return dict.fromkeys(WEEKDAYS, ALL_DAY)
    if category == "Train station":
        return dict.fromkeys(WEEKDAYS, "05:00–24:00")
    if category == "Park":
        return dict.fromkeys(WEEKDAYS, _span(rng, ("06:00", "07:00"), ("21:00", "22:00")))
    week = _span(rng, *_WEEK_SPANS[category])
    weekend = _span(rng, *_WEEKEND_SPANS[category])
    hours = {day: week if day not in ("Saturday", "Sunday") else weekend for day in WEEKDAYS}
    closed_day = rng.choice(_CLOSED_DAYS[category])
    if closed_day:
        hours[closed_day] = CLOSED
    return hours


_WEEK_SPANS = {
    "Restaurant": (("11:00", "11:30", "12:00", "17:00"), ("21:00", "22:00", "22:30")),
    "Café": (("07:00", "07:30", "08:00"), ("17:00", "18:00", "19:00")),
    "Museum": (("09:30", "10:00"), ("17:00", "18:00")),
    "Pharmacy": (("08:00", "08:30"), ("19:00", "20:00", "21:00")),
}
_WEEKEND_SPANS = {
    "Restaurant": (("12:00", "17:00"), ("22:30", "23:00", "23:30")),
    "Café": (("08:00", "09:00"), ("16:00", "17:00")),
    "Museum": (("10:00",), ("18:00", "20:00")),
    "Pharmacy": (("09:00", "10:00"), ("16:00", "18:00")),
}
_CLOSED_DAYS = {
    "Restaurant": ("", "", "Monday", "Tuesday", "Sunday"),
    "Café": ("", "", "Sunday"),
    "Museum": ("Monday", "Monday", "Tuesday"),
    "Pharmacy": ("", "Sunday", "Sunday"),
}


def _span(rng: random.Random, opens: tuple[str, ...], closes: tuple[str, ...]) -> str:
    return f"{rng.choice(opens)}{DASH}{rng.choice(closes)}"


def minutes(clock: str) -> int:
    """Minutes after midnight of "HH:MM" ("24:00" is 1440)."""
    hour, minute = clock.split(":")
    return int(hour) * 60 + int(minute)


def _window(hours: Mapping[str, str], day: str) -> tuple[int, int] | None:
    text = hours.get(day, CLOSED)
    if text == CLOSED:
        return None
    start, end = text.split(DASH)
    return minutes(start), minutes(end)


def is_open(hours: Mapping[str, str], now: Mapping[str, str]) -> bool:
    """Whether the place is open at `now` ({"weekday", "time"})."""
    window = _window(hours, now["weekday"])
    return window is not None and window[0] <= minutes(now["time"]) < window[1]


def status(hours: Mapping[str, str], now: Mapping[str, str]) -> str:
    """ "Open 24 hours", "Open · Closes 22:00", "Closed · Opens 11:30" or
    "Closed · Opens Wed 11:30"."""
    if all(hours.get(day) == ALL_DAY for day in WEEKDAYS):
        return "Open 24 hours"
    day, time = now["weekday"], minutes(now["time"])
    window = _window(hours, day)
    if window is not None and window[0] <= time < window[1]:
        return f"Open · Closes {_clock(window[1])}"
    if window is not None and time < window[0]:
        return f"Closed · Opens {_clock(window[0])}"
    start = WEEKDAYS.index(day)
    for offset in range(1, 8):
        later = WEEKDAYS[(start + offset) % 7]
        window = _window(hours, later)
        if window is not None:
            return f"Closed · Opens {later[:3]} {_clock(window[0])}"
    return "Closed"


def _clock(value: int) -> str:
    return "midnight" if value >= 24 * 60 else f"{value // 60:02d}:{value % 60:02d}"
