"""Calendar events in the app's JSON state, and the date and time formats they use."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..records import IdRecords

PACKAGE = "com.google.android.calendar"

Event = dict[str, Any]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_date(text: str) -> dt.date | None:
    """A "YYYY-MM-DD" date, or None when the text is not a valid one."""
    text = text.strip()
    if not _DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_time(text: str) -> str | None:
    """An "H:MM" or "HH:MM" time as "HH:MM", or None when it is not a valid one."""
    found = _TIME.match(text.strip())
    if found is None:
        return None
    hour, minute = int(found[1]), int(found[2])
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def day_header(date: str) -> str:
    """The agenda's header of a "YYYY-MM-DD" day: "Mon, 14 Dec"."""
    day = dt.date.fromisoformat(date)
    return f"{day:%a}, {day.day} {day:%b}"


def long_date(date: str) -> str:
    """A "YYYY-MM-DD" day in full: "Monday, 14 December 2024"."""
    day = dt.date.fromisoformat(date)
    return f"{day:%A}, {day.day} {day:%B %Y}"


def time_range(event: Event) -> str:
    """ "09:00 – 10:30"."""
    return f"{event['start']} – {event['end']}"


def sort_key(event: Event) -> tuple[str, str, str, int]:
    """Events in the order of the agenda: by day, start, end, then id."""
    return (str(event["date"]), str(event["start"]), str(event["end"]), int(event["id"]))


def matches(event: Event, query: str) -> bool:
    """An event matches the case-folded query on its title, location, notes or guests."""
    fields = [event["title"], event["location"], event["notes"], *event["attendees"]]
    return any(query in str(value).casefold() for value in fields)


class Events(IdRecords):
    """The events of `state["events"]`, by id."""

    def __init__(self, state: dict[str, Any]) -> None:
        super().__init__(state, "events")

    def agenda(self) -> list[Event]:
        """Every event, in agenda order."""
        return sorted(self.all(), key=sort_key)
