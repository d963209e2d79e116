"""Shop tasks: finding the right product (the `shop_find` family shares search, Sort,
Filters, opening a product and Add to cart), the cart, checkout, orders, and reading the
catalogue into notes."""

from __future__ import annotations

from typing import Any

from mobile_agent.bench.tasks.checks import NOTES, mentions, note_titled
from mobile_agent.bench.tasks.model import (
    Check,
    End,
    Spec,
    World,
    key,
    open_app,
    tap,
    task,
    type_text,
)
from mobile_agent.bench.tasks.notes import write_note
from mobile_agent.bench.tasks.shop_state import (
    SHOP,
    add_found,
    add_it,
    best_rated_under_cap,
    buy_by_name,
    cart,
    cart_checks,
    cart_is,
    cheapest_rated_at_least,
    cheapest_variant_of,
    new_orders,
    note_of,
    open_product,
    order,
    phrase,
    placed_order,
    price_of,
    products,
    says,
    search,
    short_name,
    sort_by,
    variant,
    words,
)
from virtual_phone.apps.shop import model as shop_model
from virtual_phone.apps.shop.catalogue import trending_ids

ADDRESSES = (
    ("Priya Shah", "45 Harbour Road", "Brighton", "30412"),
    ("Jonas Weber", "7 Linden Court", "Fairview", "52018"),
    ("Marta Silva", "310 Pine Street", "Greenwood", "71156"),
    ("Owen Brooks", "18 Station Road", "Millbrook", "20987"),
)


# -- the shop_find family ---------------------------------------------------------------------
@task("shop.cheapest_variant", "shopping", apps=(SHOP,), family="shop_find")
def cheapest_variant(world: World) -> Spec:
    """Add the cheapest product of a kind and size to the cart."""
    noun, value, target = cheapest_variant_of(world)
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
    noun, cap, target = best_rated_under_cap(world)
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
    noun, minimum, target = cheapest_rated_at_least(world)
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
            placed_order(first, older, address),
            placed_order(first + 1, newer, address),
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
