"""The Shop as its tasks see it: reading its state (catalogue, cart, orders) and finding
the answers of the `shop_find` family in it, the text matching the checks use, and the steps
that drive the app; the web tasks against the Shop use them too."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from mobile_agent.bench.tasks.checks import find_note, norm, note_text
from mobile_agent.bench.tasks.model import Check, End, Step, World, key, open_app, tap, type_text
from virtual_phone.apps.shop import model as shop_model
from virtual_phone.apps.shop.model import Filters

SHOP = "com.example.shop"
Product = dict[str, Any]

# kinds whose name reads well in a sentence ("the cheapest 8 qt air fryer")
KINDS = (
    "Air Fryer",
    "Coffee Maker",
    "Blender",
    "Headphones",
    "USB-C Charger",
    "Power Bank",
    "LED Desk Lamp",
    "Yoga Mat",
    "Dumbbell Pair",
    "Water Bottle",
    "Hair Dryer",
    "Garden Hose",
    "Building Set",
)
CAPS = (20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200)
MIN_RATINGS = (3.5, 4.0, 4.5)


# -- reading the Shop's state ---------------------------------------------------------------
def products(world: World) -> list[Product]:
    """The catalogue as the task starts."""
    return list(world.data(SHOP)["products"])


def cart(end: End) -> dict[str, int]:
    """The cart after the run: {product id: quantity}."""
    return {str(i["product_id"]): int(i["qty"]) for i in end.app(SHOP).get("cart", [])}


def orders(end: End) -> list[dict[str, Any]]:
    """Every order after the run, oldest first."""
    return list(end.app(SHOP).get("orders", []))


def order(end: End, order_id: int) -> dict[str, Any]:
    """The order numbered `order_id` ({} when there is none)."""
    return next((o for o in orders(end) if int(o["id"]) == order_id), {})


def new_orders(end: End, first_id: int) -> list[dict[str, Any]]:
    """Orders placed during the run (numbered `first_id` or more)."""
    return [o for o in orders(end) if int(o["id"]) >= first_id]


def cart_is(end: End, wanted: dict[str, int]) -> bool:
    """The cart holds exactly these products, in these quantities."""
    return cart(end) == wanted


def words(text: str) -> list[str]:
    return re.findall(r"\w+", norm(text))


def says(text: str, phrase: str) -> bool:
    """Whether `text` holds the words of `phrase` in a row (case and punctuation ignored)."""
    have, want = words(text), words(phrase)
    return bool(want) and any(
        have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1)
    )


def short_name(product: Product) -> str:
    """The name before its variant ("Zestro CrispMax Air Fryer" of "…, 8 qt"): unique too."""
    return str(product["name"]).split(",")[0].strip()


def note_of(end: End, title: str) -> str:
    """The title and text of the note titled `title` ("" when there is none)."""
    return note_text(find_note(end, title) or {})


def price_of(product: Product) -> float:
    return float(product["price"])


def phrase(noun: str) -> str:
    """A kind as a sentence says it: "air fryer", "USB-C charger", "LED desk lamp"."""
    return " ".join(w if w.isupper() or "-" in w else w.lower() for w in noun.split())


def variant(value: str) -> str:
    """A key value as a sentence says it: "in-ear", but "600 W" and "8 qt" as they are."""
    return value[0].lower() + value[1:] if value[1:2].islower() else value


def add_it(noun: str) -> str:
    return f"add {'them' if noun.endswith('s') else 'it'} to the cart"


def key_value(product: Product) -> str:
    """The product's key attribute (capacity, power, type…), its first one."""
    return str(next(iter(product["attributes"].values())))


# -- solution steps ---------------------------------------------------------------------------
def search(query: str) -> tuple[Step, ...]:
    """Search the Shop for `query` (from its home screen)."""
    return (type_text(query, "Search products"), key("enter"))


def sort_by(order_name: str) -> tuple[Step, ...]:
    return (tap("Sort"), tap(order_name))


def add_found(product: Product) -> tuple[Step, ...]:
    """Open a listed product and add one to the cart."""
    return (tap(str(product["name"])), tap("Add to cart"))


def open_product(product: Product) -> tuple[Step, ...]:
    """Open Shop and the product's page, found by its name."""
    return (open_app("Shop"), *search(str(product["name"])), tap(str(product["name"])))


def buy_by_name(product: Product) -> tuple[Step, ...]:
    """Open Shop, find the product by its name, add it to the cart."""
    return (*open_product(product), tap("Add to cart"))


def pick(candidates: Iterable[Any], world: World, *tests: Callable[[Any], bool]) -> Any:
    """A random candidate that passes the first of `tests` that any candidate passes (the
    later tests are looser fallbacks)."""
    pool = list(candidates)
    world.rng.shuffle(pool)
    for test in tests:
        found = next((c for c in pool if test(c)), None)
        if found is not None:
            return found
    raise LookupError("no candidate fits")


def of_kind(catalogue: list[Product], noun: str) -> list[Product]:
    return [p for p in catalogue if p["kind"] == noun]


def first_listed(
    catalogue: list[Product], query: str, order_name: str, filters: Filters | None = None
) -> Product | None:
    """The product the Shop lists first for this search, filters and order."""
    found = shop_model.search(catalogue, query, filters or Filters(), order_name)
    return found[0] if found else None


def cart_checks(target: Product, what: str) -> tuple[Check, ...]:
    pid = str(target["id"])
    return (
        Check(f"{what} is in the cart", lambda end: cart(end).get(pid, 0) >= 1, 2.0),
        Check("it is the only item in the cart", lambda end: cart_is(end, {pid: 1})),
    )


# -- the answers of the shop_find family -----------------------------------------------------
def cheapest_variant_of(world: World) -> tuple[str, str, Product]:
    """(kind, key value, the cheapest product of both) for a pair of two or more products
    that a search for both sorted by price lists cheapest first."""
    catalogue = products(world)
    groups: dict[tuple[str, str], list[Product]] = {}
    for p in catalogue:
        if p["kind"] in KINDS:
            groups.setdefault((str(p["kind"]), key_value(p)), []).append(p)

    def cheapest(pair: tuple[str, str]) -> Product:
        return min(groups[pair], key=price_of)

    def fits(pair: tuple[str, str]) -> bool:
        query = f"{pair[1]} {pair[0]}"
        return len(groups[pair]) >= 2 and first_listed(
            catalogue, query, shop_model.PRICE_UP
        ) == cheapest(pair)

    noun, value = pick(sorted(groups), world, fits)
    return noun, value, cheapest((noun, value))


def best_rated_under_cap(world: World) -> tuple[str, int, Product]:
    """(kind, price cap, the best-rated product of the kind under it), with a cap that
    leaves out the best-rated of all where there is one."""
    catalogue = products(world)
    nouns = sorted({str(p["kind"]) for p in catalogue if p["kind"] in KINDS})
    pairs = [(n, cap) for n in nouns for cap in CAPS]

    def best(noun: str, cap: int) -> Product | None:
        under = [p for p in of_kind(catalogue, noun) if price_of(p) < cap]
        return max(under, key=lambda p: float(p["rating"])) if len(under) >= 2 else None

    def fits(pair: tuple[str, int]) -> bool:
        listed = first_listed(catalogue, pair[0], shop_model.TOP_RATED, Filters(max_price=pair[1]))
        return best(*pair) is not None and listed == best(*pair)

    def cap_matters(pair: tuple[str, int]) -> bool:  # the best-rated of all costs more
        top = max(of_kind(catalogue, pair[0]), key=lambda p: float(p["rating"]))
        return fits(pair) and best(*pair) != top

    noun, cap = pick(pairs, world, cap_matters, fits)
    target = best(noun, cap)
    assert target is not None
    return noun, cap, target


def cheapest_rated_at_least(world: World) -> tuple[str, float, Product]:
    """(kind, least rating, the cheapest product of the kind rated that or higher), with a
    rating that leaves out the cheapest of all where there is one."""
    catalogue = products(world)
    nouns = sorted({str(p["kind"]) for p in catalogue if p["kind"] in KINDS})
    pairs = [(n, r) for n in nouns for r in MIN_RATINGS]

    def cheapest(noun: str, minimum: float) -> Product | None:
        good = [p for p in of_kind(catalogue, noun) if float(p["rating"]) >= minimum]
        return min(good, key=price_of) if good else None

    def fits(pair: tuple[str, float]) -> bool:
        listed = first_listed(catalogue, pair[0], shop_model.PRICE_UP, Filters(min_rating=pair[1]))
        return cheapest(*pair) is not None and listed == cheapest(*pair)

    def rating_matters(pair: tuple[str, float]) -> bool:  # the cheapest of all is rated lower
        return fits(pair) and cheapest(*pair) != min(of_kind(catalogue, pair[0]), key=price_of)

    noun, minimum = pick(pairs, world, rating_matters, fits)
    target = cheapest(noun, minimum)
    assert target is not None
    return noun, minimum, target


# -- setting orders up ---------------------------------------------------------------------
def placed_order(order_id: int, product: Product, address: dict[str, str]) -> dict[str, Any]:
    """An open order of one `product`, as the Shop stores it (for a task's setup)."""
    price = price_of(product)
    return {
        "id": order_id,
        "items": [{"product_id": product["id"], "name": product["name"], "price": price, "qty": 1}],
        "subtotal": price,
        "delivery": "standard",
        "delivery_fee": 0.0,
        "total": price,
        "status": "Placed",
        "address": dict(address),
    }
