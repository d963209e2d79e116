"""Checkout: the delivery address and option, the order summary and "Place order" (asked
for confirmation, since it spends money)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...ui.views import WRAP, CheckBox, RecyclerView, Row, TextView, View
from ..base import Activity, Dialog
from ..widgets import screen, text_field, toolbar, two_line_row
from . import model
from .model import DELIVERY, money
from .orders import OrdersActivity
from .ui import ShopActivity, filled_button, section_title

if TYPE_CHECKING:
    from .app import ShopApp

# field id → hint
ADDRESS_FIELDS = {
    "name": "Full name",
    "street": "Street address",
    "city": "City",
    "postcode": "Postcode",
}


class CheckoutActivity(ShopActivity):
    """The address fields (all required), Standard or Express delivery, the summary and
    "Place order", which asks "Place this order?" (Cancel / Confirm). Once placed, the
    screen thanks and offers "View orders" and "Continue shopping"."""

    name = "com.example.shop.CheckoutActivity"

    def __init__(self, app: ShopApp, origin: Activity | None = None) -> None:
        super().__init__(app)
        self.origin = origin  # the screen checkout was opened from (closed after the order)
        self.address = dict.fromkeys(ADDRESS_FIELDS, "")
        self.delivery = "standard"
        self.placed: dict | None = None

    def build(self) -> View:
        if self.placed is not None:
            return self._thanks(self.placed)
        state = self.app.state
        fields: list[View] = [
            text_field(self, key, self.address[key], hint, self._setter(key))
            for key, hint in ADDRESS_FIELDS.items()
        ]
        form = RecyclerView(
            id=self.rid("checkout_form"),
            weight=1,
            state=self.scroll("form"),
            children=[
                section_title(self, "Delivery address", "address_title"),
                *fields,
                section_title(self, "Delivery options", "delivery_title"),
                *(self._option(key) for key in DELIVERY),
                section_title(self, "Order summary", "summary_title"),
                *self._summary(),
            ],
        )
        place = filled_button(
            self, "Place order", "place_order", self.place, enabled=bool(state["cart"])
        )
        return screen(toolbar(self, "Checkout", up=True), form, place)

    def _option(self, key: str) -> View:
        label, _, when = DELIVERY[key]
        radio = CheckBox(
            class_name="android.widget.RadioButton",
            id=self.rid("delivery_radio"),
            checked=self.delivery == key,
            focusable=False,
            width=110,
        )
        return two_line_row(
            label,
            when,
            rid=self.rid("delivery_option"),
            on_click=self._chooser(key),
            trailing=radio,
        )

    def _summary(self) -> list[View]:
        state = self.app.state
        lines = [
            _summary_line(self, "summary_item", f"{qty} × {p['name']}", float(p["price"]) * qty)
            for p, qty in model.cart_lines(state)
        ]
        items = model.subtotal(state)
        fee = DELIVERY[self.delivery][1] / 100
        lines += [
            _summary_line(self, "items_total", "Items", items),
            _summary_line(self, "delivery_fee", "Delivery", fee),
            _summary_line(self, "order_total", "Order total", items + fee, bold=True),
        ]
        return lines

    def _thanks(self, order: dict) -> View:
        texts: list[View] = [
            TextView(
                text="Thank you!", size=64, bold=True, align="center", padding=(48, 80, 48, 20)
            ),
            TextView(
                id=self.rid("order_number"),
                text=f"Order #{order['id']} placed",
                size=48,
                align="center",
            ),
            TextView(
                id=self.rid("order_total"),
                text=f"Total {money(float(order['total']))}",
                size=44,
                color="muted",
                align="center",
                padding=(48, 20, 48, 40),
            ),
            filled_button(self, "View orders", "view_orders", self._view_orders),
            filled_button(self, "Continue shopping", "continue_shopping", self._leave),
        ]
        return screen(toolbar(self, "Order placed"), *texts)

    def _setter(self, key: str) -> Callable[[str], None]:
        def set_value(text: str) -> None:
            self.address[key] = text.replace("\n", " ")

        return set_value

    def _chooser(self, key: str) -> Callable[[], None]:
        def choose() -> None:
            self.delivery = key

        return choose

    def place(self) -> None:
        """Ask to confirm the order (after checking the address)."""
        missing = [hint for key, hint in ADDRESS_FIELDS.items() if not self.address[key].strip()]
        if missing:
            self.host.toast(f"Enter the {missing[0].lower()}")
            return
        if not self.app.state["cart"]:
            return
        total = model.subtotal(self.app.state) + DELIVERY[self.delivery][1] / 100
        count = model.item_count(self.app.state)
        text = (
            f"You will pay {money(total)} for {count} item{'' if count == 1 else 's'}, "
            f"delivered to {self.address['street'].strip()}, {self.address['city'].strip()}."
        )
        self.host.hide_keyboard()
        self.focus = None
        self.show_dialog(
            Dialog(
                "Place this order?",
                text,
                [("Cancel", self.close_dialog), ("Confirm", self._confirmed)],
            )
        )

    def _confirmed(self) -> None:
        self.close_dialog()
        address = {k: v.strip() for k, v in self.address.items()}
        self.placed = model.place_order(self.app.state, address, self.delivery)
        self.host.toast("Order placed")

    def _leave(self) -> None:
        self.host.finish(self.origin or self)

    def _view_orders(self) -> None:
        self._leave()
        self.host.start_activity(OrdersActivity(self.app))

    def on_back(self) -> bool:
        if self.placed is None:
            return False
        self._leave()
        return True


def _summary_line(
    activity: Activity, name: str, label: str, amount: float, *, bold: bool = False
) -> View:
    return Row(
        id=activity.rid(name),
        padding=(48, 10),
        children=[
            TextView(text=label, size=40, bold=bold, width=0, weight=1, max_lines=2),
            TextView(
                id=activity.rid(f"{name}_amount"),
                text=money(amount),
                size=40,
                bold=bold,
                width=WRAP,
                margin=(24, 0, 0, 0),
            ),
        ],
    )
