"""Browser tasks on the seeded web: Deal Finder against the Shop, Trending now and the
articles of the news site, trains and sights of the travel site (the `web_notes` family
shares opening a page by its address and writing what it says into a note); plus the
helpers that read web answers out of notes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import quote_plus

from mobile_agent.bench.tasks.checks import BROWSER, NOTES, mentions, norm, note_titled
from mobile_agent.bench.tasks.model import (
    Check,
    End,
    Spec,
    Step,
    World,
    key,
    open_app,
    task,
    type_text,
)
from mobile_agent.bench.tasks.notes import write_note
from mobile_agent.bench.tasks.shop_state import (
    SHOP,
    buy_by_name,
    cart_checks,
    note_of,
    phrase,
    pick,
    products,
    search,
)
from virtual_phone.apps.web_pages import (
    Destination,
    Route,
    Sight,
    articles,
    deals,
    travel,
    trending,
)

# story → (the question it answers, the facts that answer it, the note's title)
QUESTIONS = {
    "marathon": ("who won the {city} Marathon and in what time", ("winner", "time"), "Marathon"),
    "launch": (
        "what the {phone} will cost and its battery size",
        ("price", "battery"),
        "New phone",
    ),
    "budget": ("how much {city} approved and who the mayor is", ("amount", "mayor"), "Budget"),
    "heatwave": (
        "the previous heat record in {city} and the year it was set",
        ("old_record", "record_year"),
        "Heat record",
    ),
    "tour": ("how many shows {band} will play and where the first is", ("shows", "venue"), "Tour"),
    "museum": (
        "who designed the {museum} and how many visitors it expects in its first year",
        ("architect", "visitors"),
        "Museum",
    ),
}
_AMOUNT = re.compile(r"\$?(\d[\d,]*(?:\.\d+)?)\s*(?:mAh|°C|million)?")
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\b")
_HOURS = re.compile(
    r"(\d+)\s*(?:h|hr|hrs|hours?)\.?\s*(?:and\s*)?(\d+)?\s*(?:m|min|mins|minutes?)?\b"
)
_MINUTES = re.compile(r"(\d+)\s*(?:m|min|mins|minutes?)\b")


# -- reading answers in notes -------------------------------------------------------------------
def fact_value(fact: str) -> str | float:
    """A stated fact as `mentions` should look for it: amounts ("$799", "4200 mAh",
    "41°C", "26,208") as numbers, names and times as words."""
    match = _AMOUNT.fullmatch(fact.strip())
    return float(match.group(1).replace(",", "")) if match else fact


def note_says_value(title: str, value: str | float) -> Callable[[End], bool]:
    """A check that the note titled `title` mentions `value`."""
    return lambda end: mentions(note_of(end, title), value)


def first_at(text: str, terms: Iterable[str]) -> int | None:
    """Where the first of `terms` (whole words) appears in `text`, or None."""
    spots = [
        m.start()
        for term in terms
        if (m := re.search(rf"(?<!\w){re.escape(norm(term))}(?!\w)", norm(text)))
    ]
    return min(spots) if spots else None


def durations(text: str) -> set[int]:
    """Every duration written in `text`, in minutes ("2 h 05 min", "2 hours 5 minutes",
    "125 min")."""
    found = {int(h) * 60 + int(m or 0) for h, m in _HOURS.findall(norm(text))}
    return found | {int(m) for m in _MINUTES.findall(norm(text))}


def clock_times(text: str) -> set[int]:
    """Every time of day written in `text`, in minutes after midnight ("09:30", "9.30",
    "5 pm", "5:30pm")."""
    found = set()
    for hours, minutes, half in _CLOCK.findall(norm(text)):
        if not minutes and not half:
            continue
        hour = int(hours) % 12 + (12 if half == "pm" else 0) if half else int(hours)
        found.add(hour * 60 + int(minutes or 0))
    return found


def minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


# -- solution steps -------------------------------------------------------------------------------
def browse(world: World, address: str) -> tuple[Step, ...]:
    """Open the Browser and load `address` (typed over the address bar's current URL)."""
    current = str(world.data(BROWSER)["url"])
    return (open_app("Browser"), type_text(address, current, clear=True), key("enter"))


# -- Deal Finder and the Shop ---------------------------------------------------------------------
@task("web.deals_compare", "shopping", apps=(SHOP, BROWSER, NOTES))
def deals_compare(world: World) -> Spec:
    """Compare a product's Shop price with Deal Finder's and note the lower one and where."""
    deal = world.rng.choice(deals(world.seed))
    by_id = {str(p["id"]): p for p in products(world)}
    product = by_id[deal.product_id]
    low, high = sorted((deal.shop_price, deal.web_price))
    title = "Best price"
    web_names = ("Deal Finder", "deals", deal.store)
    right, wrong = (web_names, ("Shop",)) if deal.cheaper_on_web else (("Shop",), web_names)
    where = "Deal Finder" if deal.cheaper_on_web else "Shop"
    at = "on Deal Finder" if deal.cheaper_on_web else "in Shop"

    def lower_only(end: End) -> bool:
        text = note_of(end, title)
        return mentions(text, low) and not mentions(text, high)

    def place(end: End) -> bool:
        text = note_of(end, title)
        first_right, first_wrong = first_at(text, right), first_at(text, wrong)
        return first_right is not None and (first_wrong is None or first_right < first_wrong)

    return Spec(
        goal=(
            f"Compare the price of the {deal.name} in the Shop app with its price on "
            f"deals.example.com. Save a note titled {title} with only the lower price and "
            "where it is (Shop or Deal Finder)"
        ),
        checks=(
            note_titled(title),
            Check(f"it gives the lower price, ${low:.2f}, not ${high:.2f}", lower_only, 2.0),
            Check(f"it says the lower price is {at}", place, 2.0),
        ),
        solution=(
            open_app("Shop"),
            *search(str(product["name"])),
            *browse(world, f"deals.example.com/item/{deal.product_id}"),
            *write_note(title, f"{where}: ${low:.2f}"),
        ),
        params={"product": deal.name, "shop": deal.shop_price, "web": deal.web_price},
    )


@task("web.deals_to_cart", "shopping", apps=(BROWSER, SHOP))
def deals_to_cart(world: World) -> Spec:
    """Find the kind's lowest price on Deal Finder and put that product in the Shop cart."""
    listed = deals(world.seed)
    by_id = {str(p["id"]): p for p in products(world)}
    kinds = sorted({d.kind for d in listed if sum(e.kind == d.kind for e in listed) >= 2})

    def web_best(kind: str) -> str:
        return min((d for d in listed if d.kind == kind), key=lambda d: d.web_price).product_id

    def shop_best(kind: str) -> str:
        return str(
            min((p for p in by_id.values() if p["kind"] == kind), key=lambda p: p["price"])["id"]
        )

    # a kind whose cheapest on the web is not the cheapest in Shop, when there is one
    kind = pick(kinds, world, lambda k: web_best(k) != shop_best(k), lambda k: True)
    target = by_id[web_best(kind)]
    what = f"the {phrase(kind)} with the lowest price on Deal Finder"
    return Spec(
        goal=(
            f"On deals.example.com, find the {phrase(kind)} with the lowest price, then add "
            "that same product to the cart in the Shop app"
        ),
        checks=cart_checks(target, what),
        solution=(
            *browse(world, f"deals.example.com/?q={quote_plus(kind.lower())}"),
            *buy_by_name(target),
        ),
        params={"kind": kind, "product": target["name"]},
    )


# -- the news site ------------------------------------------------------------------------------
@task("web.trending_top", "trending", apps=(BROWSER, NOTES), family="web_notes")
def trending_top(world: World) -> Spec:
    """Note the news site's number one trending topic and its searches."""
    top = trending(world.seed)[0]
    title = "Top trend"

    def searches(end: End) -> bool:
        text = note_of(end, title)
        return mentions(text, top.searches) or mentions(text, top.searches * 1000)

    return Spec(
        goal=(
            "What is the number one topic in Trending now on news.example.com? Save the topic "
            f"and how many searches it has in a note titled {title}"
        ),
        checks=(
            note_titled(title),
            Check(f"it names {top.topic}", note_says_value(title, top.topic), 2.0),
            Check(f"with {top.searches}K searches", searches),
        ),
        solution=(
            *browse(world, "news.example.com/trending"),
            *write_note(title, f"{top.topic}, {top.searches}K searches"),
        ),
        params={"topic": top.topic, "searches": top.searches},
    )


@task("web.trending_top3", "trending", apps=(BROWSER, NOTES))
def trending_top3(world: World) -> Spec:
    """List the news site's top three trending topics, in order, in a note."""
    topics = [t.topic for t in trending(world.seed)[:3]]
    title = "Trending"

    def in_order(end: End) -> bool:
        spots = [first_at(note_of(end, title), (t,)) for t in topics]
        found = [s for s in spots if s is not None]
        return len(found) == len(topics) and found == sorted(found)

    return Spec(
        goal=(
            "List the top three topics of Trending now on news.example.com, in order, in a "
            f"note titled {title}"
        ),
        checks=(
            Check(
                f"it lists {', '.join(topics)}",
                lambda end: all(mentions(note_of(end, title), t) for t in topics),
                2.0,
            ),
            Check("in that order", in_order),
        ),
        solution=(
            *browse(world, "news.example.com/trending"),
            *write_note(title, "\n".join(f"{n}. {t}" for n, t in enumerate(topics, 1))),
        ),
        params={"topics": topics},
    )


@task("web.article_fact", "research", apps=(BROWSER, NOTES), family="web_notes")
def article_fact(world: World) -> Spec:
    """Read two facts out of a news article into a note."""
    article = world.rng.choice([a for a in articles(world.seed) if a.key in QUESTIONS])
    question, keys, title = QUESTIONS[article.key]
    question = question.format(**article.facts)
    facts = [article.facts[k] for k in keys]
    checks = [note_titled(title)]
    checks += [
        Check(f"it says {fact}", note_says_value(title, fact_value(fact)), 2.0) for fact in facts
    ]
    return Spec(
        goal=(
            f"Read the article “{article.title}” on news.example.com and save {question} in a "
            f"note titled {title}"
        ),
        checks=tuple(checks),
        solution=(
            *browse(world, f"news.example.com/articles/{article.key}"),
            *write_note(title, ", ".join(facts)),
        ),
        params={"article": article.title, "facts": facts},
    )


# -- the travel site ------------------------------------------------------------------------------
@task("web.cheapest_train", "travel", apps=(BROWSER, NOTES), family="web_notes")
def cheapest_train(world: World) -> Spec:
    """Note the price and duration of the cheapest train to a destination."""

    def cheapest(dest: Destination) -> Route:
        return min(dest.trains, key=lambda r: r.price)

    def not_fastest(dest: Destination) -> bool:
        return cheapest(dest) != min(dest.trains, key=lambda r: r.minutes)

    places = travel(world.seed)
    choice = [d for d in places if not_fastest(d)] or places  # the fastest would be wrong
    dest = world.rng.choice(choice)
    train = cheapest(dest)
    title = f"Train to {dest.city}"
    return Spec(
        goal=(
            f"On travel.example.com, find the cheapest train from London to {dest.city} and "
            f"save its price and how long it takes in a note titled {title}"
        ),
        checks=(
            note_titled(title),
            Check(f"it gives £{train.price:.2f}", note_says_value(title, train.price), 2.0),
            Check(
                f"and {train.duration()}",
                lambda end: train.minutes in durations(note_of(end, title)),
                2.0,
            ),
        ),
        solution=(
            *browse(world, f"travel.example.com/destinations/{dest.slug}"),
            *write_note(title, f"£{train.price:.2f}, {train.duration()}"),
        ),
        params={"city": dest.city, "price": train.price, "duration": train.duration()},
    )


@task("web.sight_hours", "travel", apps=(BROWSER, NOTES))
def sight_hours(world: World) -> Spec:
    """Note a sight's opening hours and the day it is closed."""
    places = [(d, s) for d in travel(world.seed) for s in d.sights]

    def distinct(place: tuple[Destination, Sight]) -> bool:  # no other sight there shares them
        dest, sight = place
        return [(s.opens, s.closes) for s in dest.sights].count((sight.opens, sight.closes)) == 1

    dest, sight = pick(
        places, world, lambda p: bool(p[1].closed_on) and distinct(p), distinct, lambda p: True
    )
    title = sight.name
    times = {minutes_of(sight.opens), minutes_of(sight.closes)}
    day = sight.closed_on or "every day"

    def says_day(end: End) -> bool:
        text = norm(note_of(end, title))
        if sight.closed_on:
            return re.search(rf"\b{norm(sight.closed_on)}", text) is not None
        return "every day" in text or "daily" in text

    asked = "the day it is closed" if sight.closed_on else "whether it closes on any day"
    return Spec(
        goal=(
            f"Look up the {sight.name} on travel.example.com: save its opening hours and "
            f"{asked} in a note titled {title}"
        ),
        checks=(
            note_titled(title),
            Check(
                f"it gives {sight.opens}–{sight.closes}",
                lambda end: times <= clock_times(note_of(end, title)),
                2.0,
            ),
            Check(f"and {day}", says_day),
        ),
        solution=(
            *browse(world, f"travel.example.com/destinations/{dest.slug}"),
            *write_note(title, sight.hours()),
        ),
        params={"sight": sight.name, "hours": sight.hours()},
    )
