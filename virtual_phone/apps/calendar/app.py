"""Calendar (`com.google.android.calendar`): an agenda, event details, create and edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..base import Activity, App
from .agenda import AgendaActivity
from .editor import EditEventActivity
from .model import PACKAGE, Events
from .seed import seed_calendar


class CalendarApp(App):
    """A calendar of events.

    State:
    - "today": the phone's "YYYY-MM-DD" date (seeded; never the wall clock);
    - "events": [{"id", "title", "date" ("YYYY-MM-DD"), "start", "end" ("HH:MM"),
      "location", "notes", "attendees" (a list of names)}];
    - "next_id": the id the next new event gets.
    """

    package = PACKAGE
    label = "Calendar"
    main_activity = PACKAGE + ".AllInOneActivity"
    system = False
    icon = "calendar"
    icon_bg = "#1967d2"

    def initial_state(self, seed: int) -> dict[str, Any]:
        return seed_calendar(seed)

    def empty_state(self) -> dict[str, Any]:
        return {"today": seed_calendar(self.seed)["today"], "events": [], "next_id": 1}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {
            self.main_activity: lambda: AgendaActivity(self),
            EditEventActivity.name: lambda: EditEventActivity(self, None),
        }

    @property
    def events(self) -> Events:
        """The stored events, by id."""
        return Events(self.state)
