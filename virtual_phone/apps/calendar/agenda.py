"""The schedule: events grouped under day headers, a search field and Create event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ...ui.views import WRAP, LinearLayout, RecyclerView, Row, TextView, View
from ..base import Activity
from ..widgets import fab, screen, text_field, toolbar
from .details import EventDetailsActivity
from .editor import EditEventActivity
from .model import PACKAGE, Event, day_header, matches, time_range

if TYPE_CHECKING:
    from .app import CalendarApp

SEARCH = "search"  # the search field's id name and focus key


class AgendaActivity(Activity["CalendarApp"]):
    """Every event in order of time under "Mon, 14 Dec" day headers; typing in the search
    field filters them, BACK clears the search first."""

    name = PACKAGE + ".AllInOneActivity"

    def __init__(self, app: CalendarApp) -> None:
        super().__init__(app)
        self.query = ""

    def build(self) -> View:
        today = dt.date.fromisoformat(self.app.state["today"])
        search = text_field(
            self,
            SEARCH,
            self.query,
            "Search events",
            self._set_query,
            on_submit=self.host.hide_keyboard,
        )
        listing = RecyclerView(
            id=self.rid("agenda_list"),
            weight=1,
            state=self.scroll("agenda"),
            padding=(0, 0, 0, 260),
            children=self._rows() or [self._empty()],
        )
        create = fab(self, "add", "Create event", self._create)
        return screen(toolbar(self, f"{today:%B %Y}"), search, listing, overlay=[create])

    def shown(self) -> list[Event]:
        """The events that match the search (all of them without one), in order."""
        query = self.query.strip().casefold()
        return [e for e in self.app.events.agenda() if not query or matches(e, query)]

    def _rows(self) -> list[View]:
        rows: list[View] = []
        day = ""
        for event in self.shown():
            if event["date"] != day:
                day = str(event["date"])
                rows.append(self._header(day))
            rows.append(self._card(event))
        return rows

    def _header(self, date: str) -> View:
        parts: list[View] = [
            TextView(
                id=self.rid("day_header"), text=day_header(date), size=40, bold=True, width=WRAP
            )
        ]
        if date == self.app.state["today"]:
            parts.append(
                TextView(
                    id=self.rid("today_label"),
                    text="Today",
                    size=34,
                    color="primary",
                    width=WRAP,
                    margin=(24, 0, 0, 0),
                )
            )
        return Row(id=self.rid("day"), padding=(48, 36, 48, 8), children=parts)

    def _card(self, event: Event) -> View:
        event_id = int(event["id"])
        texts: list[View] = [
            TextView(id=self.rid("event_title"), text=str(event["title"]), size=44, bold=True),
            TextView(id=self.rid("event_time"), text=time_range(event), size=38, color="muted"),
        ]
        if event["location"]:
            texts.append(
                TextView(
                    id=self.rid("event_location"),
                    text=str(event["location"]),
                    size=38,
                    color="muted",
                )
            )
        return LinearLayout(
            id=self.rid("event_item"),
            margin=(40, 10),
            padding=(44, 28),
            bg="surface",
            radius=30,
            border="divider",
            focusable=True,
            on_click=lambda: self.host.start_activity(EventDetailsActivity(self.app, event_id)),
            children=texts,
        )

    def _empty(self) -> View:
        return TextView(
            id=self.rid("empty"),
            text="No matching events" if self.query.strip() else "No events",
            size=44,
            color="muted",
            align="center",
            padding=(0, 120),
        )

    def _set_query(self, text: str) -> None:
        self.query = text.replace("\n", " ")
        self.scroll("agenda").y = 0

    def _create(self) -> None:
        self.host.start_activity(EditEventActivity(self.app, None))

    def on_back(self) -> bool:
        """BACK clears a search (and the field's focus); True when it did."""
        if not self.query:
            return False
        self.query = ""
        self.focus = None
        return True
