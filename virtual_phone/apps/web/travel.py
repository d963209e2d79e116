"""travel.example.com, Example Travel: trains and flights from London to six destinations,
and the opening hours of their sights, all drawn from the seed.

Within a destination no two trains (or flights) share a price or a duration, so "the
cheapest" and "the fastest" always have one answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from .page import Page, h1, h2, link, p, pounds, small

HOME_URL = "https://travel.example.com/"
ORIGIN = "London"
SHOWN = 6
TRAINS = 4
FLIGHTS = 3

# city, country, train minutes, flight minutes, train operators
CITIES = (
    ("Paris", "France", 140, 75, ("Eurostar",)),
    ("Brussels", "Belgium", 125, 65, ("Eurostar",)),
    ("Amsterdam", "Netherlands", 235, 70, ("Eurostar",)),
    ("Edinburgh", "United Kingdom", 265, 80, ("LNER", "Avanti")),
    ("Manchester", "United Kingdom", 130, 60, ("Avanti",)),
    ("York", "United Kingdom", 115, 55, ("LNER", "Grand Central")),
    ("Lyon", "France", 300, 95, ("Eurostar + TGV",)),
    ("Cologne", "Germany", 270, 80, ("Eurostar + ICE",)),
)
AIRLINES = ("SkyLark", "Bluewing", "AeroNova", "Northjet")
SIGHTS = (
    "Museum of Art",
    "Cathedral",
    "Botanical Garden",
    "Castle",
    "Science Centre",
    "Old Town Hall",
    "Aquarium",
    "Observation Tower",
)
OPENS = ("08:30", "09:00", "09:30", "10:00")
CLOSES = ("17:00", "17:30", "18:00", "19:00", "20:00")
CLOSED_ON = (None, None, "Monday", "Tuesday")


@dataclass(frozen=True)
class Route:
    """One train or flight: carrier, departure and arrival ("HH:MM"), minutes, price in
    pounds, changes (0: direct)."""

    carrier: str
    depart: str
    arrive: str
    minutes: int
    price: float
    changes: int = 0

    def duration(self) -> str:
        """The duration as "2 h 05 min"."""
        return f"{self.minutes // 60} h {self.minutes % 60:02d} min"


@dataclass(frozen=True)
class Sight:
    """A sight: opening and closing time, the weekday it is closed (None: open daily),
    entry price in pounds (0: free)."""

    name: str
    opens: str
    closes: str
    closed_on: str | None
    price: float

    def hours(self) -> str:
        """The hours as "09:00–18:00, closed on Mondays" (or "…, open every day")."""
        days = f"closed on {self.closed_on}s" if self.closed_on else "open every day"
        return f"{self.opens}–{self.closes}, {days}"


@dataclass(frozen=True)
class Destination:
    """A destination page: trains and flights from London, sights."""

    slug: str
    city: str
    country: str
    trains: tuple[Route, ...]
    flights: tuple[Route, ...]
    sights: tuple[Sight, ...]

    @property
    def url(self) -> str:
        return f"{HOME_URL}destinations/{self.slug}"


def _clock(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _routes(
    rng: random.Random, count: int, base: int, carriers: tuple[str, ...], fares: tuple[int, int]
) -> tuple[Route, ...]:
    """`count` departures, with distinct durations and prices, by departure time."""
    departures = sorted(rng.sample(range(6 * 12, 21 * 12), count))  # 5-minute steps
    durations = rng.sample(range(base - 10, base + 60), count)
    prices = rng.sample(range(fares[0], fares[1]), count)
    routes = []
    for step, minutes, price in zip(departures, durations, prices, strict=True):
        depart = step * 5
        changes = 1 if minutes > base + 40 else 0
        routes.append(
            Route(
                rng.choice(carriers),
                _clock(depart),
                _clock(depart + minutes),
                minutes,
                price + rng.choice((0.0, 0.5)),
                changes,
            )
        )
    return tuple(routes)


def _sights(rng: random.Random, city: str) -> tuple[Sight, ...]:
    return tuple(
        Sight(
            f"{city} {name}",
            rng.choice(OPENS),
            rng.choice(CLOSES),
            rng.choice(CLOSED_ON),
            rng.choice((0.0, 8.5, 12.0, 14.5, 18.0, 22.0)),
        )
        for name in rng.sample(SIGHTS, 3)
    )


@lru_cache(maxsize=16)
def _travel(seed: int) -> tuple[Destination, ...]:
    rng = random.Random(f"travel:{seed}")
    out = []
    for city, country, by_train, by_air, operators in rng.sample(CITIES, SHOWN):
        out.append(
            Destination(
                city.lower(),
                city,
                country,
                _routes(rng, TRAINS, by_train, operators, (29, 160)),
                _routes(rng, FLIGHTS, by_air, AIRLINES, (39, 220)),
                _sights(rng, city),
            )
        )
    return tuple(sorted(out, key=lambda d: d.city))


def travel(seed: int) -> list[Destination]:
    """The destinations of the world of `seed`, by name."""
    return list(_travel(seed))


def _route_line(route: Route) -> str:
    stops = "direct" if not route.changes else f"{route.changes} change"
    return (
        f"{route.depart} → {route.arrive} · {route.duration()} · {route.carrier} · {stops} · "
        f"{pounds(route.price)}"
    )


def home_page(seed: int) -> Page:
    """The destinations with their lowest fares."""
    blocks = [
        h1("Example Travel"),
        p(f"Trains and flights from {ORIGIN}, and what to see when you get there."),
    ]
    for dest in travel(seed):
        blocks += [
            link(f"{dest.city}, {dest.country}", dest.url),
            small(
                f"Trains from {pounds(min(r.price for r in dest.trains))} · "
                f"Flights from {pounds(min(r.price for r in dest.flights))}"
            ),
        ]
    return Page("Example Travel", tuple(blocks))


def destination_page(seed: int, slug: str) -> Page | None:
    """A destination's trains, flights and sights, or None."""
    dest = next((d for d in travel(seed) if d.slug == slug), None)
    if dest is None:
        return None
    blocks = [h1(f"{ORIGIN} to {dest.city}"), small(f"{dest.city}, {dest.country}"), h2("Trains")]
    blocks += [p(_route_line(r)) for r in dest.trains]
    blocks.append(h2("Flights"))
    blocks += [p(_route_line(r)) for r in dest.flights]
    blocks.append(h2("Opening hours"))
    for sight in dest.sights:
        entry = f"Entry {pounds(sight.price)}" if sight.price else "Free entry"
        blocks.append(p(f"{sight.name}: {sight.hours()}. {entry}."))
    blocks.append(link("All destinations", HOME_URL))
    return Page(f"{ORIGIN} to {dest.city} - Example Travel", tuple(blocks))


def pages(seed: int) -> list[tuple[str, Page]]:
    """(url, page) of every page of the site, for the search engine."""
    found = [(HOME_URL, home_page(seed))]
    for dest in travel(seed):
        page = destination_page(seed, dest.slug)
        if page is not None:
            found.append((dest.url, page))
    return found
