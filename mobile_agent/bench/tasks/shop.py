"""Shop tasks: finding the right product (the `shop_find` family shares search, Sort,
Filters, opening a product and Add to cart), the cart, checkout, orders, and reading the
catalogue into notes; plus the helpers that read the Shop's state."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from mobile_agent.bench.tasks.checks import NOTES, find_note, mentions, norm, note_text, note_titled
from mobile_agent.bench.tasks.model import (
    Check,
    End,
    Spec,
    Step,
    World,
    key,
    open_app,
    tap,
    task,
    type_text,
)
from mobile_agent.bench.tasks.notes import write_note
from virtual_phone.apps.shop import model as shop_model
from virtual_phone.apps.shop.catalogue import trending_ids
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
ADDRESSES = (
    ("Priya Shah", "45 Harbour Road", "Brighton", "30412"),
    ("Jonas Weber", "7 Linden Court", "Fairview", "52018"),
    ("Marta Silva", "310 Pine Street", "Greenwood", "71156"),
    ("Owen Brooks", "18 Station Road", "Millbrook", "20987"),
)


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


# -- the shop_find family ---------------------------------------------------------------------
@task("shop.cheapest_variant", "shopping", apps=(SHOP,), family="shop_find")
def cheapest_variant(world: World) -> Spec:
    """Add the cheapest product of a kind and size to the cart."""
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
    target = cheapest((noun, value))
    what = f"the cheapest {variant(value)} {phrase(noun)}"
    return Spec(
        goal=f"Find {what} in Shop and {add_it(noun)}",
        checks=cart_checks(target, what),
        solution=(
            open_app("Shop"),
            *search(f"{value} {noun}"),
            *sort_by(shop_model.PRICE_UP),
            *add_found(target),
        ),
        params={"kind": noun, "value": value, "product": target["name"]},
    )


@task("shop.best_rated_under", "shopping", apps=(SHOP,), family="shop_find")
def best_rated_under(world: World) -> Spec:
    """Add the best-rated product of a kind under a price to the cart."""
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
    what = f"the best-rated {phrase(noun)} under ${cap}"
    return Spec(
        goal=f"Find {what} in Shop and {add_it(noun)}",
        checks=cart_checks(target, what),
        solution=(
            open_app("Shop"),
            *search(noun),
            tap("Filters"),
            type_text(str(cap), "Max price"),
            key("enter"),
            tap("Apply"),
            *sort_by(shop_model.TOP_RATED),
            *add_found(target),
        ),
        params={"kind": noun, "cap": cap, "product": target["name"]},
    )


@task("shop.cheapest_rated", "shopping", apps=(SHOP,), family="shop_find")
def cheapest_rated(world: World) -> Spec:
    """Add the cheapest product of a kind with a minimum rating to the cart."""
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
    what = f"the cheapest {phrase(noun)} rated {minimum:.1f} or higher"
    return Spec(
        goal=f"Find {what} in Shop and {add_it(noun)}",
        checks=cart_checks(target, what),
        solution=(
            open_app("Shop"),
            *search(noun),
            tap("Filters"),
            tap(f"{minimum:.1f} & up"),
            tap("Apply"),
            *sort_by(shop_model.PRICE_UP),
            *add_found(target),
        ),
        params={"kind": noun, "min_rating": minimum, "product": target["name"]},
    )


# -- the cart, checkout and orders -----------------------------------------------------------
@task("shop.add_two", "shopping", apps=(SHOP,))
def add_two(world: World) -> Spec:
    """Put two of one product in the cart."""
    target = world.rng.choice([p for p in products(world) if int(p["stock"]) >= 3])
    pid, name = str(target["id"]), str(target["name"])
    return Spec(
        goal=f"Add two of the {name} to my cart in Shop",
        checks=(
            Check(f"{name} is in the cart", lambda end: pid in cart(end)),
            Check("two of them", lambda end: cart(end).get(pid) == 2, 2.0),
            Check("nothing else is in the cart", lambda end: cart_is(end, {pid: 2})),
        ),
        solution=(
            *buy_by_name(target),
            tap("Cart"),
            tap(f"Increase quantity of {name}"),
        ),
        params={"product": name},
    )


@task("shop.remove_from_cart", "shopping", apps=(SHOP,))
def remove_from_cart(world: World) -> Spec:
    """Remove one item from a cart of three and keep the rest."""
    picked = world.rng.sample(products(world), 3)
    before = {str(p["id"]): world.rng.choice((1, 1, 2)) for p in picked}
    world.change(
        SHOP,
        lambda data: data.update(cart=[{"product_id": k, "qty": q} for k, q in before.items()]),
    )
    target = world.rng.choice(picked)
    pid, name = str(target["id"]), str(target["name"])
    kept = {k: q for k, q in before.items() if k != pid}
    return Spec(
        goal=f"Remove the {name} from my Shop cart, keeping everything else",
        checks=(
            Check(f"{name} is no longer in the cart", lambda end: pid not in cart(end), 2.0),
            Check("the other items are kept as they were", lambda end: cart_is(end, kept)),
        ),
        solution=(open_app("Shop"), tap("Cart"), tap(f"Remove {name}")),
        params={"product": name, "cart": before},
    )


@task("shop.express_order", "shopping", apps=(SHOP,))
def express_order(world: World) -> Spec:
    """Buy a product with express delivery to a given address."""
    target = world.rng.choice(products(world))
    pid, name = str(target["id"]), str(target["name"])
    full_name, street, city, postcode = world.rng.choice(ADDRESSES)
    first_id = int(world.data(SHOP)["next_order_id"])

    def placed(end: End) -> dict[str, Any]:
        found = [
            o
            for o in new_orders(end, first_id)
            if o["status"] == "Placed"
            and [(i["product_id"], i["qty"]) for i in o["items"]] == [(pid, 1)]
        ]
        return found[-1] if found else {}

    def addressed(end: End) -> bool:
        given = placed(end).get("address", {})
        wanted = {"name": full_name, "street": street, "city": city, "postcode": postcode}
        return bool(given) and all(
            words(str(given.get(k, ""))) == words(v) for k, v in wanted.items()
        )

    return Spec(
        goal=(
            f"Buy the {name} in Shop with express delivery, to {full_name}, {street}, "
            f"{city} {postcode}"
        ),
        checks=(
            Check(f"an order of one {name} is placed", lambda end: bool(placed(end)), 2.0),
            Check("with express delivery", lambda end: placed(end).get("delivery") == "express"),
            Check(f"delivered to {full_name}, {street}, {city} {postcode}", addressed),
        ),
        solution=(
            *buy_by_name(target),
            tap("Cart"),
            tap("Checkout"),
            type_text(full_name, "Full name"),
            type_text(street, "Street address"),
            type_text(city, "City"),
            type_text(postcode, "Postcode"),
            key("back"),
            tap("Express delivery"),
            tap("Place order"),
            tap("Confirm"),
        ),
        params={"product": name, "address": [full_name, street, city, postcode]},
    )


def _placed_order(order_id: int, product: Product, address: dict[str, str]) -> dict[str, Any]:
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


@task("shop.cancel_last_order", "shopping", apps=(SHOP,))
def cancel_last_order(world: World) -> Spec:
    """Cancel the most recent of two open orders."""
    data = world.data(SHOP)
    first = int(data["next_order_id"])
    fields = ("name", "street", "city", "postcode")
    address = dict(zip(fields, world.rng.choice(ADDRESSES), strict=True))
    older, newer = world.rng.sample(products(world), 2)

    def setup(state: dict[str, Any]) -> None:
        state["orders"] += [
            _placed_order(first, older, address),
            _placed_order(first + 1, newer, address),
        ]
        state["next_order_id"] = first + 2

    world.change(SHOP, setup)
    last = first + 1
    return Spec(
        goal="Cancel my most recent order in Shop",
        checks=(
            Check(
                f"order #{last} is cancelled",
                lambda end: order(end, last).get("status") == "Cancelled",
                2.0,
            ),
            Check(
                f"order #{first} is still open",
                lambda end: order(end, first).get("status") == "Placed",
            ),
        ),
        solution=(
            open_app("Shop"),
            tap("Orders"),
            tap(f"Order #{last}"),
            tap("Cancel order"),
            tap("Yes, cancel"),
        ),
        params={"order": last, "product": newer["name"]},
    )


# -- reading the catalogue into notes ---------------------------------------------------------
@task("shop.trending_price", "trending", apps=(SHOP, NOTES))
def trending_price(world: World) -> Spec:
    """Note the name and price of the Shop's top trending product."""
    catalogue = products(world)
    top_id = trending_ids(catalogue, 1)[0]
    target = next(p for p in catalogue if p["id"] == top_id)
    title, price = "Top trending", price_of(target)

    def named(end: End) -> bool:
        return says(note_of(end, title), short_name(target))

    def priced(end: End) -> bool:
        return mentions(note_of(end, title), price)

    return Spec(
        goal=(
            "Which product is at the top of Trending in Shop? Save its name and price in a "
            f"note titled {title}"
        ),
        checks=(
            note_titled(title),
            Check(f"it names {short_name(target)}", named, 2.0),
            Check(f"it gives the price {shop_model.money(price)}", priced, 2.0),
        ),
        solution=(
            open_app("Shop"),
            *write_note(title, f"{target['name']}: {shop_model.money(price)}"),
        ),
        params={"product": target["name"], "price": price},
    )


@task("shop.review_summary", "research", apps=(SHOP, NOTES))
def review_summary(world: World) -> Spec:
    """Summarise a product's first three reviews (reviewer and stars) in a note."""
    target = world.rng.choice([p for p in products(world) if len(p["reviews"]) >= 3])
    reviews = list(target["reviews"])[:3]
    title = "Review summary"
    firsts = [str(r["author"]).split()[0] for r in reviews]

    def lines(end: End) -> list[str]:
        return note_of(end, title).splitlines()

    def names_all(end: End) -> bool:
        return all(any(mentions(line, n) for line in lines(end)) for n in firsts)

    def stars_each(end: End) -> bool:
        return all(
            any(mentions(line, n) and mentions(line, int(r["stars"])) for line in lines(end))
            for n, r in zip(firsts, reviews, strict=True)
        )

    body = "\n".join(f"{r['author']} {r['stars']} stars: {r['text']}" for r in reviews)
    return Spec(
        goal=(
            f"Read the first three customer reviews of the {target['name']} in Shop and sum "
            f"them up in a note titled {title}: one line per review with the reviewer's name, "
            "their stars and what they said"
        ),
        checks=(
            note_titled(title),
            Check(f"it names {', '.join(firsts)}", names_all, 2.0),
            Check("each reviewer's line gives their stars", stars_each, 2.0),
        ),
        solution=(*open_product(target), *write_note(title, body)),
        params={"product": target["name"], "reviewers": [r["author"] for r in reviews]},
    )
