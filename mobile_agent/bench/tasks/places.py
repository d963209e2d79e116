"""Places tasks: choosing restaurants, finding pharmacies and museums, directions and trip
plans (the `places_best_open` family shares finding the best-rated restaurant of a cuisine
that is open now: search the cuisine, Restaurants, Open now, sort by Rating, open it)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from typing import Any

from mobile_agent.bench.tasks.checks import (
    CONTACTS,
    NOTES,
    contacts,
    find_note,
    mentions,
    norm,
    note_text,
    note_titled,
    same_phone,
)
from mobile_agent.bench.tasks.clock import CLOCK, DAYS, add_alarm, alarm_at
from mobile_agent.bench.tasks.contacts import add_contact
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

PLACES = "com.example.places"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WALKABLE = 60  # minutes on foot a museum to walk to may take
# moments tried, on the seeded weekday and then the next ones, when the seeded one leaves
# a task without an answer (every restaurant closed at 09:00, say)
MOMENTS = ("19:30", "13:00", "18:45", "20:15", "12:30", "10:30")

Place = dict[str, Any]


# -- reading Places data --------------------------------------------------------------
def minutes(clock: str) -> int:
    """Minutes after midnight of "HH:MM"."""
    hour, minute = clock.split(":")
    return int(hour) * 60 + int(minute)


def clock_text(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


def opening(place: Place, day: str) -> tuple[str, str] | None:
    """("10:00", "17:00") on `day`, or None when the place is closed that day."""
    text = str(place["hours"].get(day, "Closed"))
    if text == "Closed":
        return None
    start, end = re.split(r"\s*[–-]\s*", text)
    return start, end


def open_at(place: Place, now: dict[str, str]) -> bool:
    window = opening(place, now["weekday"])
    return window is not None and minutes(window[0]) <= minutes(now["time"]) < minutes(window[1])


def of_kind(data: dict[str, Any], category: str, cuisine: str = "") -> list[Place]:
    """The places of `category` (and `cuisine`), best-rated first."""
    found = [
        p
        for p in data["places"]
        if p["category"] == category and (not cuisine or p["cuisine"] == cuisine)
    ]
    return sorted(found, key=lambda p: -float(p["rating"]))


def cuisines(data: dict[str, Any]) -> list[str]:
    return sorted({str(p["cuisine"]) for p in data["places"] if p["cuisine"]})


def saved(end: End) -> list[int]:
    return [int(i) for i in end.app(PLACES).get("saved", [])]


def settle(
    world: World, answers: Callable[[dict[str, Any]], list[Any]]
) -> tuple[dict[str, Any], list[Any]]:
    """The Places data and `answers` of it at the seeded moment when there are any, else at
    the first moment of MOMENTS (on the seeded weekday, then the next days) that has some;
    the phone is set to that moment."""
    data = world.data(PLACES)
    for now in _moments(data["now"]):
        found = answers({**data, "now": now})
        if found:
            if now != data["now"]:
                _set_now(world, now)
            return {**data, "now": now}, found
    raise LookupError("no moment of the week gives this task an answer")


def _set_now(world: World, now: dict[str, str]) -> None:
    world.change(PLACES, lambda d: d.update(now=now))


def _moments(seeded: dict[str, str]) -> Iterator[dict[str, str]]:
    yield seeded
    start = WEEKDAYS.index(seeded["weekday"])
    for offset in range(7):
        for time in MOMENTS:
            yield {"weekday": WEEKDAYS[(start + offset) % 7], "time": time}


def unsave(world: World, place: Place) -> list[int]:
    """Set up: `place` is not saved; the saved ids as the task starts."""
    ids = [int(i) for i in world.data(PLACES)["saved"]]
    if place["id"] in ids:
        ids.remove(place["id"])
        world.change(PLACES, lambda d: d.update(saved=list(ids)))
    return ids


def save_checks(place: Place, before: list[int]) -> tuple[Check, ...]:
    name, wanted = str(place["name"]), {*before, int(place["id"])}
    return (
        Check(f"{name} is saved", lambda end: place["id"] in saved(end), 2.0),
        Check("no other place saved or removed", lambda end: set(saved(end)) == wanted),
    )


def called_only(place: Place) -> Check:
    number = str(place["phone"])
    return Check(
        f"{place['name']} ({number}) called, no one else",
        lambda end: (
            bool(calls := end.app(PLACES).get("calls", []))
            and all(same_phone(c, number) for c in calls)
        ),
    )


def open_place(name: str) -> tuple[Step, ...]:
    """Find a place by name and open its page."""
    return (open_app("Places"), type_text(name, "Search here"), key("enter"), tap(name))


# -- lenient reading of durations and times of day ---------------------------------------
_HOURS = re.compile(
    r"(\d+)\s*(?:hours?|hrs?|h)(?![a-z])\.?"
    r"(?:\s*(?:and\s*)?(\d{1,2})(?:\s*(?:minutes?|mins?|m)(?![a-z]))?)?"
)
_TIME = re.compile(r"(?<![\d:.])(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?![\d:])")


def says_duration(text: str, total: int) -> bool:
    """Whether `text` gives `total` minutes ("71 min", "1 h 11 min", "1 hour 11 minutes")."""
    text = norm(text)
    if any(int(h) * 60 + int(m or 0) == total for h, m in _HOURS.findall(text)):
        return True
    return mentions(_HOURS.sub(" ", text), total)


def says_time(text: str, clock: str) -> bool:
    """Whether `text` gives the time of day `clock` ("17:00", "5 pm", "5:00 p.m.", "17.00")."""
    wanted = minutes(clock)
    for hour, minute, half in _TIME.findall(norm(text)):
        if not minute and not half:
            continue  # a bare number is no time of day
        value = int(hour) % 12 * 60 if half else int(hour) * 60
        value += int(minute or 0) + (12 * 60 if half.startswith("p") else 0)
        if value == wanted:
            return True
    return False


def in_order(text: str, names: list[str]) -> bool:
    """Whether every name is in `text`, in this order."""
    at = [norm(text).find(norm(n)) for n in names]
    return all(i >= 0 for i in at) and at == sorted(at)


# -- the best-rated open restaurant of a cuisine (a family of three) -----------------------
def _best_open(data: dict[str, Any]) -> list[tuple[bool, str, Place]]:
    """(whether it is the best overall, cuisine, its best-rated restaurant open now) for
    each cuisine with one open, when three or more have one."""
    found = []
    for cuisine in cuisines(data):
        ranked = of_kind(data, "Restaurant", cuisine)
        opened = [p for p in ranked if open_at(p, data["now"])]
        if opened:
            found.append((opened[0] is ranked[0], cuisine, opened[0]))
    return found if len(found) >= 3 else []


def best_open(world: World, index: int) -> tuple[str, Place]:
    """The family's `index`-th cuisine of this seed (cuisines whose best restaurant is
    closed first: the filter matters there) and its best-rated open restaurant."""
    _, found = settle(world, _best_open)
    random.Random(f"best-open/{world.seed}").shuffle(found)
    _, cuisine, place = sorted(found, key=lambda f: f[0])[index]
    return cuisine, place


def find_best_open(cuisine: str, name: str) -> tuple[Step, ...]:
    return (
        open_app("Places"),
        type_text(cuisine, "Search here"),
        key("enter"),
        tap("Restaurants"),
        tap("Open now"),
        tap("Rating"),
        tap(name),
    )


@task("places.best_open_save", "restaurant", apps=(PLACES,), family="places_best_open")
def best_open_save(world: World) -> Spec:
    """Save the best-rated restaurant of a cuisine that is open now."""
    cuisine, place = best_open(world, 0)
    before = unsave(world, place)
    return Spec(
        goal=f"Find the best-rated {cuisine} restaurant that is open now in Places and save it",
        checks=save_checks(place, before),
        solution=(*find_best_open(cuisine, place["name"]), tap("Save")),
        params={"cuisine": cuisine, "place": place["name"]},
    )


@task("places.best_open_call", "restaurant", apps=(PLACES,), family="places_best_open")
def best_open_call(world: World) -> Spec:
    """Call the best-rated restaurant of a cuisine that is open now."""
    cuisine, place = best_open(world, 1)
    return Spec(
        goal=f"Call the best-rated {cuisine} restaurant that is open now (use Places) "
        "to book a table",
        checks=(called_only(place),),
        solution=(*find_best_open(cuisine, place["name"]), tap("Call"), tap("Call now")),
        params={"cuisine": cuisine, "place": place["name"], "phone": place["phone"]},
    )


@task("places.best_open_contact", "restaurant", apps=(PLACES, CONTACTS), family="places_best_open")
def best_open_contact(world: World) -> Spec:
    """Save the phone number of the best-rated open restaurant of a cuisine as a contact."""
    cuisine, place = best_open(world, 2)
    name, number = str(place["name"]), str(place["phone"])

    def named(end: End) -> list[dict[str, Any]]:
        return [c for c in contacts(end) if mentions(str(c.get("name", "")), name)]

    return Spec(
        goal=f"Find the best-rated {cuisine} restaurant that is open now in Places and save "
        "its phone number in Contacts, with the restaurant's name as the contact's name",
        checks=(
            Check(f"a contact named {name}", lambda end: bool(named(end))),
            Check(
                f"with the number {number}",
                lambda end: any(same_phone(c.get("phone", ""), number) for c in named(end)),
                2.0,
            ),
        ),
        solution=(*find_best_open(cuisine, name), *add_contact(name, number)),
        params={"cuisine": cuisine, "place": name, "phone": number},
    )


# -- single places --------------------------------------------------------------------
@task("places.nearest_pharmacy_call", "research", apps=(PLACES,))
def nearest_pharmacy_call(world: World) -> Spec:
    """Call the nearest pharmacy that is open now."""

    def nearest(data: dict[str, Any]) -> list[Place]:
        found = [p for p in of_kind(data, "Pharmacy") if open_at(p, data["now"])]
        return sorted(found, key=lambda p: float(p["distance_km"]))[:1]

    _, (place,) = settle(world, nearest)
    return Spec(
        goal="I need a pharmacy now: call the nearest one that is open (find it in Places)",
        checks=(called_only(place),),
        solution=(
            open_app("Places"),
            tap("Pharmacies"),
            tap("Open now"),
            tap("Distance"),
            tap(place["name"]),
            tap("Call"),
            tap("Call now"),
        ),
        params={"place": place["name"], "phone": place["phone"]},
    )


@task("places.walk_to_museum", "travel", apps=(PLACES,))
def walk_to_museum(world: World) -> Spec:
    """Start walking directions to a museum."""
    museums = sorted(of_kind(world.data(PLACES), "Museum"), key=lambda p: p["distance_km"])
    walkable = [p for p in museums if p["travel"]["Walk"]["minutes"] <= WALKABLE]
    place = world.rng.choice(walkable or museums[:1])
    name = str(place["name"])

    def directions(end: End) -> dict[str, Any]:
        last = end.app(PLACES).get("directions") or {}
        return last if last.get("place_id") == place["id"] else {}

    return Spec(
        goal=f"How long would it take me to walk to {name}? Start walking directions there "
        "in Places",
        checks=(
            Check(f"directions to {name}", lambda end: bool(directions(end))),
            Check("on foot", lambda end: directions(end).get("mode") == "Walk"),
            Check(
                "navigation started",
                lambda end: (
                    directions(end).get("mode") == "Walk" and bool(directions(end).get("started"))
                ),
                2.0,
            ),
        ),
        solution=(*open_place(name), tap("Directions"), tap("Walk"), tap("Start")),
        params={"place": name, "minutes": place["travel"]["Walk"]["minutes"]},
    )


def _cheapest_rated(data: dict[str, Any], rng: random.Random) -> tuple[str, float, Place]:
    """(cuisine, least rating, the cheapest restaurant of the cuisine rated at least that):
    a round threshold that two or more restaurants pass with one cheapest where there is
    one, else the cuisine's best-rated restaurant."""
    options = []
    for cuisine in cuisines(data):
        ranked = of_kind(data, "Restaurant", cuisine)
        for least in (4.0, 4.5, 3.5):
            passing = sorted(
                (p for p in ranked if p["rating"] >= least), key=lambda p: len(p["price"])
            )
            if len(passing) >= 2 and len(passing[0]["price"]) < len(passing[1]["price"]):
                options.append((cuisine, least, passing[0]))
                break
    if options:
        return rng.choice(options)
    best = of_kind(data, "Restaurant", rng.choice(cuisines(data)))[0]
    return str(best["cuisine"]), float(best["rating"]), best


@task("places.cheapest_rated", "restaurant", apps=(PLACES,))
def cheapest_rated(world: World) -> Spec:
    """Save the cheapest restaurant of a cuisine with a rating of at least a threshold."""
    cuisine, least, place = _cheapest_rated(world.data(PLACES), world.rng)
    before = unsave(world, place)
    return Spec(
        goal=f"Find the cheapest {cuisine} restaurant rated {least} or better in Places and "
        "save it",
        checks=save_checks(place, before),
        solution=(
            open_app("Places"),
            type_text(cuisine, "Search here"),
            key("enter"),
            tap("Restaurants"),
            tap(place["name"]),
            tap("Save"),
        ),
        params={"cuisine": cuisine, "least": least, "place": place["name"]},
    )


# -- across apps ----------------------------------------------------------------------
def _note_check(title: str, what: str, test: Callable[[str], bool], weight: float = 1.0) -> Check:
    return Check(what, lambda end: test(note_text(find_note(end, title) or {})), weight)


def _has_note(title: str) -> Check:
    return note_titled(title)


@task("places.airport_transit_note", "travel", apps=(PLACES, NOTES))
def airport_transit_note(world: World) -> Spec:
    """Write the transit time to the airport into a note."""
    airport = of_kind(world.data(PLACES), "Airport")[0]
    name, trip = str(airport["name"]), airport["travel"]["Transit"]
    total = int(trip["minutes"])
    title = world.rng.choice(("Airport trip", "Flight day", "Getting to the airport"))
    hours, rest = divmod(total, 60)
    said = f"{hours} h {rest} min" if hours else f"{total} min"
    return Spec(
        goal=f"I fly out of {name} tomorrow. Find in Places how long it takes to get there by "
        f"public transit and write that in a new note titled {title}",
        checks=(
            _has_note(title),
            _note_check(title, f"it says {said}", lambda text: says_duration(text, total), 2.0),
        ),
        solution=(
            open_app("Places"),
            tap("Transport"),
            tap(name),
            tap("Directions"),
            tap("Transit"),
            *write_note(title, f"Transit to {name}: {said}"),
        ),
        params={"place": name, "minutes": total},
    )


def _visit_day(world: World, place: Place) -> str:
    """A day the museum is open, other than today and with other hours than today's where
    there is one."""
    today = world.data(PLACES)["now"]["weekday"]
    days = [d for d in WEEKDAYS if d != today and opening(place, d)]
    other = [d for d in days if opening(place, d) != opening(place, today)]
    return world.rng.choice(other or days)


@task("places.museum_hours_note", "research", apps=(PLACES, NOTES))
def museum_hours_note(world: World) -> Spec:
    """Note a museum's opening hours on a given weekday."""
    place = world.rng.choice(of_kind(world.data(PLACES), "Museum"))
    name, day = str(place["name"]), _visit_day(world, place)
    start, end = opening(place, day) or ("", "")
    title = f"{name} hours"
    return Spec(
        goal=f"When is {name} open on {day}? Look it up in Places and write its opening hours "
        f"that day in a new note titled {title}",
        checks=(
            _has_note(title),
            _note_check(title, f"opens at {start}", lambda text: says_time(text, start)),
            _note_check(title, f"closes at {end}", lambda text: says_time(text, end)),
        ),
        solution=(*open_place(name), *write_note(title, f"{day}: {start} to {end}")),
        params={"place": name, "day": day, "hours": f"{start}-{end}"},
    )


def _top_three(data: dict[str, Any]) -> list[Place]:
    """The three best-rated restaurants open now (more reviews first on a tie), when no two
    of the first four have the same rating and number of reviews."""
    found = [p for p in of_kind(data, "Restaurant") if open_at(p, data["now"])]
    found.sort(key=lambda p: (-float(p["rating"]), -int(p["reviews_count"])))
    keys = [(p["rating"], p["reviews_count"]) for p in found[:4]]
    return found[:3] if len(found) >= 3 and len(set(keys)) == len(keys) else []


@task("places.top_three_note", "restaurant", apps=(PLACES, NOTES))
def top_three_note(world: World) -> Spec:
    """Recommend the three best-rated restaurants open now in a note, best first."""
    _, top = settle(world, _top_three)
    names = [str(p["name"]) for p in top]
    title = world.rng.choice(("Where to eat", "Restaurant picks", "Food tonight"))
    body = "\n".join(f"{n}. {name}" for n, name in enumerate(names, start=1))
    return Spec(
        goal="Which three restaurants in Places have the best ratings among those open now? "
        f"List them in a new note titled {title}, best first (on a tie, the one with more "
        "reviews first)",
        checks=(
            _has_note(title),
            _note_check(
                title, "it names the three", lambda t: all(mentions(t, n) for n in names), 2.0
            ),
            _note_check(title, "best first", lambda t: in_order(t, names)),
        ),
        solution=(
            open_app("Places"),
            tap("Restaurants"),
            tap("Open now"),
            tap("Rating"),
            *write_note(title, body),
        ),
        params={"places": names},
    )


def _alarm_options(world: World) -> tuple[int, list[tuple[Place, str]]]:
    """(minutes ahead, [(museum, day)]) where an alarm that far before opening is free."""
    taken = {str(a["time"]) for a in world.data(CLOCK)["alarms"]}
    museums = of_kind(world.data(PLACES), "Museum")
    for ahead in (30, 45, 60):
        options = [
            (p, d)
            for p in museums
            for d in WEEKDAYS
            if (hours := opening(p, d)) and clock_text(minutes(hours[0]) - ahead) not in taken
        ]
        if options:
            return ahead, options
    raise LookupError("every alarm time is taken")


@task("places.alarm_before_opening", "travel", apps=(PLACES, CLOCK))
def alarm_before_opening(world: World) -> Spec:
    """Set a weekly alarm some minutes before a museum opens on a given day."""
    ahead, options = _alarm_options(world)
    place, day = world.rng.choice(options)
    name, opens = str(place["name"]), (opening(place, day) or ("",))[0]
    ring, short = clock_text(minutes(opens) - ahead), DAYS[WEEKDAYS.index(day)]

    def labelled(end: End) -> bool:
        return mentions(str((alarm_at(end, ring) or {}).get("label", "")), name)

    return Spec(
        goal=f"I want to be at {name} when it opens on {day}. Set an alarm {ahead} minutes "
        f"before its opening time, repeating every {day}, labelled {name}",
        checks=(
            Check(f"an alarm at {ring}", lambda end: alarm_at(end, ring) is not None, 2.0),
            Check(f"labelled {name}", labelled),
            Check(
                f"repeating every {day}",
                lambda end: (alarm_at(end, ring) or {}).get("days") == [short],
            ),
        ),
        solution=(*open_place(name), *add_alarm(ring, name, (short,))),
        params={"place": name, "day": day, "opens": opens, "alarm": ring},
    )
