"""The Shop app: its seeded catalogue, search, sort, filters, cart, checkout and orders,
driven through the Phone's public API (and once through uiautomator2)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from virtual_phone.apps.shop.catalogue import catalogue, trending_ids
from virtual_phone.apps.shop.kinds import CATEGORIES
from virtual_phone.apps.shop.model import Filters, matches, search
from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node, iter_nodes

SHOP = "com.example.shop"
SEEDS = (0, 1, 7)


def _tap(phone: Phone, **attrs: object) -> None:
    node = find_node(phone.nodes(), **attrs)
    assert node is not None, f"no node with {attrs}"
    left, top, right, bottom = node.bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)


def _texts(phone: Phone, name: str) -> list[str]:
    rid = f"{SHOP}:id/{name}"
    return [n.text for n in iter_nodes(phone.nodes()) if n.resource_id == rid]


def _labels(phone: Phone) -> Counter[str]:
    """How often each text or content description is on screen (clickable nodes' own)."""
    found: Counter[str] = Counter()
    for node in iter_nodes(phone.nodes()):
        for label in {node.text, node.content_desc} - {""}:
            found[label] += 1
    return found


def _type(phone: Phone, hint: str, text: str) -> None:
    _tap(phone, text=hint)
    phone.input_text(text)


def _state(phone: Phone) -> dict[str, Any]:
    return phone.app_state(SHOP)


def _search(phone: Phone, query: str) -> None:
    """Search from a freshly started Shop (its data stays)."""
    phone.force_stop(SHOP)
    phone.start_app(SHOP)
    _type(phone, "Search products", query)
    phone.press_key("enter")


def _price(text: str) -> float:
    return float(text.lstrip("$").replace(",", ""))


# == the catalogue ===================================================================
@pytest.mark.parametrize("seed", SEEDS)
def test_catalogue_is_complete_and_free_of_ties(seed: int) -> None:
    products = [p.to_dict() for p in catalogue(seed)]
    assert 95 <= len(products) <= 110
    assert {p["category"] for p in products} == set(CATEGORIES)
    for key in ("id", "name", "price", "ratings", "bought"):
        assert len({p[key] for p in products}) == len(products), key
    for category in CATEGORIES:
        ratings = [p["rating"] for p in products if p["category"] == category]
        assert len(set(ratings)) == len(ratings), category
    for p in products:
        assert 1.0 <= p["rating"] <= 5.0 and round(p["rating"], 1) == p["rating"]
        assert round(p["price"], 2) == p["price"] and p["price"] > 0
        assert 2 <= len(p["reviews"]) <= 5
        assert all(1 <= r["stars"] <= 5 and r["author"] and r["text"] for r in p["reviews"])
        assert p["stock"] >= 1 and p["attributes"]


@pytest.mark.parametrize("seed", SEEDS)
def test_catalogue_has_several_products_of_a_kind(seed: int) -> None:
    products = [p.to_dict() for p in catalogue(seed)]
    fryers = [p for p in products if matches(p, "8 qt air fryer")]
    assert len(fryers) >= 2
    assert all(p["attributes"]["Capacity"] == "8 qt" for p in fryers)
    cheap_headphones = search(products, "headphones", Filters(max_price=100), "Top rated")
    assert len(cheap_headphones) >= 2
    assert cheap_headphones[0]["rating"] > cheap_headphones[1]["rating"]


def test_catalogue_differs_between_seeds() -> None:
    names = [{p.name for p in catalogue(seed)} for seed in SEEDS]
    prices = [[p.price for p in catalogue(seed)] for seed in SEEDS]
    assert names[0] != names[1] or prices[0] != prices[1]
    assert prices[0] != prices[1] != prices[2]


def test_search_words_match_word_starts_and_whole_numbers() -> None:
    product = {
        "name": "Vortexa CrispMax Air Fryer, 8 qt",
        "kind": "Air Fryer",
        "category": "Kitchen",
        "attributes": {"Capacity": "8 qt", "Colour": "Red"},
    }
    assert matches(product, "air fryers")
    assert matches(product, "8qt crisp")
    assert matches(product, "KITCHEN red")
    assert not matches(product, "18 qt")
    assert not matches(product, "fryer blender")


# == state ===========================================================================
@pytest.mark.parametrize("seed", [0, 1])
def test_state_holds_the_catalogue_and_clears_to_an_empty_shop(seed: int) -> None:
    phone = Phone(seed=seed)
    state = _state(phone)
    assert state["products"] == [p.to_dict() for p in catalogue(seed)]
    assert state["cart"] == [] and state["recently_viewed"] == []
    assert [o["status"] for o in state["orders"]] == ["Delivered", "Delivered"]
    assert state["next_order_id"] == 1003
    assert phone.clear_data(SHOP)
    cleared = _state(phone)
    assert cleared["orders"] == [] and cleared["products"] == state["products"]


def test_saved_cart_survives_a_state_round_trip() -> None:
    phone = Phone(seed=1)
    data = phone.state()
    data["apps"][SHOP]["cart"] = [{"product_id": "p1002", "qty": 2}]
    other = Phone(seed=1)
    other.load_state(data)
    other.start_app(SHOP, ".CartActivity")
    assert _texts(other, "quantity") == ["2"]
    price = next(p.price for p in catalogue(1) if p.id == "p1002")
    assert _texts(other, "cart_total") == [f"${price * 2:,.2f}"]


# == home, search, sort and filters ==================================================
@pytest.mark.parametrize("seed", [0, 1])
def test_home_shows_categories_and_trending(seed: int) -> None:
    phone = Phone(seed=seed)
    phone.start_app(SHOP)
    labels = _labels(phone)
    assert all(labels[c] == 1 for c in CATEGORIES)
    assert labels["Search products"] == 1
    products = {p["id"]: p["name"] for p in _state(phone)["products"]}
    shown = _texts(phone, "product_name")
    best = trending_ids(_state(phone)["products"])
    assert shown[:3] == [products[pid] for pid in best[:3]]


@pytest.mark.parametrize("seed", [0, 1])
def test_search_sort_finds_the_cheapest_8_qt_air_fryer(seed: int) -> None:
    phone = Phone(seed=seed)
    _search(phone, "8 qt air fryer")
    assert phone.current()[1] == f"{SHOP}.SearchActivity"
    expected = sorted(
        (p for p in _state(phone)["products"] if p["kind"] == "Air Fryer"),
        key=lambda p: p["price"],
    )
    expected = [p for p in expected if p["attributes"]["Capacity"] == "8 qt"]
    assert sorted(_texts(phone, "product_name")) == sorted(p["name"] for p in expected)
    assert _texts(phone, "result_count") == [f"{len(expected)} results"]

    _tap(phone, text="Sort")
    assert _texts(phone, "sort_option") == [
        "Featured",
        "Price: low to high",
        "Price: high to low",
        "Top rated",
    ]
    _tap(phone, text="Price: low to high")
    assert find_node(phone.nodes(), resource_id=f"{SHOP}:id/sort_option") is None
    assert _texts(phone, "product_name")[0] == expected[0]["name"]
    prices = [_price(t) for t in _texts(phone, "price")]
    assert prices == sorted(prices)

    _tap(phone, text="Sort")
    _tap(phone, text="Price: high to low")
    assert _texts(phone, "product_name")[0] == expected[-1]["name"]


def test_sort_menu_closes_on_back_and_outside_tap() -> None:
    phone = Phone()
    _search(phone, "headphones")
    _tap(phone, text="Sort")
    assert phone.press_key("back")
    assert phone.current()[1] == f"{SHOP}.SearchActivity"
    assert not _texts(phone, "sort_option")
    _tap(phone, text="Sort")
    phone.tap(540, 2000)  # below the menu card
    assert not _texts(phone, "sort_option")
    assert _texts(phone, "sort_summary") == ["Sorted by: Featured"]


@pytest.mark.parametrize("seed", [0, 1])
def test_filters_find_best_rated_headphones_under_100(seed: int) -> None:
    phone = Phone(seed=seed)
    _search(phone, "headphones")
    _tap(phone, text="Filters")
    assert phone.current()[1] == f"{SHOP}.FiltersActivity"
    _type(phone, "Max price", "100")
    phone.press_key("enter")
    _tap(phone, text="Apply")
    _tap(phone, text="Sort")
    _tap(phone, text="Top rated")
    products = _state(phone)["products"]
    wanted = max(
        (p for p in products if p["kind"] == "Headphones" and p["price"] < 100),
        key=lambda p: p["rating"],
    )
    assert _texts(phone, "product_name")[0] == wanted["name"]
    assert all(_price(t) <= 100 for t in _texts(phone, "price"))
    assert _texts(phone, "filter_summary") == ["Up to $100.00"]

    _tap(phone, text="Clear filters")
    everything = [p for p in products if p["kind"] == "Headphones"]
    assert len(_texts(phone, "product_name")) == len(everything)


def test_category_chip_and_rating_filter() -> None:
    phone = Phone(seed=1)
    phone.start_app(SHOP)
    _tap(phone, text="Garden")
    garden = {p["name"] for p in _state(phone)["products"] if p["category"] == "Garden"}
    assert _texts(phone, "result_count") == [f"{len(garden)} results"]
    _tap(phone, text="Filters")
    _tap(phone, text="4.0 & up")
    node = find_node(phone.nodes(), text="4.0 & up")
    assert node is not None and node.checked
    _tap(phone, text="Apply")
    shown = _texts(phone, "product_name")
    expected = {
        p["name"]
        for p in _state(phone)["products"]
        if p["category"] == "Garden" and p["rating"] >= 4.0
    }
    assert set(shown) == expected
    assert _texts(phone, "filter_summary") == ["Garden · Rating 4.0 & up"]


def test_bad_max_price_is_refused() -> None:
    phone = Phone()
    _search(phone, "lamp")
    _tap(phone, text="Filters")
    _type(phone, "Max price", "cheap")
    _tap(phone, text="Apply")
    assert phone.current()[1] == f"{SHOP}.FiltersActivity"
    assert phone.last_toast == "Enter a price such as 100"


# == product, cart, checkout and orders =============================================
def _open_product(phone: Phone, product: dict[str, Any]) -> None:
    _search(phone, product["name"])  # the search field shows the name too: tap the row's
    _tap(phone, text=product["name"], resource_id=f"{SHOP}:id/product_name")
    assert phone.current()[1] == f"{SHOP}.ProductActivity"


def test_product_page_shows_details_and_records_the_view() -> None:
    phone = Phone(seed=1)
    product = _state(phone)["products"][20]
    _open_product(phone, product)
    assert _texts(phone, "product_name") == [product["name"]]
    assert _texts(phone, "price") == [f"${product['price']:,.2f}"]
    assert _texts(phone, "attribute_value") == list(product["attributes"].values())
    assert _state(phone)["recently_viewed"] == [product["id"]]
    for _ in range(4):
        phone.swipe(540, 1900, 540, 700, 300)
    assert _texts(phone, "review_author") == [r["author"] for r in product["reviews"]]
    phone.press_key("back")
    phone.press_key("back")
    assert phone.current()[1] == f"{SHOP}.MainActivity"
    for _ in range(6):  # below the trending products
        phone.swipe(540, 1900, 540, 700, 300)
    assert _labels(phone)["Recently viewed"] == 1
    assert _texts(phone, "product_name")[-1] == product["name"]


def test_add_to_cart_respects_the_stock() -> None:
    phone = Phone(seed=0)
    product = min(_state(phone)["products"], key=lambda p: p["stock"])
    _open_product(phone, product)
    for _ in range(product["stock"] + 1):
        _tap(phone, text="Add to cart")
    assert _state(phone)["cart"] == [{"product_id": product["id"], "qty": product["stock"]}]
    assert phone.last_toast == f"Only {product['stock']} in stock"
    assert _texts(phone, "cart_badge") == [str(product["stock"])]


def test_cart_quantities_remove_and_total() -> None:
    phone = Phone(seed=1)
    first, second = sorted(_state(phone)["products"], key=lambda p: -p["stock"])[:2]
    for product in (first, second):
        _open_product(phone, product)
        _tap(phone, text="Add to cart")
    _tap(phone, text="Cart")
    assert phone.current()[1] == f"{SHOP}.CartActivity"
    assert _labels(phone)[f"Increase quantity of {first['name']}"] == 1
    _tap(phone, content_desc=f"Increase quantity of {first['name']}")
    _tap(phone, content_desc=f"Increase quantity of {first['name']}")
    _tap(phone, content_desc=f"Decrease quantity of {first['name']}")
    assert _state(phone)["cart"] == [
        {"product_id": first["id"], "qty": 2},
        {"product_id": second["id"], "qty": 1},
    ]
    total = round(first["price"] * 2 + second["price"], 2)
    assert _texts(phone, "cart_total") == [f"${total:,.2f}"]
    assert _texts(phone, "items_count") == ["Subtotal (3 items)"]
    _tap(phone, content_desc=f"Remove {second['name']}")
    assert _texts(phone, "cart_item_name") == [first["name"]]
    _tap(phone, content_desc=f"Decrease quantity of {first['name']}")
    _tap(phone, content_desc=f"Decrease quantity of {first['name']}")
    assert _state(phone)["cart"] == []
    assert _labels(phone)["Your cart is empty"] == 1
    checkout = find_node(phone.nodes(), text="Checkout")
    assert checkout is not None and not checkout.enabled


def _fill_address(phone: Phone) -> None:
    for hint, value in (
        ("Full name", "Ann Lee"),
        ("Street address", "1 High Street"),
        ("City", "Leeds"),
        ("Postcode", "LS1 4AB"),
    ):
        _type(phone, hint, value)
    phone.press_key("back")  # hides the keyboard


def test_checkout_asks_before_placing_the_order() -> None:
    phone = Phone(seed=0)
    product = _state(phone)["products"][5]
    _open_product(phone, product)
    _tap(phone, text="Add to cart")
    _tap(phone, text="Cart")
    _tap(phone, text="Checkout")
    _tap(phone, text="Place order")
    assert phone.last_toast == "Enter the full name"
    _fill_address(phone)
    _tap(phone, text="Express delivery")
    _tap(phone, text="Place order")
    assert find_node(phone.nodes(), text="Place this order?") is not None
    _tap(phone, text="Cancel")
    assert len(_state(phone)["orders"]) == 2

    _tap(phone, text="Place order")
    _tap(phone, text="Confirm")
    state = _state(phone)
    order = state["orders"][-1]
    total = round(product["price"] + 9.99, 2)
    assert order == {
        "id": 1003,
        "items": [
            {
                "product_id": product["id"],
                "name": product["name"],
                "price": product["price"],
                "qty": 1,
            }
        ],
        "subtotal": product["price"],
        "delivery": "express",
        "delivery_fee": 9.99,
        "total": total,
        "status": "Placed",
        "address": {
            "name": "Ann Lee",
            "street": "1 High Street",
            "city": "Leeds",
            "postcode": "LS1 4AB",
        },
    }
    assert state["cart"] == [] and state["next_order_id"] == 1004
    assert _texts(phone, "order_number") == ["Order #1003 placed"]

    _tap(phone, text="View orders")
    assert phone.current()[1] == f"{SHOP}.OrdersActivity"
    assert _texts(phone, "order_number") == ["Order #1003", "Order #1002", "Order #1001"]
    assert _texts(phone, "order_summary")[0] == f"Placed · 1 item · ${total:,.2f}"
    phone.press_key("back")
    assert phone.current()[1] == f"{SHOP}.ProductActivity"  # cart and checkout are closed


def test_a_placed_order_can_be_cancelled_but_not_a_delivered_one() -> None:
    phone = Phone(seed=1)
    data = phone.state()
    data["apps"][SHOP]["cart"] = [{"product_id": "p1030", "qty": 1}]
    phone.load_state(data)
    phone.start_app(SHOP, ".CheckoutActivity")
    _fill_address(phone)
    _tap(phone, text="Place order")
    _tap(phone, text="Confirm")
    _tap(phone, text="View orders")
    _tap(phone, text="Order #1001")
    assert find_node(phone.nodes(), text="Cancel order") is None
    phone.press_key("back")
    _tap(phone, text="Order #1003")
    _tap(phone, text="Cancel order")
    _tap(phone, text="Keep order")
    assert _state(phone)["orders"][-1]["status"] == "Placed"
    _tap(phone, text="Cancel order")
    _tap(phone, text="Yes, cancel")
    assert _state(phone)["orders"][-1]["status"] == "Cancelled"
    assert _texts(phone, "order_status") == ["Status: Cancelled"]


# == through uiautomator2 ============================================================
@pytest.mark.e2e
def test_shop_search_buy_through_u2(u2_device: Any, connected_phone: Any) -> None:
    d, phone = u2_device, connected_phone.phone
    products = phone.app_state(SHOP)["products"]
    wanted = min(
        (p for p in products if p["kind"] == "Air Fryer" and p["attributes"]["Capacity"] == "8 qt"),
        key=lambda p: p["price"],
    )
    # GIVEN the Shop, a search for 8 qt air fryers sorted by price
    d.app_start(SHOP)
    assert d(text="Search products").wait(timeout=5)
    d(text="Search products").click()
    d.send_keys("8 qt air fryer")
    d.press("enter")
    assert d(text="Sort").wait(timeout=5)
    d(text="Sort").click()
    d(text="Price: low to high").click()
    # WHEN the first result is bought
    first = d(resourceId=f"{SHOP}:id/product_name")
    assert first.get_text() == wanted["name"]
    first.click()
    d(text="Add to cart").click()
    d(text="Cart").click()
    d(text="Checkout").click()
    for hint, value in (
        ("Full name", "Ann Lee"),
        ("Street address", "1 High St"),
        ("City", "York"),
        ("Postcode", "YO1"),
    ):
        d(text=hint).set_text(value)
    d(text="Place order").click()
    assert d(text="Place this order?").wait(timeout=5)
    d(text="Confirm", resourceId="android:id/button1").click()
    # THEN the phone holds one new order of that fryer and an empty cart
    assert d(text="Order #1003 placed").wait(timeout=5)
    state = phone.app_state(SHOP)
    assert [i["product_id"] for i in state["orders"][-1]["items"]] == [wanted["id"]]
    assert state["orders"][-1]["address"]["city"] == "York"
    assert state["cart"] == []
