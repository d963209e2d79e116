"""Create or edit an event: Title, Date, Start time, End time, Location, Notes, Guests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...ui.views import LinearLayout, ScrollView, TextView, View
from ..base import Activity
from ..widgets import save_button, screen, text_field, toolbar
from .model import PACKAGE, parse_date, parse_time

if TYPE_CHECKING:
    from .app import CalendarApp

# (field: id name, focus key and event key; label: its hint, and its caption once filled)
FIELDS = (
    ("title", "Title"),
    ("date", "Date"),
    ("start", "Start time"),
    ("end", "End time"),
    ("location", "Location"),
    ("notes", "Notes"),
    ("attendees", "Guests"),
)
TIME_HELP = "HH:MM, 24-hour clock"


def validate(values: dict[str, str]) -> tuple[dict[str, Any], str]:
    """The event fields from the typed values and "" — or {} and what is wrong."""
    start, end = parse_time(values["start"]), parse_time(values["end"])
    if not values["title"].strip():
        return {}, "Enter a title"
    if parse_date(values["date"]) is None:
        return {}, "Enter the date as YYYY-MM-DD"
    if start is None or end is None:
        return {}, "Enter the times as HH:MM"
    if end <= start:
        return {}, "End time must be after start time"
    guests = [name.strip() for name in values["attendees"].split(",") if name.strip()]
    fields = {
        "title": values["title"].strip(),
        "date": values["date"].strip(),
        "start": start,
        "end": end,
        "location": values["location"].strip(),
        "notes": values["notes"].strip(),
        "attendees": guests,
    }
    return fields, ""


class EditEventActivity(Activity["CalendarApp"]):
    """The event form. Save checks the fields and stores the event, or shows what is wrong
    (nothing is stored then); leaving without Save discards the changes."""

    name = PACKAGE + ".EditEventActivity"

    def __init__(self, app: CalendarApp, event_id: int | None) -> None:
        super().__init__(app)
        event = app.events.find(event_id) or {}
        self.event_id: int | None = event.get("id")
        self.values = {key: str(event.get(key, "")) for key, _ in FIELDS}
        self.values["attendees"] = ", ".join(event.get("attendees", []))
        self.error = ""

    def title(self) -> str:
        return "Edit event" if self.event_id is not None else "New event"

    def build(self) -> View:
        bar = toolbar(self, self.title(), up=True, actions=[save_button(self, self.save)])
        parts: list[View] = []
        if self.error:
            parts.append(
                TextView(
                    id=self.rid("error"),
                    text=self.error,
                    size=40,
                    color="danger",
                    max_lines=2,
                    padding=(56, 24, 56, 0),
                )
            )
        for key, label in FIELDS:
            parts.append(self._field(key, label))
        form = ScrollView(id=self.rid("form"), weight=1, state=self.scroll("form"), children=parts)
        return screen(bar, form)

    def _field(self, key: str, label: str) -> View:
        """A field whose label is its hint while empty and a caption above it once filled
        (tapping the caption focuses the field)."""
        value = self.values[key]
        caption = TextView(
            id=self.rid(key + "_label"),
            text=label,
            size=34,
            color="primary",
            visible=bool(value),
            padding=(56, 16, 56, 0),
            on_click=lambda: self._focus(key),
        )
        field = text_field(self, key, value, label, self._setter(key), margin=(40, 8, 40, 8))
        parts: list[View] = [caption, field]
        help_text = self._help(key)
        if help_text:
            parts.append(
                TextView(
                    id=self.rid(key + "_help"),
                    text=help_text,
                    size=32,
                    color="muted",
                    padding=(56, 0, 56, 8),
                )
            )
        return LinearLayout(children=parts)

    def _help(self, key: str) -> str:
        if key == "date":
            return f"YYYY-MM-DD, e.g. {self.app.state['today']} (today)"
        if key == "attendees":
            return "Names, separated by commas"
        return TIME_HELP if key in ("start", "end") else ""

    def _focus(self, key: str) -> None:
        self.focus = key

    def _setter(self, key: str) -> Callable[[str], None]:
        def set_value(text: str) -> None:
            self.values[key] = text.replace("\n", " ")

        return set_value

    def save(self) -> None:
        """Store the event and close, or show (and toast) what is wrong."""
        fields, self.error = validate(self.values)
        if self.error:
            self.host.toast(self.error)
            return
        self.event_id = self.app.events.save(self.event_id, **fields)
        self.host.toast("Event saved")
        self.finish()
