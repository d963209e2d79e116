"""The Shop's home screen: a search field, category chips, trending and recently viewed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...ui.views import RecyclerView, View
from ..widgets import screen, text_field, toolbar
from . import model
from .cart import CartActivity
from .catalogue import trending_ids
from .kinds import CATEGORIES
from .model import Filters
from .orders import OrdersActivity
from .product import ProductActivity
from .results import ResultsActivity
from .ui import ShopActivity, cart_action, chip, chip_rows, product_row, section_title, text_button

if TYPE_CHECKING:
    from .app import ShopApp

RECENT_SHOWN = 4


class HomeActivity(ShopActivity):
    """Search (submitted with enter), categories, the trending products, recently viewed."""

    name = "com.example.shop.MainActivity"

    def __init__(self, app: ShopApp) -> None:
        super().__init__(app)
        self.query = ""

    def build(self) -> View:
        state = self.app.state
        actions: list[View] = [
            text_button(self, "Orders", "orders", self._orders),
            cart_action(self, model.item_count(state), self._cart),
        ]
        search = text_field(
            self, "search", self.query, "Search products", self._set_query, on_submit=self._submit
        )
        chips = [chip(self, c, False, self._category(c)) for c in CATEGORIES]
        rows: list[View] = [
            section_title(self, "Categories", "categories_title"),
            chip_rows(chips, 3),
            section_title(self, "Trending", "trending_title"),
            *self._rows(trending_ids(state["products"])),
        ]
        recent = list(state["recently_viewed"])[:RECENT_SHOWN]
        if recent:
            rows += [section_title(self, "Recently viewed", "recent_title"), *self._rows(recent)]
        listing = RecyclerView(
            id=self.rid("home_list"), weight=1, state=self.scroll("home"), children=rows
        )
        return screen(toolbar(self, "Shop", actions=actions), search, listing)

    def _rows(self, product_ids: list[str]) -> list[View]:
        rows = []
        for product_id in product_ids:
            found = model.product(self.app.state, product_id)
            if found is not None:
                rows.append(product_row(self, found, self._opener(product_id)))
        return rows

    def _opener(self, product_id: str) -> Callable[[], None]:
        return lambda: self.host.start_activity(ProductActivity(self.app, product_id))

    def _category(self, category: str) -> Callable[[], None]:
        return lambda: self.host.start_activity(
            ResultsActivity(self.app, filters=Filters(category=category))
        )

    def _set_query(self, text: str) -> None:
        self.query = text.replace("\n", " ")

    def _submit(self) -> None:
        """Search for the typed words (the field is emptied for the next search)."""
        query, self.query = self.query.strip(), ""
        self.focus = None
        self.host.hide_keyboard()
        if query:
            self.host.start_activity(ResultsActivity(self.app, query=query))

    def _orders(self) -> None:
        self.host.start_activity(OrdersActivity(self.app))

    def _cart(self) -> None:
        self.host.start_activity(CartActivity(self.app))

    def on_back(self) -> bool:
        if not self.query:
            return False
        self.query = ""
        self.focus = None
        return True
