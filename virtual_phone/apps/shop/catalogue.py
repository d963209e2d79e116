"""The Shop's catalogue, generated from the phone's seed (pure: no phone needed).

By construction no two products share a name, a price or a number of ratings, and no two
products of one category share a rating, so "the cheapest 8 qt air fryer" or "the
best-rated headphones under $100" always have exactly one answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .kinds import KINDS, Kind

_CENTS = (99, 49, 95, 79, 29, 59, 89, 19)
_RATINGS = tuple(r / 10 for r in range(25, 51))  # 2.5 … 5.0
_REVIEWERS = (
    "Alex P.",
    "Bea K.",
    "Carlos M.",
    "Dana W.",
    "Eli R.",
    "Fatima S.",
    "Gus T.",
    "Hana L.",
    "Ivan D.",
    "Jess O.",
    "Kai N.",
    "Lou B.",
)
_REVIEW_TEXTS = {  # five a star: a product's reviews never repeat a text
    5: (
        "Excellent {noun}, worth every cent.",
        "Exactly as described. Would buy again.",
        "Best {noun} I have owned.",
        "Great quality and it arrived early.",
        "Five stars, my family loves it.",
    ),
    4: (
        "Very good for the price.",
        "Solid {noun}; delivery was quick.",
        "Works well, the manual could be clearer.",
        "Happy with it, the {key} is just right.",
        "Good value, nearly perfect.",
    ),
    3: (
        "Does the job, nothing special.",
        "Fine, but the {key} felt smaller than expected.",
        "Average. It works, but it feels cheap.",
        "OK for occasional use.",
        "Mixed feelings: good {key}, poor finish.",
    ),
    2: (
        "Disappointed with the build quality.",
        "Stopped working properly after a month.",
        "Not as pictured.",
        "Too noisy and hard to clean.",
        "The {key} was not as advertised.",
    ),
    1: (
        "Arrived damaged and support was slow.",
        "Would not recommend this {noun}.",
        "Broke on the first day.",
        "Returned it straight away.",
        "Waste of money.",
    ),
}


@dataclass(frozen=True)
class Review:
    """One customer review."""

    author: str
    stars: int
    text: str


@dataclass(frozen=True)
class Product:
    """One product of the catalogue (`to_dict()` is its form in the app state)."""

    id: str
    name: str
    brand: str
    kind: str
    category: str
    price: float
    rating: float
    ratings: int
    reviews: tuple[Review, ...]
    attributes: tuple[tuple[str, str], ...]
    stock: int
    bought: int  # bought last month: orders "Featured" and picks the trending products
    description: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form kept in the Shop's state."""
        return {
            "id": self.id,
            "name": self.name,
            "brand": self.brand,
            "kind": self.kind,
            "category": self.category,
            "price": self.price,
            "rating": self.rating,
            "ratings": self.ratings,
            "reviews": [
                {"author": r.author, "stars": r.stars, "text": r.text} for r in self.reviews
            ],
            "attributes": dict(self.attributes),
            "stock": self.stock,
            "bought": self.bought,
            "description": self.description,
        }


def catalogue(seed: int) -> list[Product]:
    """The ~100 products of the world of `seed`, in id order."""
    return list(_catalogue(seed))


@lru_cache(maxsize=16)
def _catalogue(seed: int) -> tuple[Product, ...]:
    rng = random.Random(seed)
    used_prices: set[int] = set()
    category_ratings: dict[str, list[float]] = {}
    total = sum(k.count for k in KINDS)
    ratings_counts = rng.sample(range(12, 24000), total)
    bought = rng.sample(range(40, 6000), total)
    products: list[Product] = []
    for kind in KINDS:
        pool = category_ratings.setdefault(kind.category, rng.sample(_RATINGS, len(_RATINGS)))
        for brand, model, value, cents in _variants(rng, kind, used_prices):
            index = len(products)
            fields = _fields(rng, kind, (brand, model, value), cents, pool.pop())
            fields |= {"ratings": ratings_counts[index], "bought": bought[index]}
            products.append(Product(id=f"p{1001 + index}", **fields))
    return tuple(products)


def _variants(
    rng: random.Random, kind: Kind, used_prices: set[int]
) -> list[tuple[str, str, str, int]]:
    """(brand, model, key value, price in cents) of each product of a kind."""
    pairs = rng.sample([(b, m) for b in kind.brands for m in kind.models], kind.count)
    values = [kind.values[i % len(kind.values)] for i in range(kind.count)]
    rng.shuffle(values)
    slots = rng.sample(range(kind.count), kind.count)  # stratified: prices spread evenly
    low, high = kind.price
    out = []
    for (brand, model), value, slot in zip(pairs, values, slots, strict=True):
        dollars = low + int((high - low) * (slot + rng.random()) / kind.count)
        cents = dollars * 100 + rng.choice(_CENTS)
        while cents in used_prices:
            cents += 100
        used_prices.add(cents)
        out.append((brand, model, value, cents))
    return out


def _fields(
    rng: random.Random, kind: Kind, names: tuple[str, str, str], cents: int, rating: float
) -> dict[str, Any]:
    """A product's fields but its id, number of ratings and sales."""
    brand, model, value = names
    name = kind.name_format.format(brand=brand, model=model, noun=kind.noun, value=value)
    extra_name, extra_values = kind.extra
    attributes = ((kind.key, value), (extra_name, rng.choice(extra_values)))
    description = f"{kind.noun} by {brand}. {kind.key}: {value}."
    return {
        "name": name,
        "brand": brand,
        "kind": kind.noun,
        "category": kind.category,
        "price": cents / 100,
        "rating": rating,
        "reviews": _reviews(rng, kind, rating),
        "attributes": attributes,
        "stock": rng.choice((1, 2, 3)) if rng.random() < 0.15 else rng.randint(4, 40),
        "description": description,
    }


def _reviews(rng: random.Random, kind: Kind, rating: float) -> tuple[Review, ...]:
    """2–5 reviews whose stars lie around the product's rating."""
    authors = rng.sample(_REVIEWERS, rng.randint(2, 5))
    reviews: list[Review] = []
    for author in authors:
        stars = min(5, max(1, round(rating + rng.choice((-1, 0, 0, 0, 1)))))
        used = {r.text for r in reviews}
        texts = [
            t.format(noun=kind.noun.lower(), key=kind.key.lower()) for t in _REVIEW_TEXTS[stars]
        ]
        reviews.append(Review(author, stars, rng.choice([t for t in texts if t not in used])))
    return tuple(reviews)


def trending_ids(products: list[dict[str, Any]], count: int = 6) -> list[str]:
    """Ids of the best sellers (most bought last month), best first."""
    ranked = sorted(products, key=lambda p: -int(p["bought"]))
    return [str(p["id"]) for p in ranked[:count]]
