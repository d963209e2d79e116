"""The cart: items with quantity buttons and Remove, the total and "Checkout"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...ui.views import WRAP, Button, LinearLayout, RecyclerView, Row, TextView, View
from ..base import Activity
from ..widgets import screen, toolbar
from . import model
from .checkout import CheckoutActivity
from .model import money
from .ui import ShopActivity, filled_button, message, text_button


class CartActivity(ShopActivity):
    """The cart's items. "+" adds one (up to the stock), "−" takes one away (the last one
    removes the item), "Remove" drops the item; their content descriptions name the
    product ("Increase quantity of …", "Decrease quantity of …", "Remove …")."""

    name = "com.example.shop.CartActivity"

    def build(self) -> View:
        state = self.app.state
        lines = model.cart_lines(state)
        rows = [self._row(p, qty) for p, qty in lines]
        listing = RecyclerView(
            id=self.rid("cart_list"),
            weight=1,
            state=self.scroll("cart"),
            children=rows or [message(self, "Your cart is empty")],
        )
        count = model.item_count(state)
        footer = Row(
            padding=(48, 20, 48, 0),
            children=[
                TextView(
                    id=self.rid("items_count"),
                    text=f"Subtotal ({count} item{'' if count == 1 else 's'})",
                    size=42,
                    width=0,
                    weight=1,
                ),
                TextView(
                    id=self.rid("cart_total"),
                    text=money(model.subtotal(state)),
                    size=48,
                    bold=True,
                    width=WRAP,
                ),
            ],
        )
        checkout = filled_button(self, "Checkout", "checkout", self._checkout, enabled=bool(rows))
        return screen(toolbar(self, "Cart", up=True), listing, footer, checkout)

    def _row(self, product: dict[str, Any], qty: int) -> View:
        product_id, name = str(product["id"]), str(product["name"])
        controls = Row(
            margin=(0, 16, 0, 0),
            children=[
                TextView(
                    id=self.rid("cart_item_price"),
                    text=money(float(product["price"])),
                    size=42,
                    bold=True,
                    width=0,
                    weight=1,
                ),
                _step_button(
                    self, "−", "decrease", f"Decrease quantity of {name}", self._step(product, -1)
                ),
                TextView(
                    id=self.rid("quantity"),
                    text=str(qty),
                    size=44,
                    width=100,
                    align="center",
                ),
                _step_button(
                    self, "+", "increase", f"Increase quantity of {name}", self._step(product, 1)
                ),
                text_button(
                    self, "Remove", "remove", self._remover(product_id), desc=f"Remove {name}"
                ),
            ],
        )
        return LinearLayout(
            id=self.rid("cart_item"),
            margin=(40, 12),
            padding=(40, 26),
            bg="surface",
            radius=30,
            border="divider",
            children=[
                TextView(id=self.rid("cart_item_name"), text=name, size=44, max_lines=2),
                controls,
            ],
        )

    def _step(self, product: dict[str, Any], delta: int) -> Callable[[], None]:
        def step() -> None:
            state = self.app.state
            qty = model.cart_qty(state, str(product["id"])) + delta
            if qty > int(product["stock"]):
                self.host.toast(f"Only {product['stock']} in stock")
                return
            model.set_qty(state, str(product["id"]), qty)
            if qty <= 0:
                self.host.toast("Removed from cart")

        return step

    def _remover(self, product_id: str) -> Callable[[], None]:
        def remove() -> None:
            model.set_qty(self.app.state, product_id, 0)
            self.host.toast("Removed from cart")

        return remove

    def _checkout(self) -> None:
        self.host.start_activity(CheckoutActivity(self.app, origin=self))


def _step_button(
    activity: Activity, text: str, name: str, desc: str, on_click: Callable[[], None]
) -> Button:
    """A round "−" or "+" button."""
    return Button(
        id=activity.rid(name),
        text=text,
        desc=desc,
        width=100,
        height=100,
        size=48,
        radius=50,
        bg="surface_variant",
        color="on_surface",
        on_click=on_click,
    )
