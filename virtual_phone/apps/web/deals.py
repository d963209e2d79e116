"""deals.example.com, Deal Finder: web prices of many products of the Shop's catalogue.

Each listed product has one web price, never equal to its Shop price (they differ by at
least 50 cents), so "is it cheaper in Shop or on the web" always has one answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote_plus

from ..shop.catalogue import catalogue
from ..shop.kinds import CATEGORIES
from ..shop.model import matches
from .page import Page, dollars, h1, h2, link, p, small

HOME_URL = "https://deals.example.com/"
LISTED = 48
STORES = ("MegaMart", "ShopRight", "Bargain Barn", "CityTech", "HomeHub", "ValueBox")


@dataclass(frozen=True)
class Deal:
    """A product as Deal Finder lists it."""

    product_id: str
    name: str
    category: str
    kind: str
    attributes: tuple[tuple[str, str], ...]
    shop_price: float  # the price in the Shop app's catalogue
    web_price: float
    store: str

    @property
    def url(self) -> str:
        return f"{HOME_URL}item/{self.product_id}"

    @property
    def cheaper_on_web(self) -> bool:
        return self.web_price < self.shop_price


@lru_cache(maxsize=16)
def _deals(seed: int) -> tuple[Deal, ...]:
    rng = random.Random(f"deals:{seed}")
    products = catalogue(seed)
    picked = sorted(rng.sample(range(len(products)), LISTED))
    dearer = [n % 2 == 0 for n in range(LISTED)]  # half dearer on the web, half cheaper
    rng.shuffle(dearer)
    out = []
    for index, up in zip(picked, dearer, strict=True):
        product = products[index]
        shop = round(product.price * 100)
        change = max(50, round(shop * rng.uniform(0.04, 0.2)))
        web = shop + change if up else shop - change
        out.append(
            Deal(
                product.id,
                product.name,
                product.category,
                product.kind,
                product.attributes,
                product.price,
                web / 100,
                rng.choice(STORES),
            )
        )
    return tuple(out)


def deals(seed: int) -> list[Deal]:
    """The products Deal Finder lists in the world of `seed`, in catalogue order."""
    return list(_deals(seed))


def _matches(deal: Deal, query: str) -> bool:
    product = {
        "name": deal.name,
        "kind": deal.kind,
        "category": deal.category,
        "attributes": dict(deal.attributes),
    }
    return matches(product, query)


def home_page(seed: int, query: str = "") -> Page:
    """The list of deals by category (those matching `query` when one is given)."""
    shown = [d for d in deals(seed) if _matches(d, query)]
    blocks = [
        h1("Deal Finder"),
        small(f"Prices checked today at {len(STORES)} online stores."),
        p("To search, add ?q= and your words to the address, e.g. deals.example.com/?q=air+fryer"),
    ]
    if query.strip():
        blocks.append(h2(f"{len(shown)} deals for “{query.strip()}”"))
    for category in CATEGORIES:
        listed = [d for d in shown if d.category == category]
        if listed:
            blocks.append(h2(category))
            blocks += [link(f"{d.name} · {dollars(d.web_price)}", d.url) for d in listed]
    if not shown:
        blocks.append(p("No deals found. Try other words."))
    return Page("Deal Finder", tuple(blocks))


def item_page(seed: int, product_id: str) -> Page | None:
    """One deal, by product id, or None."""
    deal = next((d for d in deals(seed) if d.product_id == product_id), None)
    if deal is None:
        return None
    details = " · ".join(f"{k}: {v}" for k, v in deal.attributes)
    blocks = (
        h1(deal.name),
        small(f"{deal.category} · {deal.kind}"),
        p(f"Best web price: {dollars(deal.web_price)} at {deal.store}"),
        p(details),
        link(f"More {deal.kind.lower()} deals", HOME_URL + "?q=" + quote_plus(deal.kind)),
        link("All deals", HOME_URL),
    )
    return Page(f"{deal.name} - Deal Finder", blocks)


def pages(seed: int) -> list[tuple[str, Page]]:
    """(url, page) of every page of the site, for the search engine."""
    found = [(HOME_URL, home_page(seed))]
    for deal in deals(seed):
        page = item_page(seed, deal.product_id)
        if page is not None:
            found.append((deal.url, page))
    return found
