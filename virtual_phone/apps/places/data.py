"""The seeded places of the Places app (pure: the same seed gives the same world).

`places(seed)` draws about sixty places: restaurants of several cuisines, cafés, museums,
parks, pharmacies, hotels, train stations and an airport, each with a unique name, phone
number and distance, opening hours per weekday and a few reviews. Ratings never tie within
a category and cuisine. `seeded_now(seed)` is the fixed moment "open now" refers to.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

from .hours import WEEKDAYS, hours_text
from .names import AUTHORS, OTHERS, RESTAURANTS, REVIEW_TEXTS, STREETS, SUBJECTS
from .travel import MODES, travel

RESTAURANTS_PER_CUISINE = 3
COUNTS = {
    "Café": 9,
    "Museum": 6,
    "Park": 6,
    "Pharmacy": 5,
    "Hotel": 7,
    "Train station": 2,
    "Airport": 1,
}
PRICES = {"Restaurant": (1, 4), "Café": (1, 2), "Museum": (1, 2), "Hotel": (2, 4)}
RATINGS = range(32, 50)  # tenths: 3.2 … 4.9


@dataclass(frozen=True)
class Review:
    """One visitor's review."""

    author: str
    stars: int
    text: str


@dataclass(frozen=True)
class Place:
    """A place as the app lists it; `hours` maps each weekday to "HH:MM–HH:MM" or
    "Closed"; `distance_km` is from the user's location."""

    id: int
    name: str
    category: str
    cuisine: str
    rating: float
    reviews_count: int
    price: str
    address: str
    phone: str
    hours: dict[str, str]
    distance_km: float
    reviews: list[Review] = field(default_factory=list)

    def to_state(self) -> dict[str, Any]:
        """The place as a JSON-serialisable dict, with the travel times of each mode."""
        data = asdict(self)
        data["travel"] = {
            mode: dict(zip(("minutes", "km"), travel(self.distance_km, mode), strict=True))
            for mode in MODES
        }
        return data


def places(seed: int) -> list[Place]:
    """The seeded places, ids 1…N in a shuffled order."""
    rng = random.Random(seed)
    kinds = [("Restaurant", c, n) for c, pool in RESTAURANTS.items() for n in _pick(rng, pool)]
    for category, count in COUNTS.items():
        kinds += [(category, "", name) for name in rng.sample(OTHERS[category], count)]
    rng.shuffle(kinds)
    phones = rng.sample(range(100), len(kinds))
    distances = _distances(rng, [category for category, _c, _n in kinds])
    ratings = _ratings(rng, [(category, cuisine) for category, cuisine, _n in kinds])
    addresses = _addresses(rng, len(kinds))
    return [
        Place(
            id=number,
            name=name,
            category=category,
            cuisine=cuisine,
            rating=ratings[number - 1],
            reviews_count=rng.randint(12, 2400),
            price=_price(rng, category),
            address=addresses[number - 1],
            phone=f"+1 555-01{phones[number - 1]:02d}",
            hours=hours_text(rng, category),
            distance_km=distances[number - 1],
            reviews=_reviews(rng, category, ratings[number - 1]),
        )
        for number, (category, cuisine, name) in enumerate(kinds, start=1)
    ]


def seeded_now(seed: int) -> dict[str, str]:
    """The fixed moment of this world: {"weekday": "Tuesday", "time": "19:30"}."""
    rng = random.Random(f"now-{seed}")
    minute = rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
    return {"weekday": rng.choice(WEEKDAYS), "time": f"{rng.randint(8, 21):02d}:{minute:02d}"}


def _pick(rng: random.Random, pool: tuple[str, ...]) -> list[str]:
    return rng.sample(pool, RESTAURANTS_PER_CUISINE)


def _distances(rng: random.Random, categories: list[str]) -> list[float]:
    """Unique distances in km: airports 18–30 km away, everything else within 15 km."""
    near = iter(rng.sample(range(2, 150), len(categories)))
    far = iter(rng.sample(range(180, 300), len(categories)))
    return [(next(far) if c == "Airport" else next(near)) / 10 for c in categories]


def _ratings(rng: random.Random, groups: list[tuple[str, str]]) -> list[float]:
    """Ratings with one decimal, never equal within one (category, cuisine) group."""
    draws = {
        group: iter(rng.sample(RATINGS, groups.count(group))) for group in dict.fromkeys(groups)
    }
    return [next(draws[group]) / 10 for group in groups]


def _addresses(rng: random.Random, count: int) -> list[str]:
    spots = rng.sample([(n, s) for n in range(1, 200) for s in STREETS], count)
    return [f"{number} {street}" for number, street in spots]


def _price(rng: random.Random, category: str) -> str:
    low, high = PRICES.get(category, (0, 0))
    return "$" * rng.randint(low, high)


def _reviews(rng: random.Random, category: str, rating: float) -> list[Review]:
    """2–4 reviews by different authors with different texts, stars near the rating."""
    reviews: list[Review] = []
    for author in rng.sample(AUTHORS, rng.randint(2, 4)):
        wanted = min(5, max(1, round(rating + rng.uniform(-1.5, 0.9))))
        used = {r.text for r in reviews}
        for stars in sorted(REVIEW_TEXTS, key=lambda level: abs(level - wanted)):
            texts = [t.format(subject=SUBJECTS[category]) for t in REVIEW_TEXTS[stars]]
            unused = [t for t in texts if t not in used]
            if unused:
                reviews.append(Review(author, stars, rng.choice(unused)))
                break
    return reviews
