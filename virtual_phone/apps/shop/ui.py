"""Widgets of the Shop's screens: product rows, chips, section titles, toolbar buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...ui.views import WRAP, Button, LinearLayout, Row, TextView, View
from ..base import Activity
from .model import money

if TYPE_CHECKING:
    from .app import ShopApp

CHIP_CLASS = "com.google.android.material.chip.Chip"


class ShopActivity(Activity["ShopApp"]):
    """A screen of the Shop."""

    app: ShopApp


def rating_text(product: dict[str, Any]) -> str:
    """The rating and the number of ratings: "4.3 ★ (1,234)"."""
    return f"{float(product['rating']):.1f} ★ ({int(product['ratings']):,})"


def stars(count: int) -> str:
    """Stars out of five: "★★★★☆" for 4."""
    return "★" * count + "☆" * (5 - count)


def text_button(
    activity: Activity, text: str, name: str, on_click: Callable[[], None], *, desc: str = ""
) -> Button:
    """A flat text button (id `name`)."""
    return Button(
        id=activity.rid(name),
        text=text,
        desc=desc,
        width=WRAP,
        height=110,
        padding=(30, 0),
        size=40,
        bg=None,
        color="primary",
        on_click=on_click,
    )


def filled_button(
    activity: Activity, text: str, name: str, on_click: Callable[[], None], *, enabled: bool = True
) -> Button:
    """A full-width filled button (id `name`)."""
    return Button(
        id=activity.rid(name),
        text=text,
        height=130,
        size=44,
        margin=(40, 20),
        enabled=enabled,
        on_click=on_click,
    )


def cart_action(activity: Activity, count: int, on_click: Callable[[], None]) -> View:
    """The toolbar's Cart button with a badge counting the items in the cart."""
    children: list[View] = [text_button(activity, "Cart", "cart", on_click)]
    if count:
        children.append(
            TextView(
                id=activity.rid("cart_badge"),
                text=str(count),
                size=30,
                bold=True,
                color="on_primary",
                bg="danger",
                radius=30,
                width=WRAP,
                padding=(16, 4),
                margin=(0, 0, 10, 0),
            )
        )
    return Row(width=WRAP, children=children)


def section_title(activity: Activity, text: str, name: str) -> TextView:
    """A bold heading above a part of a screen (id `name`)."""
    return TextView(id=activity.rid(name), text=text, size=46, bold=True, padding=(48, 36, 48, 12))


def chip(activity: Activity, text: str, selected: bool, on_click: Callable[[], None]) -> Button:
    """A choice chip (checked when selected)."""
    return Button(
        class_name=CHIP_CLASS,
        id=activity.rid("chip"),
        text=text,
        width=WRAP,
        height=100,
        size=36,
        bold=False,
        padding=(30, 0),
        margin=(0, 0, 20, 20),
        radius=30,
        bg="primary" if selected else "surface_variant",
        color="on_primary" if selected else "on_surface",
        checkable=True,
        checked=selected,
        on_click=on_click,
    )


def chip_rows(chips: list[Button], per_row: int) -> View:
    """Chips laid out `per_row` to a row."""
    rows: list[View] = [
        Row(children=list(chips[start : start + per_row]))
        for start in range(0, len(chips), per_row)
    ]
    return LinearLayout(padding=(40, 10, 20, 0), children=rows)


def product_row(activity: Activity, product: dict[str, Any], on_click: Callable[[], None]) -> View:
    """A product in a list: its name, price and rating."""
    details = Row(
        margin=(0, 12, 0, 0),
        children=[
            TextView(
                id=activity.rid("price"),
                text=money(float(product["price"])),
                size=44,
                bold=True,
                width=WRAP,
            ),
            TextView(
                id=activity.rid("rating"),
                text=rating_text(product),
                size=38,
                color="muted",
                width=WRAP,
                margin=(40, 0, 0, 0),
            ),
        ],
    )
    return LinearLayout(
        id=activity.rid("product_item"),
        margin=(40, 12),
        padding=(40, 30),
        bg="surface",
        radius=30,
        border="divider",
        focusable=True,
        on_click=on_click,
        children=[
            TextView(id=activity.rid("product_name"), text=product["name"], size=44, max_lines=2),
            details,
        ],
    )


def message(activity: Activity, text: str, name: str = "empty") -> TextView:
    """A centred, muted message (an empty list)."""
    return TextView(
        id=activity.rid(name), text=text, size=44, color="muted", align="center", padding=(0, 120)
    )
