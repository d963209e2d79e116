"""The main Places screen: Explore (search, chips, results) and Saved tabs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ...ui.views import MATCH, WRAP, RecyclerView, Row, TextView, View
from ..base import Activity
from ..widgets import divider, screen, text_field, toolbar
from .parts import chip, chip_row, header, muted, place_row
from .place_screen import PlaceActivity
from .search import CATEGORY_CHIPS, SORTS, Search

if TYPE_CHECKING:
    from .app import PlacesApp

SEARCH_FIELD = "search"
SEARCH_HINT = "Search here"
TABS = ("Explore", "Saved")
CHIPS_PER_ROW = 4


class ExploreActivity(Activity["PlacesApp"]):
    """Search with category, filter and sort chips over a results list, and the saved
    places. BACK clears the query first, then leaves."""

    def __init__(self, app: PlacesApp) -> None:
        super().__init__(app)
        self.name = app.main_activity
        self.tab = "Explore"
        self.search = Search()

    def title(self) -> str:
        return "Saved places" if self.tab == "Saved" else self.app.label

    def build(self) -> View:
        body = self._explore() if self.tab == "Explore" else self._saved()
        return screen(toolbar(self, "Places"), *body, self._tabs())

    # -- Explore ---------------------------------------------------------------------
    def _explore(self) -> list[View]:
        field = text_field(
            self,
            SEARCH_FIELD,
            self.search.query,
            SEARCH_HINT,
            self.set_query,
            on_submit=self.submit,
        )
        field.desc = SEARCH_HINT
        listing = self._results()
        listing.children[:0] = self._chips()  # they scroll away with the list (landscape)
        return [field, listing]

    def _chips(self) -> list[View]:
        labels = list(CATEGORY_CHIPS)
        rows = [
            chip_row(*map(self._category_chip, labels[start : start + CHIPS_PER_ROW]))
            for start in range(0, len(labels), CHIPS_PER_ROW)
        ]
        search = self.search
        rows.append(
            chip_row(
                chip(self, "Open now", search.open_now, self._flip("open_now"), "filter_open"),
                chip(self, "Top rated", search.top_rated, self._flip("top_rated"), "filter_top"),
            )
        )
        sorts: list[View] = [
            TextView(text="Sort by", size=36, color="muted", width=WRAP, margin=(0, 0, 24, 0))
        ]
        sorts += [
            chip(self, s, search.sort == s, self._sorter(s), f"sort_{s.lower()}") for s in SORTS
        ]
        rows.append(chip_row(*sorts))
        return rows

    def _category_chip(self, label: str) -> View:
        chosen = self.search.category == label

        def pick() -> None:
            self._update(category="" if chosen else label)

        return chip(self, label, chosen, pick, "category_chip")

    def _flip(self, key: str) -> Callable[[], None]:
        def flip() -> None:
            self._update(**{key: not getattr(self.search, key)})

        return flip

    def _sorter(self, sort: str) -> Callable[[], None]:
        return lambda: self._update(sort=sort)

    def _update(self, **changes: Any) -> None:
        self.search = replace(self.search, **changes)
        self.scroll("results").y = 0

    def _results(self) -> View:
        recent = self.app.state["recent_searches"]
        if self.focus == SEARCH_FIELD and not self.search.query and recent:
            return self._recent(recent)
        found = self.search.results(self.app.places(), self.app.state["now"])
        count = f"{len(found)} place" + ("" if len(found) == 1 else "s")
        rows: list[View] = [
            TextView(
                id=self.rid("result_count"), text=count, size=36, color="muted", padding=(56, 12)
            )
        ]
        rows += self._rows(found) or [muted(self, "No places found", "empty")]
        return RecyclerView(
            id=self.rid("results"), weight=1, state=self.scroll("results"), children=rows
        )

    def _recent(self, recent: list[str]) -> View:
        rows: list[View] = [header(self, "Recent searches")]
        for query in recent:
            rows.append(
                TextView(
                    id=self.rid("recent_search"),
                    text=query,
                    size=44,
                    padding=(56, 30),
                    focusable=True,
                    on_click=self._repeater(query),
                )
            )
        return RecyclerView(
            id=self.rid("recent"), weight=1, state=self.scroll("recent"), children=rows
        )

    def _repeater(self, query: str) -> Callable[[], None]:
        def repeat() -> None:
            self.set_query(query)
            self.submit()

        return repeat

    def set_query(self, text: str) -> None:
        """Filter by `text` as it is typed."""
        self._update(query=text.replace("\n", " "))

    def submit(self) -> None:
        """Enter in the search field: remember the query and close the keyboard."""
        self.app.record_search(self.search.query)
        self.host.hide_keyboard()

    # -- Saved -----------------------------------------------------------------------
    def _saved(self) -> list[View]:
        saved = [p for i in self.app.state["saved"] if (p := self.app.place(i)) is not None]
        rows: list[View] = [header(self, "Saved places", "saved_title")]
        rows += self._rows(saved) or [muted(self, "No saved places yet", "empty")]
        return [
            RecyclerView(id=self.rid("saved"), weight=1, state=self.scroll("saved"), children=rows)
        ]

    # -- shared ----------------------------------------------------------------------
    def _rows(self, found: Sequence[Mapping[str, Any]]) -> list[View]:
        now = self.app.state["now"]
        rows: list[View] = []
        for place in found:
            rows += [place_row(self, place, now, self._opener(place)), divider()]
        return rows

    def _opener(self, place: Mapping[str, Any]) -> Callable[[], None]:
        place_id = int(place["id"])

        def open_place() -> None:
            if self.tab == "Explore":
                self.app.record_search(self.search.query)
            self.host.hide_keyboard()
            self.host.start_activity(PlaceActivity(self.app, place_id))

        return open_place

    def _tabs(self) -> View:
        tabs: list[View] = []
        for label in TABS:
            chosen = self.tab == label
            tabs.append(
                Row(
                    id=self.rid(f"tab_{label.lower()}"),
                    width=0,
                    weight=1,
                    height=MATCH,
                    gravity="center",
                    selected=chosen,
                    focusable=True,
                    on_click=lambda label=label: self._switch(label),
                    children=[
                        TextView(
                            text=label,
                            size=40,
                            bold=chosen,
                            color="primary" if chosen else "muted",
                            width=WRAP,
                        )
                    ],
                )
            )
        return Row(id=self.rid("bottom_navigation"), height=160, bg="toolbar", children=tabs)

    def _switch(self, tab: str) -> None:
        self.tab = tab
        self.focus = None
        self.host.hide_keyboard()

    def on_back(self) -> bool:
        """BACK returns to Explore from Saved, then clears a query."""
        if self.tab != "Explore":
            self._switch("Explore")
            return True
        if not self.search.query:
            return False
        self.set_query("")
        self.focus = None
        return True
