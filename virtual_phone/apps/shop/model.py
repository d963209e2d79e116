"""What the Shop does with its state: search, filter and sort products; the cart; orders.

Pure functions over the JSON state (products are dicts, see `Product.to_dict`), so that
validators can compute the same answers the screens show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]

FEATURED = "Featured"
PRICE_UP = "Price: low to high"
PRICE_DOWN = "Price: high to low"
TOP_RATED = "Top rated"
SORTS = (FEATURED, PRICE_UP, PRICE_DOWN, TOP_RATED)
MIN_RATINGS = (3.0, 3.5, 4.0, 4.5)

# delivery option → (label, fee in cents, when)
DELIVERY = {
    "standard": ("Standard delivery", 0, "Free · 3–5 days"),
    "express": ("Express delivery", 999, "$9.99 · next day"),
}
RECENT_LIMIT = 10

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+")


def money(value: float) -> str:
    """The price as "$1,234.50"."""
    return f"${value:,.2f}"


def cents(value: float) -> int:
    """A price in whole cents."""
    return round(value * 100)


def tokens(text: str) -> list[str]:
    """Words and numbers of `text`, case-folded ("8qt" → "8", "qt")."""
    return _TOKEN.findall(text.casefold())


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.isdigit() else word


def matches(product: Record, query: str) -> bool:
    """True when every word of `query` starts a word of the product's name, brand, kind,
    category or attributes (numbers must match whole: "8" finds "8 qt", not "18 qt")."""
    attributes = " ".join(str(v) for v in product["attributes"].values())
    text = " ".join((product["name"], product["kind"], product["category"], attributes))
    words = set(tokens(text))
    for wanted in map(_stem, tokens(query)):
        exact = wanted[0].isdigit()
        if not any(w == wanted if exact else w.startswith(wanted) for w in words):
            return False
    return True


@dataclass
class Filters:
    """The filters of a product search (None: not filtered)."""

    category: str | None = None
    min_rating: float | None = None
    max_price: float | None = None

    def keeps(self, product: Record) -> bool:
        """True when the product passes every filter."""
        return (
            (self.category is None or product["category"] == self.category)
            and (self.min_rating is None or float(product["rating"]) >= self.min_rating)
            and (self.max_price is None or float(product["price"]) <= self.max_price)
        )

    def summary(self) -> str:
        """What is filtered, as "Kitchen · Rating 4.0 & up · Up to $100.00" ("" for nothing)."""
        parts = []
        if self.category:
            parts.append(self.category)
        if self.min_rating is not None:
            parts.append(f"Rating {self.min_rating:.1f} & up")
        if self.max_price is not None:
            parts.append(f"Up to {money(self.max_price)}")
        return " · ".join(parts)


def sort_key(order: str) -> Any:
    """The sort key of a sort order; ties cannot happen (prices and ratings counts are
    unique; "Top rated" breaks equal ratings by the number of ratings)."""
    if order == PRICE_UP:
        return lambda p: float(p["price"])
    if order == PRICE_DOWN:
        return lambda p: -float(p["price"])
    if order == TOP_RATED:
        return lambda p: (-float(p["rating"]), -int(p["ratings"]))
    return lambda p: -int(p["bought"])


def search(products: list[Record], query: str, filters: Filters, order: str) -> list[Record]:
    """The products matching `query` and `filters`, in `order` (one of SORTS)."""
    found = [p for p in products if filters.keeps(p) and matches(p, query)]
    return sorted(found, key=sort_key(order))


# -- state ----------------------------------------------------------------------------
def product(state: Record, product_id: str) -> Record | None:
    """The product with this id."""
    return next((p for p in state["products"] if p["id"] == product_id), None)


def viewed(state: Record, product_id: str) -> None:
    """Put the product first in `recently_viewed`."""
    recent = [pid for pid in state["recently_viewed"] if pid != product_id]
    state["recently_viewed"] = [product_id, *recent][:RECENT_LIMIT]


def cart_qty(state: Record, product_id: str) -> int:
    """How many of the product are in the cart."""
    return next((int(i["qty"]) for i in state["cart"] if i["product_id"] == product_id), 0)


def set_qty(state: Record, product_id: str, qty: int) -> None:
    """Put `qty` of the product in the cart (0 removes it; new items go last)."""
    cart = state["cart"]
    item = next((i for i in cart if i["product_id"] == product_id), None)
    if qty <= 0:
        state["cart"] = [i for i in cart if i["product_id"] != product_id]
    elif item is None:
        cart.append({"product_id": product_id, "qty": qty})
    else:
        item["qty"] = qty


def cart_lines(state: Record) -> list[tuple[Record, int]]:
    """(product, quantity) of each cart item whose product exists."""
    lines = []
    for item in state["cart"]:
        found = product(state, str(item["product_id"]))
        if found is not None:
            lines.append((found, int(item["qty"])))
    return lines


def subtotal(state: Record) -> float:
    """The cart's total price."""
    return sum(cents(p["price"]) * qty for p, qty in cart_lines(state)) / 100


def item_count(state: Record) -> int:
    """Number of items in the cart (quantities summed)."""
    return sum(qty for _, qty in cart_lines(state))


def place_order(state: Record, address: dict[str, str], delivery: str) -> Record:
    """Turn the cart into a new order (status "Placed"), empty the cart; the order."""
    items = [
        {"product_id": p["id"], "name": p["name"], "price": p["price"], "qty": qty}
        for p, qty in cart_lines(state)
    ]
    fee = DELIVERY[delivery][1]
    items_cents = sum(cents(i["price"]) * int(i["qty"]) for i in items)
    order: Record = {
        "id": int(state["next_order_id"]),
        "items": items,
        "subtotal": items_cents / 100,
        "delivery": delivery,
        "delivery_fee": fee / 100,
        "total": (items_cents + fee) / 100,
        "status": "Placed",
        "address": dict(address),
    }
    state["next_order_id"] = order["id"] + 1
    state["orders"].append(order)
    state["cart"] = []
    return order


def find_order(state: Record, order_id: int) -> Record | None:
    """The order with this id."""
    return next((o for o in state["orders"] if o["id"] == order_id), None)
