"""Places (`com.example.places`): find places nearby, their details, directions, saved list."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ..base import Activity, App
from .data import places, seeded_now
from .explore import ExploreActivity

PACKAGE = "com.example.places"
MAX_RECENT = 10
SEEDED_SAVED = 2


class PlacesApp(App):
    """A maps-like guide to places around the user.

    State:
    - "now": {"weekday": "Monday"…"Sunday", "time": "HH:MM"}, the fixed moment "open now"
      refers to;
    - "places": [{id, name, category, cuisine ("" unless a restaurant), rating (one
      decimal), reviews_count, price ("" or "$"…"$$$$"), address, phone ("+1 555-01xx"),
      hours {weekday: "HH:MM–HH:MM" (closing at most "24:00") | "Closed"}, distance_km
      (unique), reviews [{author, stars, text}], travel {mode: {minutes, km}} for Drive,
      Transit, Walk and Cycle}]; names and phones are unique, ratings never tie within a
      category and cuisine;
    - "saved": ids of saved places, in the order saved (two in a seeded world);
    - "calls": phone numbers called, oldest first;
    - "recent_searches": queries submitted with Enter or a place was opened from, newest
      first (at most 10, no repeats);
    - "directions": null or the last request {place_id, mode, started};
    - "shared": ids of places whose link was copied, oldest first.
    """

    package = PACKAGE
    label = "Places"
    main_activity = PACKAGE + ".MainActivity"
    system = False
    icon = "pin"
    icon_bg = "#1e8e3e"

    def initial_state(self, seed: int) -> dict[str, Any]:
        state = self.empty_state_for(seed)
        ids = [p["id"] for p in state["places"]]
        state["saved"] = random.Random(f"saved-{seed}").sample(ids, SEEDED_SAVED)
        return state

    def empty_state(self) -> dict[str, Any]:
        return self.empty_state_for(self.seed)

    @staticmethod
    def empty_state_for(seed: int) -> dict[str, Any]:
        """The world of `seed` with nothing saved, called, searched or shared."""
        return {
            "now": seeded_now(seed),
            "places": [place.to_state() for place in places(seed)],
            "saved": [],
            "calls": [],
            "recent_searches": [],
            "directions": None,
            "shared": [],
        }

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {self.main_activity: lambda: ExploreActivity(self)}

    # -- model -----------------------------------------------------------------------
    def places(self) -> list[dict[str, Any]]:
        """Every place, by id."""
        return list(self.state["places"])

    def place(self, place_id: int) -> dict[str, Any] | None:
        """The place with this id."""
        return next((p for p in self.state["places"] if p["id"] == place_id), None)

    def is_saved(self, place_id: int) -> bool:
        """Whether the place is on the saved list."""
        return place_id in self.state["saved"]

    def toggle_saved(self, place_id: int) -> bool:
        """Save the place, or remove it when saved; True when it is saved now."""
        saved: list[int] = self.state["saved"]
        if place_id in saved:
            saved.remove(place_id)
            return False
        saved.append(place_id)
        return True

    def record_search(self, query: str) -> None:
        """Put a submitted query first in the recent searches."""
        query = " ".join(query.split())
        if not query:
            return
        recent = [q for q in self.state["recent_searches"] if q.casefold() != query.casefold()]
        self.state["recent_searches"] = [query, *recent][:MAX_RECENT]

    def record_call(self, number: str) -> None:
        """Log a call placed to `number`."""
        self.state["calls"].append(number)

    def record_share(self, place_id: int) -> None:
        """Log that the place's link was copied."""
        self.state["shared"].append(place_id)

    def request_directions(self, place_id: int, mode: str, *, started: bool = False) -> None:
        """Remember the last directions asked for."""
        self.state["directions"] = {"place_id": place_id, "mode": mode, "started": started}
