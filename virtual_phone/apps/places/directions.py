"""Directions to a place: travel modes with their durations and distances, and Start."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...ui.views import MATCH, Button, LinearLayout, Row, TextView, View
from ..base import Activity
from ..widgets import divider, screen, toolbar
from .travel import MODES, duration_text

if TYPE_CHECKING:
    from .app import PlacesApp


class DirectionsActivity(Activity["PlacesApp"]):
    """Routes from "Your location" to a place; tapping a mode asks for its directions."""

    def __init__(self, app: PlacesApp, place_id: int) -> None:
        super().__init__(app)
        self.name = app.package + ".DirectionsActivity"
        self.place_id = place_id

    def title(self) -> str:
        return "Directions"

    def mode(self) -> str:
        """The chosen travel mode (the last requested for this place, else Drive)."""
        last = self.app.state["directions"] or {}
        return str(last["mode"]) if last.get("place_id") == self.place_id else MODES[0]

    def build(self) -> View:
        place = self.app.place(self.place_id)
        bar = toolbar(self, "Directions", up=True)
        if place is None:
            return screen(bar, TextView(text="Place not found", size=44, padding=(56, 60)))
        mode = self.mode()
        minutes, km = (place["travel"][mode][key] for key in ("minutes", "km"))
        ends = LinearLayout(
            padding=(56, 20),
            children=[
                TextView(id=self.rid("origin"), text="Your location", size=42, color="muted"),
                TextView(
                    id=self.rid("destination"),
                    text=str(place["name"]),
                    size=48,
                    bold=True,
                    margin=(0, 14, 0, 0),
                ),
            ],
        )
        modes = Row(padding=(24, 10), children=[self._mode_tab(place, m, m == mode) for m in MODES])
        route = LinearLayout(
            padding=(56, 30),
            children=[
                TextView(
                    id=self.rid("duration"), text=duration_text(int(minutes)), size=64, bold=True
                ),
                TextView(
                    id=self.rid("route_distance"),
                    text=f"{km} km · {mode} · via {str(place['address']).split(' ', 1)[1]}",
                    size=40,
                    color="muted",
                    max_lines=2,
                ),
            ],
        )
        navigating = self._navigating()
        start = Button(
            id=self.rid("start"),
            text="End navigation" if navigating else "Start",
            width=MATCH,
            height=130,
            size=42,
            margin=(56, 20),
            on_click=self._stop if navigating else self._start,
        )
        return screen(bar, ends, divider(), modes, divider(), route, start)

    def _mode_tab(self, place: dict[str, Any], mode: str, chosen: bool) -> View:
        trip = place["travel"][mode]
        return LinearLayout(
            id=self.rid(f"mode_{mode.lower()}"),
            desc=mode,
            width=0,
            weight=1,
            padding=(10, 20),
            margin=(8, 0),
            radius=30,
            bg="tile_on" if chosen else None,
            selected=chosen,
            focusable=True,
            on_click=lambda: self.app.request_directions(self.place_id, mode),
            children=[
                TextView(text=mode, size=40, bold=True, align="center"),
                TextView(text=duration_text(int(trip["minutes"])), size=36, align="center"),
                TextView(text=f"{trip['km']} km", size=34, color="muted", align="center"),
            ],
        )

    def _navigating(self) -> bool:
        """Whether navigation to this place in the chosen mode has started."""
        last = self.app.state.get("directions") or {}
        return bool(last.get("started")) and last.get("place_id") == self.place_id

    def _start(self) -> None:
        self.app.request_directions(self.place_id, self.mode(), started=True)
        self.host.toast("Navigation started")

    def _stop(self) -> None:
        self.app.request_directions(self.place_id, self.mode())
        self.host.toast("Navigation ended")
