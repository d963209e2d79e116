"""Search results: the query (filtering as it is typed), Sort and Filters, the products."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...ui.views import MATCH, WRAP, FrameLayout, LinearLayout, RecyclerView, Row, TextView, View
from ..widgets import screen, text_field, toolbar
from . import model
from .cart import CartActivity
from .filters import FiltersActivity
from .model import FEATURED, SORTS, Filters
from .product import ProductActivity
from .ui import ShopActivity, cart_action, message, product_row, text_button

if TYPE_CHECKING:
    from .app import ShopApp


class ResultsActivity(ShopActivity):
    """The products matching a query and filters, in the chosen order. "Sort" opens a menu
    of SORTS; "Filters" opens the filter screen."""

    name = "com.example.shop.SearchActivity"

    def __init__(self, app: ShopApp, query: str = "", filters: Filters | None = None) -> None:
        super().__init__(app)
        self.query = query
        self.filters = filters or Filters()
        self.order = FEATURED
        self.menu_open = False

    def title(self) -> str:
        return self._heading()

    def _heading(self) -> str:
        if self.query.strip():
            return f"“{self.query.strip()}”"
        return self.filters.category or "All products"

    def shown(self) -> list[dict[str, Any]]:
        """The products listed, in order."""
        return model.search(self.app.state["products"], self.query, self.filters, self.order)

    def build(self) -> View:
        found = self.shown()
        cart = cart_action(self, model.item_count(self.app.state), self._cart)
        search = text_field(
            self,
            "search",
            self.query,
            "Search products",
            self._set_query,
            on_submit=self._submit,
        )
        rows = [product_row(self, p, self._opener(str(p["id"]))) for p in found]
        listing = RecyclerView(
            id=self.rid("results"),
            weight=1,
            state=self.scroll("results"),
            padding=(0, 0, 0, 40),
            children=rows or [message(self, "No products found")],
        )
        overlay = [self._sort_menu()] if self.menu_open else None
        return screen(
            toolbar(self, self._heading(), up=True, actions=[cart]),
            search,
            self._tools(len(found)),
            *self._summary(),
            listing,
            overlay=overlay,
        )

    def _tools(self, count: int) -> View:
        return Row(
            padding=(20, 0, 48, 0),
            children=[
                text_button(self, "Sort", "sort", self._open_menu),
                text_button(self, "Filters", "filters", self._open_filters),
                View(width=0, weight=1),
                TextView(
                    id=self.rid("result_count"),
                    text=f"{count} result" + ("" if count == 1 else "s"),
                    size=38,
                    color="muted",
                    width=WRAP,
                ),
            ],
        )

    def _summary(self) -> list[View]:
        lines: list[View] = [
            TextView(
                id=self.rid("sort_summary"),
                text=f"Sorted by: {self.order}",
                size=36,
                color="muted",
                padding=(48, 0, 48, 8),
            )
        ]
        filtered = self.filters.summary()
        if filtered:
            lines.append(
                Row(
                    padding=(48, 0, 20, 0),
                    children=[
                        TextView(
                            id=self.rid("filter_summary"),
                            text=filtered,
                            size=36,
                            color="accent",
                            width=0,
                            weight=1,
                        ),
                        text_button(self, "Clear filters", "clear_filters", self._clear_filters),
                    ],
                )
            )
        return lines

    def _sort_menu(self) -> View:
        """The sort options in a popup card; a tap outside it closes it."""
        options: list[View] = [
            TextView(
                id=self.rid("sort_option"),
                text=order,
                size=44,
                bold=order == self.order,
                selected=order == self.order,
                padding=(48, 36),
                on_click=self._sorter(order),
            )
            for order in SORTS
        ]
        card = LinearLayout(
            id=self.rid("sort_menu"),
            width=720,
            gravity="end",
            margin=(0, 420, 40, 0),
            padding=(0, 16),
            bg="surface",
            radius=24,
            border="divider",
            on_click=lambda: None,
            children=options,
        )
        return FrameLayout(height=MATCH, on_click=self._close_menu, children=[card])

    def _sorter(self, order: str) -> Callable[[], None]:
        def choose() -> None:
            self.order = order
            self.menu_open = False
            self.scroll("results").y = 0

        return choose

    def _open_menu(self) -> None:
        self.host.hide_keyboard()
        self.menu_open = True

    def _close_menu(self) -> None:
        self.menu_open = False

    def _open_filters(self) -> None:
        self.host.start_activity(
            FiltersActivity(self.app, dataclasses.replace(self.filters), self.apply_filters)
        )

    def apply_filters(self, filters: Filters) -> None:
        """Show the products that pass `filters`."""
        self.filters = filters
        self.scroll("results").y = 0

    def _clear_filters(self) -> None:
        self.apply_filters(Filters())

    def _opener(self, product_id: str) -> Callable[[], None]:
        return lambda: self.host.start_activity(ProductActivity(self.app, product_id))

    def _cart(self) -> None:
        self.host.start_activity(CartActivity(self.app))

    def _set_query(self, text: str) -> None:
        self.query = text.replace("\n", " ")
        self.scroll("results").y = 0

    def _submit(self) -> None:
        self.focus = None
        self.host.hide_keyboard()

    def on_back(self) -> bool:
        if self.menu_open:
            self.menu_open = False
            return True
        return False
