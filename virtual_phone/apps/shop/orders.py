"""Orders: the list (newest first) and one order's details, where a placed order can be
cancelled."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...ui.views import RecyclerView, TextView, View
from ..base import Activity, Dialog
from ..widgets import screen, toolbar, two_line_row
from . import model
from .model import DELIVERY, money
from .ui import ShopActivity, filled_button, message, section_title

if TYPE_CHECKING:
    from .app import ShopApp


def order_summary(order: dict[str, Any]) -> str:
    """The line of an order in the list: "Placed · 3 items · $120.50"."""
    count = sum(int(i["qty"]) for i in order["items"])
    items = f"{count} item{'' if count == 1 else 's'}"
    return f"{order['status']} · {items} · {money(float(order['total']))}"


class OrdersActivity(ShopActivity):
    """Every order, the newest first; a tap opens its details."""

    name = "com.example.shop.OrdersActivity"

    def build(self) -> View:
        orders = sorted(self.app.state["orders"], key=lambda o: -int(o["id"]))
        rows: list[View] = [
            two_line_row(
                f"Order #{order['id']}",
                order_summary(order),
                rid=self.rid("order_item"),
                title_id=self.rid("order_number"),
                summary_id=self.rid("order_summary"),
                on_click=self._opener(int(order["id"])),
            )
            for order in orders
        ]
        listing = RecyclerView(
            id=self.rid("order_list"),
            weight=1,
            state=self.scroll("orders"),
            children=rows or [message(self, "No orders yet")],
        )
        return screen(toolbar(self, "Your orders", up=True), listing)

    def _opener(self, order_id: int) -> Callable[[], None]:
        return lambda: self.host.start_activity(OrderDetailsActivity(self.app, order_id))


class OrderDetailsActivity(ShopActivity):
    """One order: status, items, amounts, address; "Cancel order" while it is "Placed"
    (confirmed with "Yes, cancel")."""

    name = "com.example.shop.OrderDetailsActivity"

    def __init__(self, app: ShopApp, order_id: int) -> None:
        super().__init__(app)
        self.order_id = order_id

    def build(self) -> View:
        order = model.find_order(self.app.state, self.order_id)
        bar = toolbar(self, f"Order #{self.order_id}", up=True)
        if order is None:
            return screen(bar, message(self, "Order not found"))
        address = order["address"]
        lines: list[View] = [
            _text(self, "order_status", f"Status: {order['status']}", bold=True),
            section_title(self, "Items", "items_title"),
            *(
                _text(self, "order_line", f"{i['qty']} × {i['name']} — {money(float(i['price']))}")
                for i in order["items"]
            ),
            section_title(self, "Payment", "payment_title"),
            _text(self, "order_subtotal", f"Items: {money(float(order['subtotal']))}"),
            _text(
                self,
                "order_delivery",
                f"{DELIVERY[order['delivery']][0]}: {money(float(order['delivery_fee']))}",
            ),
            _text(self, "order_total", f"Order total: {money(float(order['total']))}", bold=True),
            section_title(self, "Delivery address", "address_title"),
            _text(
                self,
                "order_address",
                f"{address['name']}, {address['street']}, {address['city']} {address['postcode']}",
            ),
        ]
        if order["status"] == "Placed":
            lines.append(filled_button(self, "Cancel order", "cancel_order", self._ask_cancel))
        body = RecyclerView(
            id=self.rid("order_details"), weight=1, state=self.scroll("order"), children=lines
        )
        return screen(bar, body)

    def _ask_cancel(self) -> None:
        self.show_dialog(
            Dialog(
                "Cancel this order?",
                f"Order #{self.order_id} will be cancelled and refunded.",
                [("Keep order", self.close_dialog), ("Yes, cancel", self._cancel)],
            )
        )

    def _cancel(self) -> None:
        self.close_dialog()
        order = model.find_order(self.app.state, self.order_id)
        if order is not None and order["status"] == "Placed":
            order["status"] = "Cancelled"
            self.host.toast("Order cancelled")


def _text(activity: Activity, name: str, text: str, *, bold: bool = False) -> TextView:
    return TextView(
        id=activity.rid(name), text=text, size=42, bold=bold, max_lines=3, padding=(48, 12)
    )
