"""Shop (`com.example.shop`): search, browse, a cart, checkout and orders."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ..base import Activity, App
from .cart import CartActivity
from .catalogue import catalogue
from .checkout import CheckoutActivity
from .home import HomeActivity
from .orders import OrdersActivity
from .results import ResultsActivity

PACKAGE = "com.example.shop"

_CUSTOMERS = (
    ("Sam Carter", "12 Elm Street", "Springfield", "40210"),
    ("Robin Hale", "8 Mill Lane", "Riverton", "30155"),
    ("Alex Moreno", "221 Oak Avenue", "Lakeside", "60614"),
)


class ShopApp(App):
    """An online shop. State:

    - "products": the catalogue, [{id, name, brand, kind, category, price, rating (one
      decimal), ratings (count), reviews [{author, stars, text}], attributes {name: value},
      stock, bought (last month), description}] (see `catalogue.catalogue(seed)`);
    - "cart": [{product_id, qty}] in the order added;
    - "orders": [{id, items [{product_id, name, price, qty}], subtotal, delivery
      ("standard" | "express"), delivery_fee, total, status ("Placed" | "Delivered" |
      "Cancelled"), address {name, street, city, postcode}}], oldest first;
    - "recently_viewed": product ids, the latest first (at most 10);
    - "next_order_id".
    """

    package = PACKAGE
    label = "Shop"
    main_activity = PACKAGE + ".MainActivity"
    system = False
    icon = "bag"
    icon_bg = "#e8702a"

    def initial_state(self, seed: int) -> dict[str, Any]:
        products = [p.to_dict() for p in catalogue(seed)]
        return {
            "products": products,
            "cart": [],
            "orders": _past_orders(seed, products),
            "recently_viewed": [],
            "next_order_id": 1003,
        }

    def empty_state(self) -> dict[str, Any]:
        return {
            "products": [p.to_dict() for p in catalogue(self.seed)],
            "cart": [],
            "orders": [],
            "recently_viewed": [],
            "next_order_id": 1001,
        }

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {
            self.main_activity: lambda: HomeActivity(self),
            ResultsActivity.name: lambda: ResultsActivity(self),
            CartActivity.name: lambda: CartActivity(self),
            CheckoutActivity.name: lambda: CheckoutActivity(self),
            OrdersActivity.name: lambda: OrdersActivity(self),
        }


def _past_orders(seed: int, products: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two delivered orders of one or two products each."""
    rng = random.Random(seed + 7919)
    name, street, city, postcode = rng.choice(_CUSTOMERS)
    address = {"name": name, "street": street, "city": city, "postcode": postcode}
    orders = []
    for order_id in (1001, 1002):
        picked = rng.sample(products, rng.randint(1, 2))
        items = [
            {"product_id": p["id"], "name": p["name"], "price": p["price"], "qty": 1}
            for p in picked
        ]
        total = sum(round(float(i["price"]) * 100) for i in items) / 100
        orders.append(
            {
                "id": order_id,
                "items": items,
                "subtotal": total,
                "delivery": "standard",
                "delivery_fee": 0.0,
                "total": total,
                "status": "Delivered",
                "address": dict(address),
            }
        )
    return orders
