"""Calendar tasks: creating, moving, deleting and reading events, and passing them on by
message or note (the `calendar_create` family shares the event form: Create event, Title,
Date, Start time, End time, Location…, Save)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from mobile_agent.bench.tasks.calendar_state import (
    CALENDAR,
    an_event,
    at,
    clock_text,
    creation_checks,
    day,
    events_with_guests,
    future_date,
    invites,
    lunch_thread,
    minutes,
    new_event,
    open_event,
    says_date,
    says_time,
    slot,
    spoken,
    text_each,
    titled,
)
from mobile_agent.bench.tasks.checks import CONTACTS, NOTES, find_note, norm, note_text
from mobile_agent.bench.tasks.messages import MESSAGES, got, only_to, says, sent_to, text_person
from mobile_agent.bench.tasks.model import Check, End, Spec, World, open_app, tap, task, type_text
from mobile_agent.bench.tasks.notes import write_note

AIRPORTS = (("Lisbon", "Heathrow Terminal 5"), ("Rome", "Gatwick North Terminal"))
RESTAURANTS = (("Luigi's", "14 Canal Street"), ("The Olive Tree", "3 Market Square"))
TOPICS = ("coral reefs", "Roman roads", "battery recycling", "sleep and memory")
LATE = ("I'm running 15 minutes late, start without me", "Sorry, I have to miss this one")


# -- creating events (a family) ---------------------------------------------------------
@task("calendar.add_flight", "travel", apps=(CALENDAR,), family="calendar_create")
def add_flight(world: World) -> Spec:
    """Create an event with a date, a time and a location."""
    city, airport = world.rng.choice(AIRPORTS)
    title, date = f"Flight to {city}", future_date(world)
    start, end = slot(world, 6, 18, world.rng.choice((135, 150, 165)))
    first = int(world.data(CALENDAR)["next_id"])
    return Spec(
        goal=f"Put my flight in the calendar: '{title}' on {spoken(date)}, "
        f"{start} to {end}, at {airport}",
        checks=(
            *creation_checks(title, first, date.isoformat(), start, end),
            at(title, first, airport),
        ),
        solution=new_event(title, date.isoformat(), start, end, Location=airport),
        params={"title": title, "date": date.isoformat(), "start": start},
    )


@task("calendar.add_dinner", "restaurant", apps=(CALENDAR,), family="calendar_create")
def add_dinner(world: World) -> Spec:
    """Create a dinner event with a location and two contacts as guests."""
    restaurant, address = world.rng.choice(RESTAURANTS)
    friends = [str(p["name"]) for p in world.rng.sample(world.data(CONTACTS)["contacts"], 2)]
    title, date = f"Dinner at {restaurant}", future_date(world)
    start, end = slot(world, 18, 20, 120)
    first = int(world.data(CALENDAR)["next_id"])

    def both_invited(end_: End) -> bool:
        return any(all(invites(e, f) for f in friends) for e in titled(end_, title, first))

    return Spec(
        goal=f"Create a calendar event '{title}' on {spoken(date)} from {start} to {end} "
        f"at {address}, with {friends[0]} and {friends[1]} as guests",
        checks=(
            *creation_checks(title, first, date.isoformat(), start, end),
            at(title, first, address),
            Check(f"{friends[0]} and {friends[1]} are guests", both_invited),
        ),
        solution=new_event(
            title, date.isoformat(), start, end, Location=address, Guests=", ".join(friends)
        ),
        params={"title": title, "date": date.isoformat(), "guests": friends},
    )


@task("calendar.add_study", "research", apps=(CALENDAR,), family="calendar_create")
def add_study(world: World) -> Spec:
    """Create a research session with a location and a note."""
    topic = world.rng.choice(TOPICS)
    title, note = f"Research: {topic[0].upper()}{topic[1:]}", f"Read three papers on {topic}"
    date = future_date(world)
    start, end = slot(world, 9, 15, world.rng.choice((90, 120, 180)))
    first = int(world.data(CALENDAR)["next_id"])
    return Spec(
        goal=f"Block time in my calendar: '{title}' on {spoken(date)}, {start} to {end}, "
        f"at City Library, with the note '{note}'",
        checks=(
            *creation_checks(title, first, date.isoformat(), start, end),
            Check(
                "at City Library, with the note",
                lambda e: any(
                    says(x["location"], "City Library") and says(x["notes"], note)
                    for x in titled(e, title, first)
                ),
            ),
        ),
        solution=new_event(
            title, date.isoformat(), start, end, Location="City Library", Notes=note
        ),
        params={"title": title, "date": date.isoformat(), "start": start},
    )


# -- changing events --------------------------------------------------------------------
@task("calendar.reschedule", "travel", apps=(CALENDAR,))
def reschedule(world: World) -> Spec:
    """Move an event to another time on the same day, keeping its length."""
    event = world.rng.choice(world.data(CALENDAR)["events"])
    title, date = str(event["title"]), str(event["date"])
    begin, length = minutes(event["start"]), minutes(event["end"]) - minutes(event["start"])
    latest = min(21 * 60, 24 * 60 - 1 - length)
    start = world.rng.choice([m for m in range(7 * 60, latest + 1, 15) if abs(m - begin) >= 60])
    new_start, new_end = clock_text(start), clock_text(start + length)
    return Spec(
        goal=f"Move '{title}' to {new_start} on the same day, keeping its length",
        checks=(
            Check(
                f"{title} is kept once, on {date}",
                lambda e: [x["date"] for x in titled(e, title)] == [date],
            ),
            Check(f"it starts at {new_start}", lambda e: an_event(e, title, start=new_start), 2.0),
            Check(f"it ends at {new_end}", lambda e: an_event(e, title, end=new_end)),
        ),
        solution=(
            *open_event(title),
            tap("Edit event"),
            type_text(new_start, "Start time", clear=True),
            type_text(new_end, "End time", clear=True),
            tap("Save"),
        ),
        params={"title": title, "start": new_start, "end": new_end},
    )


@task("calendar.delete_event", "travel", apps=(CALENDAR,))
def delete_event(world: World) -> Spec:
    """Delete one event and keep the others."""
    existing = world.data(CALENDAR)["events"]
    event = world.rng.choice(existing)
    title = str(event["title"])
    others = [str(e["title"]) for e in existing if e["id"] != event["id"]]
    return Spec(
        goal=f"Cancel '{title}': delete it from my calendar",
        checks=(
            Check(f"no event {title}", lambda e: not titled(e, title), 2.0),
            Check("the other events are kept", lambda e: all(titled(e, t) for t in others)),
        ),
        solution=(*open_event(title), tap("Delete event"), tap("Delete")),
        params={"title": title},
    )


# -- reading events into notes ----------------------------------------------------------
@task("calendar.location_to_note", "travel", apps=(CALENDAR, NOTES))
def location_to_note(world: World) -> Spec:
    """Look up where an event takes place and save it in a note."""
    placed = [
        e for e in world.data(CALENDAR)["events"] if e["location"] not in ("Phone", "Video call")
    ]
    event = world.rng.choice(placed)
    title, place = str(event["title"]), str(event["location"])
    target = f"Where is {title}"

    def noted(end: End) -> bool:
        return says(note_text(find_note(end, target) or {}), place)

    return Spec(
        goal=f"Find where '{title}' takes place and save the place in a new note titled '{target}'",
        checks=(
            Check(f"a note titled {target}", lambda e: find_note(e, target) is not None),
            Check(f"it says {place}", noted, 2.0),
        ),
        solution=(*open_event(title), *write_note(target, place)),
        params={"title": title, "location": place},
    )


@task("calendar.next_three_to_note", "research", apps=(CALENDAR, NOTES))
def next_three_to_note(world: World) -> Spec:
    """Write a note listing the next three events after today, with their days."""
    data = world.data(CALENDAR)
    today = day(data["today"])
    coming = sorted(
        (e for e in data["events"] if e["date"] > data["today"]),
        key=lambda e: (e["date"], e["start"], e["end"], e["id"]),
    )[:3]
    target = "Coming up"
    lines = [f"{e['title']}, {spoken(day(e['date']))}" for e in coming]

    def listed(title: str) -> Check:
        return Check(
            f"it lists {title}", lambda e: says(note_text(find_note(e, target) or {}), title)
        )

    def dated(end: End) -> bool:
        text = note_text(find_note(end, target) or {})
        return all(says_date(text, day(e["date"]), today) for e in coming)

    return Spec(
        goal=f"Make a note titled '{target}' listing my next three calendar events after today, "
        "each with its day",
        checks=(
            Check(f"a note titled {target}", lambda e: find_note(e, target) is not None),
            *(listed(str(e["title"])) for e in coming),
            Check("with their days", dated),
        ),
        solution=(open_app("Calendar"), *write_note(target, "\n".join(lines))),
        params={"events": [e["title"] for e in coming]},
    )


# -- events and messages ----------------------------------------------------------------
@task("calendar.tell_start_time", "travel", apps=(CALENDAR, MESSAGES))
def tell_start_time(world: World) -> Spec:
    """Message a guest of an event the day and time it starts."""
    shared, phones = events_with_guests(world)
    event = world.rng.choice(shared)
    name = world.rng.choice(event["attendees"])
    number, title, start = phones[name], str(event["title"]), str(event["start"])
    date, today = day(event["date"]), day(world.data(CALENDAR)["today"])
    seq = int(world.data(MESSAGES)["seq"])

    def told(test: Callable[[str], bool]) -> Callable[[End], bool]:
        return lambda end: any(test(text) for text in sent_to(end, number, seq))

    return Spec(
        goal=f"Tell {name} by text message when '{title}' starts (the day and the time)",
        checks=(
            Check(f"a message to {name}", lambda end: bool(sent_to(end, number, seq))),
            Check(f"it gives the time {start}", told(lambda t: says_time(t, start)), 2.0),
            Check(f"and the day, {spoken(date)}", told(lambda t: says_date(t, date, today))),
        ),
        solution=(
            *open_event(title),
            *text_person(name, f"{title} starts on {spoken(date)} at {start}"),
        ),
        params={"name": name, "title": title, "date": event["date"], "start": start},
    )


@task("calendar.message_guests", "restaurant", apps=(CALENDAR, MESSAGES))
def message_guests(world: World) -> Spec:
    """Send the same message to every guest of an event."""
    shared, phones = events_with_guests(world)
    small = [e for e in shared if 2 <= len(e["attendees"]) <= 3]
    event = world.rng.choice(small or shared)
    title, guests = str(event["title"]), [str(g) for g in event["attendees"]]
    text = world.rng.choice(LATE)
    seq = int(world.data(MESSAGES)["seq"])
    numbers = [phones[g] for g in guests]

    def reached(guest: str) -> Check:
        return Check(f"{guest} got it", lambda end: got(end, phones[guest], seq, text))

    return Spec(
        goal=f"Text everyone invited to '{title}' this message: {text}",
        checks=(
            *(reached(g) for g in guests),
            Check(
                "no one else got it",
                lambda end: bool(sent_to(end, numbers[0], seq)) and only_to(end, numbers, seq),
            ),
        ),
        solution=(*open_event(title), *text_each(guests, text)),
        params={"title": title, "guests": guests, "text": text},
    )


@task("calendar.lunch_from_message", "restaurant", apps=(MESSAGES, CALENDAR))
def lunch_from_message(world: World) -> Spec:
    """Create an event, with the person as guest, from a lunch agreed in Messages."""
    name, time, place = lunch_thread(world)
    title = f"Lunch with {name.split()[0]}"
    world.change(
        CALENDAR,
        lambda data: data.update(
            events=[e for e in data["events"] if norm(e["title"]) != norm(title)]
        ),
    )
    data = world.data(CALENDAR)
    date = (day(data["today"]) + dt.timedelta(1)).isoformat()
    start = f"{int(time[:-3]):02d}{time[-3:]}"
    end, first = clock_text(minutes(start) + 60), int(data["next_id"])
    spot = re.sub(r"^the ", "", place, flags=re.I)

    def guest(end_: End) -> bool:
        return any(invites(e, name) for e in titled(end_, title, first))

    return Spec(
        goal=f"I agreed on lunch with {name} in Messages. Add it to my calendar as '{title}', "
        f"one hour long, at the place we agreed, with {name} as a guest",
        checks=(
            *creation_checks(title, first, date, start, end),
            at(title, first, spot),
            Check(f"{name} is a guest", guest),
        ),
        solution=(
            open_app("Messages"),
            tap(name),
            *new_event(title, date, start, end, Location=place, Guests=name),
        ),
        params={"name": name, "date": date, "start": start, "place": place},
    )
