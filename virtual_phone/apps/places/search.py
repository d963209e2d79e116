"""Which places a search shows, and in what order (pure)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .hours import is_open

Place = Mapping[str, Any]

# category chip label -> the categories it shows
CATEGORY_CHIPS: dict[str, tuple[str, ...]] = {
    "Restaurants": ("Restaurant",),
    "Cafés": ("Café",),
    "Museums": ("Museum",),
    "Parks": ("Park",),
    "Hotels": ("Hotel",),
    "Pharmacies": ("Pharmacy",),
    "Transport": ("Train station", "Airport"),
}
SORTS = ("Relevance", "Distance", "Rating")
TOP_RATED = 4.5  # the "Top rated" filter keeps places rated at least this


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text` ("Café" and "cafe" fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def kind(place: Place) -> str:
    """ "Italian restaurant", "Museum", …"""
    return f"{place['cuisine']} restaurant" if place["cuisine"] else str(place["category"])


def matches(place: Place, query: str) -> bool:
    """Whether `query` occurs in the place's name, kind or address (folded)."""
    wanted = fold(query.strip())
    fields = (place["name"], kind(place), place["category"], place["address"])
    return not wanted or any(wanted in fold(str(value)) for value in fields)


@dataclass(frozen=True)
class Search:
    """A query with its chips: category chip label ("" for all), filters and sort."""

    query: str = ""
    category: str = ""
    open_now: bool = False
    top_rated: bool = False
    sort: str = "Relevance"

    def keeps(self, place: Place, now: Mapping[str, str]) -> bool:
        """Whether the place passes the query and every chip."""
        if self.category and place["category"] not in CATEGORY_CHIPS[self.category]:
            return False
        if self.open_now and not is_open(place["hours"], now):
            return False
        if self.top_rated and float(place["rating"]) < TOP_RATED:
            return False
        return matches(place, self.query)

    def results(self, places: Sequence[Place], now: Mapping[str, str]) -> list[Place]:
        """The kept places in the chosen order (Relevance: names matching the query first,
        then the most reviewed; Distance: nearest first; Rating: best first)."""
        kept = [p for p in places if self.keeps(p, now)]
        if self.sort == "Distance":
            return sorted(kept, key=lambda p: float(p["distance_km"]))
        if self.sort == "Rating":
            return sorted(kept, key=lambda p: (-float(p["rating"]), -int(p["reviews_count"])))
        wanted = fold(self.query.strip())
        return sorted(
            kept, key=lambda p: (wanted not in fold(str(p["name"])), -int(p["reviews_count"]))
        )
