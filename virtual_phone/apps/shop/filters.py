"""The filter screen of a search: category, minimum rating and maximum price."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...ui.views import RecyclerView, View
from ..widgets import screen, text_field, toolbar
from .kinds import CATEGORIES
from .model import MIN_RATINGS, Filters
from .ui import ShopActivity, chip, chip_rows, filled_button, section_title, text_button

if TYPE_CHECKING:
    from .app import ShopApp

ALL_CATEGORIES = "All categories"
ANY_RATING = "Any rating"


def rating_label(minimum: float) -> str:
    """The chip of a minimum rating: "4.0 & up"."""
    return f"{minimum:.1f} & up"


def parse_price(text: str) -> float | None:
    """A typed price ("$1,250", "99.5") in dollars; None when it is not a positive number."""
    cleaned = text.strip().lstrip("$").replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value > 0 else None


class FiltersActivity(ShopActivity):
    """Chips choose a category and a minimum rating, a field takes a maximum price;
    "Apply" hands the filters to the results and closes, "Clear all" resets them."""

    name = "com.example.shop.FiltersActivity"

    def __init__(self, app: ShopApp, filters: Filters, on_apply: Callable[[Filters], None]) -> None:
        super().__init__(app)
        self.filters = filters
        self.on_apply = on_apply
        self.max_price = "" if filters.max_price is None else f"{filters.max_price:g}"

    def build(self) -> View:
        selected = self.filters
        categories = [chip(self, ALL_CATEGORIES, selected.category is None, self._category(None))]
        categories += [chip(self, c, selected.category == c, self._category(c)) for c in CATEGORIES]
        ratings = [chip(self, ANY_RATING, selected.min_rating is None, self._rating(None))]
        ratings += [
            chip(self, rating_label(r), selected.min_rating == r, self._rating(r))
            for r in MIN_RATINGS
        ]
        price = text_field(
            self, "max_price", self.max_price, "Max price", self._set_price, on_submit=self._done
        )
        body = RecyclerView(
            id=self.rid("filter_list"),
            weight=1,
            state=self.scroll("filters"),
            children=[
                section_title(self, "Category", "category_title"),
                chip_rows(categories, 3),
                section_title(self, "Customer rating", "rating_title"),
                chip_rows(ratings, 3),
                section_title(self, "Price", "price_title"),
                price,
            ],
        )
        clear = text_button(self, "Clear all", "clear_all", self._clear)
        return screen(
            toolbar(self, "Filters", up=True, actions=[clear]),
            body,
            filled_button(self, "Apply", "apply", self.apply),
        )

    def _category(self, category: str | None) -> Callable[[], None]:
        def choose() -> None:
            self.filters.category = category

        return choose

    def _rating(self, minimum: float | None) -> Callable[[], None]:
        def choose() -> None:
            self.filters.min_rating = minimum

        return choose

    def _set_price(self, text: str) -> None:
        self.max_price = text.replace("\n", "")

    def _done(self) -> None:
        self.focus = None
        self.host.hide_keyboard()

    def _clear(self) -> None:
        self.filters = Filters()
        self.max_price = ""

    def apply(self) -> None:
        """Hand the filters to the results and close (a bad price is refused)."""
        if self.max_price.strip():
            price = parse_price(self.max_price)
            if price is None:
                self.host.toast("Enter a price such as 100")
                return
            self.filters.max_price = price
        else:
            self.filters.max_price = None
        self.on_apply(self.filters)
        self.host.hide_keyboard()
        self.finish()
