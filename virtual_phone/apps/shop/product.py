"""A product's page: name, price, rating, stock, "Add to cart", details and reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...ui.views import LinearLayout, Row, ScrollView, TextView, View
from ..base import Activity
from ..widgets import screen, toolbar
from . import model
from .cart import CartActivity
from .model import money
from .ui import ShopActivity, cart_action, filled_button, message, section_title, stars

if TYPE_CHECKING:
    from .app import ShopApp

LOW_STOCK = 5


def stock_text(stock: int) -> str:
    """What the page says of the stock."""
    if stock <= 0:
        return "Out of stock"
    return f"Only {stock} left in stock" if stock <= LOW_STOCK else "In stock"


class ProductActivity(ShopActivity):
    """One product; opening it records it in `recently_viewed`. "Add to cart" adds one
    more (up to the stock)."""

    name = "com.example.shop.ProductActivity"

    def __init__(self, app: ShopApp, product_id: str) -> None:
        super().__init__(app)
        self.product_id = product_id
        if model.product(app.state, product_id) is not None:
            model.viewed(app.state, product_id)

    def title(self) -> str:
        found = model.product(self.app.state, self.product_id)
        return str(found["name"]) if found else self.app.label

    def build(self) -> View:
        state = self.app.state
        cart = cart_action(self, model.item_count(state), self._cart)
        found = model.product(state, self.product_id)
        if found is None:
            return screen(
                toolbar(self, "", up=True, actions=[cart]),
                message(self, "This product is no longer available"),
            )
        body = ScrollView(
            id=self.rid("product_scroll"),
            weight=1,
            state=self.scroll("product"),
            padding=(0, 0, 0, 60),
            children=[*self._header(found), *self._details(found), *self._reviews(found)],
        )
        return screen(toolbar(self, str(found["category"]), up=True, actions=[cart]), body)

    def _header(self, product: dict[str, Any]) -> list[View]:
        in_cart = model.cart_qty(self.app.state, self.product_id)
        stock = int(product["stock"])
        views: list[View] = [
            TextView(
                id=self.rid("product_name"),
                text=product["name"],
                size=54,
                max_lines=4,
                padding=(48, 40, 48, 6),
            ),
            _line(self, "brand", f"Brand: {product['brand']}"),
            TextView(
                id=self.rid("price"),
                text=money(float(product["price"])),
                size=66,
                bold=True,
                padding=(48, 20, 48, 0),
            ),
            _line(
                self,
                "rating",
                f"{float(product['rating']):.1f} out of 5 · {int(product['ratings']):,} ratings",
            ),
            _line(self, "stock", stock_text(stock)),
        ]
        if in_cart:
            views.append(_line(self, "in_cart", f"{in_cart} in your cart"))
        views.append(
            filled_button(self, "Add to cart", "add_to_cart", self.add_to_cart, enabled=stock > 0)
        )
        return views

    def _details(self, product: dict[str, Any]) -> list[View]:
        rows: list[View] = [
            Row(
                id=self.rid("attribute"),
                padding=(48, 14),
                children=[
                    TextView(
                        id=self.rid("attribute_name"),
                        text=str(key),
                        size=40,
                        color="muted",
                        width=0,
                        weight=1,
                    ),
                    TextView(
                        id=self.rid("attribute_value"), text=str(value), size=40, width=0, weight=1
                    ),
                ],
            )
            for key, value in product["attributes"].items()
        ]
        about = TextView(
            id=self.rid("description"),
            text=str(product["description"]),
            size=40,
            max_lines=4,
            padding=(48, 14),
        )
        return [section_title(self, "About this item", "details_title"), *rows, about]

    def _reviews(self, product: dict[str, Any]) -> list[View]:
        views: list[View] = [section_title(self, "Customer reviews", "reviews_title")]
        for review in product["reviews"]:
            views.append(
                LinearLayout(
                    id=self.rid("review"),
                    margin=(40, 10),
                    padding=(40, 26),
                    bg="surface",
                    radius=24,
                    border="divider",
                    children=[
                        TextView(id=self.rid("review_author"), text=review["author"], size=40),
                        TextView(
                            id=self.rid("review_stars"),
                            text=stars(int(review["stars"])),
                            desc=f"{int(review['stars'])} out of 5 stars",
                            size=40,
                            color="accent",
                        ),
                        TextView(
                            id=self.rid("review_text"), text=review["text"], size=40, max_lines=4
                        ),
                    ],
                )
            )
        return views

    def add_to_cart(self) -> None:
        """One more of this product in the cart (refused beyond the stock)."""
        state = self.app.state
        found = model.product(state, self.product_id)
        if found is None:
            return
        qty = model.cart_qty(state, self.product_id)
        if qty >= int(found["stock"]):
            self.host.toast(f"Only {found['stock']} in stock")
            return
        model.set_qty(state, self.product_id, qty + 1)
        self.host.toast("Added to cart")

    def _cart(self) -> None:
        self.host.start_activity(CartActivity(self.app))


def _line(activity: Activity, name: str, text: str) -> TextView:
    return TextView(
        id=activity.rid(name), text=text, size=40, color="muted", padding=(48, 10, 48, 0)
    )
