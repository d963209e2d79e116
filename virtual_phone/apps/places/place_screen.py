"""A place's page: rating, status, Directions / Call / Save / Share, contact, hours, reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...ui.views import WRAP, Button, LinearLayout, Row, ScrollView, TextView, View
from ..base import Activity, Dialog
from ..widgets import divider, screen, toolbar, two_line_row
from .directions import DirectionsActivity
from .hours import ALL_DAY, WEEKDAYS, status
from .parts import header
from .search import kind

if TYPE_CHECKING:
    from .app import PlacesApp

LINK = "https://places.example.com/place/{id}"


class PlaceActivity(Activity["PlacesApp"]):
    """One place. Call asks first and logs the call; Save toggles the saved list."""

    def __init__(self, app: PlacesApp, place_id: int) -> None:
        super().__init__(app)
        self.name = app.package + ".PlaceActivity"
        self.place_id = place_id

    def title(self) -> str:
        place = self.app.place(self.place_id)
        return str(place["name"]) if place else self.app.label

    def build(self) -> View:
        place = self.app.place(self.place_id)
        bar = toolbar(self, "", up=True)
        if place is None:
            return screen(bar, TextView(text="Place not found", size=44, padding=(56, 60)))
        now = self.app.state["now"]
        parts: list[View] = [
            TextView(
                id=self.rid("place_title"),
                text=str(place["name"]),
                size=62,
                max_lines=2,
                padding=(56, 20, 56, 0),
            ),
            self._line("rating", f"{place['rating']} ★ · {place['reviews_count']} reviews"),
            self._line("category", " · ".join(filter(None, (kind(place), str(place["price"]))))),
            self._line("open_status", status(place["hours"], now)),
            self._line("distance", f"{place['distance_km']} km away"),
            self._actions(place),
            divider(),
            two_line_row(
                str(place["address"]),
                "Address",
                icon="globe",
                title_id=self.rid("address"),
                summary_id=self.rid("address_label"),
            ),
            two_line_row(
                str(place["phone"]),
                "Phone",
                icon="phone",
                title_id=self.rid("phone_number"),
                summary_id=self.rid("phone_label"),
            ),
            divider(),
            header(self, "Hours"),
            *self._hours(place["hours"], now["weekday"]),
            divider(),
            header(self, f"Reviews ({len(place['reviews'])})"),
            *(self._review(review) for review in place["reviews"]),
        ]
        details = ScrollView(
            id=self.rid("place_details"), weight=1, state=self.scroll("details"), children=parts
        )
        return screen(bar, details)

    def _line(self, rid: str, text: str) -> View:
        return TextView(
            id=self.rid(rid),
            text=text,
            size=38,
            color="muted",
            max_lines=2,
            padding=(56, 10, 56, 0),
        )

    def _actions(self, place: dict[str, Any]) -> View:
        saved = self.app.is_saved(self.place_id)
        buttons = [
            ("directions", "Directions", self._directions),
            ("call", "Call", lambda: self._ask_call(place)),
            ("save", "Saved" if saved else "Save", self._toggle_save),
            ("share", "Share", lambda: self._share(place)),
        ]
        return Row(
            padding=(40, 40, 24, 30),
            children=[
                Button(
                    id=self.rid(rid),
                    text=label,
                    width=0,
                    weight=1,
                    height=110,
                    size=34,
                    margin=(0, 0, 16, 0),
                    bg="primary" if rid == "directions" else "surface_variant",
                    color="on_primary" if rid == "directions" else "primary",
                    selected=rid == "save" and saved,
                    on_click=action,
                )
                for rid, label, action in buttons
            ],
        )

    def _hours(self, hours: dict[str, str], today: str) -> list[View]:
        rows: list[View] = []
        for day in WEEKDAYS:
            text = hours.get(day, "Closed")
            rows.append(
                Row(
                    id=self.rid("hours_row"),
                    padding=(56, 8),
                    children=[
                        TextView(
                            id=self.rid("day"), text=day, size=40, bold=day == today, width=340
                        ),
                        TextView(
                            id=self.rid("hours"),
                            text="Open 24 hours" if text == ALL_DAY else text,
                            size=40,
                            bold=day == today,
                            width=WRAP,
                        ),
                    ],
                )
            )
        return rows

    def _review(self, review: dict[str, Any]) -> View:
        stars = int(review["stars"])
        return LinearLayout(
            id=self.rid("review"),
            padding=(56, 18),
            children=[
                TextView(
                    id=self.rid("review_author"), text=str(review["author"]), size=40, bold=True
                ),
                TextView(
                    id=self.rid("review_stars"),
                    text="★" * stars + "☆" * (5 - stars),
                    desc=f"{stars} stars",
                    size=38,
                    color="accent",
                ),
                TextView(
                    id=self.rid("review_text"), text=str(review["text"]), size=40, max_lines=4
                ),
            ],
        )

    # -- actions ---------------------------------------------------------------------
    def _directions(self) -> None:
        self.app.request_directions(self.place_id, "Drive")
        self.host.start_activity(DirectionsActivity(self.app, self.place_id))

    def _ask_call(self, place: dict[str, Any]) -> None:
        number = str(place["phone"])

        def call() -> None:
            self.app.record_call(number)
            self.host.toast(f"Calling {number}…")

        self.confirm(f"Call {number}?", str(place["name"]), "Call now", call)

    def _toggle_save(self) -> None:
        saved = self.app.toggle_saved(self.place_id)
        self.host.toast("Saved to your places" if saved else "Removed from saved places")

    def _share(self, place: dict[str, Any]) -> None:
        link = LINK.format(id=place["id"])

        def copy() -> None:
            self.close_dialog()
            self.app.record_share(self.place_id)
            self.host.toast("Link copied")

        self.show_dialog(
            Dialog(
                "Share place",
                f"{place['name']}\n{link}",
                [("Cancel", self.close_dialog), ("Copy link", copy)],
            )
        )
