"""Places tasks: choosing restaurants, finding pharmacies and museums, directions and trip
plans (the `places_best_open` family shares finding the best-rated restaurant of a cuisine
that is open now: search the cuisine, Restaurants, Open now, sort by Rating, open it)."""

from __future__ import annotations

from typing import Any

from mobile_agent.bench.tasks.checks import CONTACTS, NOTES, contacts, mentions, same_phone
from mobile_agent.bench.tasks.clock import CLOCK, DAYS, add_alarm, alarm_at
from mobile_agent.bench.tasks.contacts import add_contact
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
from mobile_agent.bench.tasks.places_state import (
    PLACES,
    WEEKDAYS,
    Place,
    alarm_options,
    best_open,
    called_only,
    cheapest_rated_at_least,
    clock_text,
    find_best_open,
    has_note,
    in_order,
    minutes,
    note_check,
    of_kind,
    open_at,
    open_place,
    opening,
    save_checks,
    says_duration,
    says_time,
    settle,
    top_three,
    unsave,
    visit_day,
)

WALKABLE = 60  # minutes on foot a museum to walk to may take


# -- the best-rated open restaurant of a cuisine (a family of three) -----------------------
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


@task("places.cheapest_rated", "restaurant", apps=(PLACES,))
def cheapest_rated(world: World) -> Spec:
    """Save the cheapest restaurant of a cuisine with a rating of at least a threshold."""
    cuisine, least, place = cheapest_rated_at_least(world.data(PLACES), world.rng)
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
            has_note(title),
            note_check(title, f"it says {said}", lambda text: says_duration(text, total), 2.0),
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


@task("places.museum_hours_note", "research", apps=(PLACES, NOTES))
def museum_hours_note(world: World) -> Spec:
    """Note a museum's opening hours on a given weekday."""
    place = world.rng.choice(of_kind(world.data(PLACES), "Museum"))
    name, day = str(place["name"]), visit_day(world, place)
    start, end = opening(place, day) or ("", "")
    title = f"{name} hours"
    return Spec(
        goal=f"When is {name} open on {day}? Look it up in Places and write its opening hours "
        f"that day in a new note titled {title}",
        checks=(
            has_note(title),
            note_check(title, f"opens at {start}", lambda text: says_time(text, start)),
            note_check(title, f"closes at {end}", lambda text: says_time(text, end)),
        ),
        solution=(*open_place(name), *write_note(title, f"{day}: {start} to {end}")),
        params={"place": name, "day": day, "hours": f"{start}-{end}"},
    )


@task("places.top_three_note", "restaurant", apps=(PLACES, NOTES))
def top_three_note(world: World) -> Spec:
    """Recommend the three best-rated restaurants open now in a note, best first."""
    _, top = settle(world, top_three)
    names = [str(p["name"]) for p in top]
    title = world.rng.choice(("Where to eat", "Restaurant picks", "Food tonight"))
    body = "\n".join(f"{n}. {name}" for n, name in enumerate(names, start=1))
    return Spec(
        goal="Which three restaurants in Places have the best ratings among those open now? "
        f"List them in a new note titled {title}, best first (on a tie, the one with more "
        "reviews first)",
        checks=(
            has_note(title),
            note_check(
                title, "it names the three", lambda t: all(mentions(t, n) for n in names), 2.0
            ),
            note_check(title, "best first", lambda t: in_order(t, names)),
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


@task("places.alarm_before_opening", "travel", apps=(PLACES, CLOCK))
def alarm_before_opening(world: World) -> Spec:
    """Set a weekly alarm some minutes before a museum opens on a given day."""
    ahead, options = alarm_options(world)
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
