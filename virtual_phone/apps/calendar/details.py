"""One event: title, day and time, location, notes and guests; Edit and Delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...ui.views import LinearLayout, TextView, View
from ..base import Activity
from ..widgets import action_button, screen, toolbar, two_line_row
from .editor import EditEventActivity
from .model import PACKAGE, Event, long_date, time_range

if TYPE_CHECKING:
    from .app import CalendarApp


class EventDetailsActivity(Activity["CalendarApp"]):
    """The details of the event `event_id`."""

    name = PACKAGE + ".EventInfoActivity"

    def __init__(self, app: CalendarApp, event_id: int) -> None:
        super().__init__(app)
        self.event_id = event_id

    def title(self) -> str:
        event = self.app.events.find(self.event_id)
        return str(event["title"]) if event else "Calendar"

    def build(self) -> View:
        event = self.app.events.find(self.event_id)
        if event is None:
            return screen(
                toolbar(self, "", up=True),
                TextView(text="Event not found", size=44, color="muted", padding=(56, 60)),
            )
        actions: list[View] = [
            action_button("edit", "Edit event", self._edit, self.rid("edit")),
            action_button("delete", "Delete event", self._ask_delete, self.rid("delete")),
        ]
        return screen(toolbar(self, "", up=True, actions=actions), *self._body(event))

    def _body(self, event: Event) -> list[View]:
        heading = LinearLayout(
            padding=(56, 30, 56, 30),
            children=[
                TextView(
                    id=self.rid("event_title"), text=str(event["title"]), size=60, max_lines=3
                ),
                TextView(
                    id=self.rid("event_date"),
                    text=long_date(str(event["date"])),
                    size=42,
                    margin=(0, 24, 0, 0),
                ),
                TextView(id=self.rid("event_time"), text=time_range(event), size=42),
            ],
        )
        rows: list[View] = [heading]
        if event["location"]:
            rows.append(self._row("globe", str(event["location"]), "Location", "event_location"))
        if event["notes"]:
            rows.append(self._row("notes", str(event["notes"]), "Notes", "event_notes"))
        guests = ", ".join(str(name) for name in event["attendees"])
        if guests:
            rows.append(self._row("person", guests, "Guests", "event_guests"))
        return rows

    def _row(self, icon: str, text: str, kind: str, name: str) -> View:
        return two_line_row(
            text,
            kind,
            icon=icon,
            title_id=self.rid(name),
            summary_id=self.rid(name + "_label"),
        )

    def _edit(self) -> None:
        self.host.start_activity(EditEventActivity(self.app, self.event_id))

    def _ask_delete(self) -> None:
        event = self.app.events.find(self.event_id)
        if event is not None:
            self.confirm("Delete this event?", str(event["title"]), "Delete", self._delete)

    def _delete(self) -> None:
        self.app.events.delete(self.event_id)
        self.host.toast("Event deleted")
        self.finish()
