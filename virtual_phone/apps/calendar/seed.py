"""The seeded schedule: 12–18 events over the two weeks from a seeded "today"."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, NamedTuple

from ..contacts import seed_contacts
from .model import sort_key

DAYS = 14
FIRST_DAY = dt.date(2024, 1, 1)  # seeded "today"s fall in the three years from here
SLOT = 15  # minutes: events start on the quarter hour
SATURDAY = 5
TRIES = 30  # attempts at a slot that overlaps no other event of its day


class Template(NamedTuple):
    """One kind of seeded event; {guest} in the title or location names its first guest."""

    title: str
    location: str
    minutes: int
    notes: str
    guests: int
    earliest: int  # hours of the day the event may start in
    latest: int
    workday: bool = False  # Monday to Friday only


_TEMPLATES = (
    Template("Team stand-up", "Office, room 2.14", 15, "Daily sync", 3, 9, 10, True),
    Template(
        "Dentist appointment", "Smile Dental, 12 High Street", 45, "Bring insurance card", 0, 8, 17
    ),
    Template("Lunch with {guest}", "Luigi's", 60, "", 1, 12, 13),
    Template("Yoga class", "Lotus Studio", 60, "Bring a mat", 0, 7, 19),
    Template("Project review", "Office, board room", 90, "Q3 roadmap and budget", 2, 10, 16, True),
    Template("Coffee with {guest}", "Bean There café", 30, "", 1, 8, 16),
    Template("Car service", "Quick Garage, Mill Road", 120, "Oil change and tyres", 0, 8, 14),
    Template("Haircut", "Studio Cut", 45, "", 0, 9, 18),
    Template("Book club", "City Library", 90, "Discuss Piranesi", 3, 18, 19),
    Template("Call with {guest}", "Phone", 30, "Plan the summer trip", 1, 9, 20),
    Template("Parents' evening", "St Mary's School", 60, "", 0, 17, 18, True),
    Template("Football practice", "Riverside pitch", 90, "Boots and water", 0, 17, 19),
    Template("Dinner at {guest}'s", "{guest}'s place", 150, "Bring dessert", 2, 19, 20),
    Template("Budget planning", "Office, room 3.02", 60, "Prepare the spreadsheet", 2, 9, 15, True),
    Template("Doctor check-up", "Northside Clinic", 30, "Fasting from midnight", 0, 8, 11),
    Template("Piano lesson", "Music school, room 4", 45, "", 0, 16, 18),
    Template("Client meeting", "Harbour Hotel lobby", 60, "Contract renewal", 2, 10, 16, True),
    Template("Gym session", "FitHub", 60, "Legs day", 0, 6, 20),
    Template("Movie night", "Odeon, screen 5", 150, "Tickets on the phone", 2, 19, 21),
    Template("Flat viewing", "27 Elm Street, flat 3", 30, "Ask about the deposit", 1, 10, 18),
    Template("Interview prep with {guest}", "Video call", 45, "", 1, 11, 17),
    Template("Birthday party", "The Crown pub", 180, "Gift: board game", 4, 18, 20),
)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _overlaps(events: list[dict[str, Any]], date: str, start: int, end: int) -> bool:
    return any(
        e["date"] == date and start < _minutes(e["end"]) and _minutes(e["start"]) < end
        for e in events
    )


def _place(
    rng: random.Random, today: dt.date, kind: Template, events: list[dict[str, Any]]
) -> tuple[str, int]:
    """A day and start minute for `kind`, free of overlaps when one is found."""
    for _ in range(TRIES):
        day = today + dt.timedelta(days=rng.randrange(DAYS))
        date = day.isoformat()
        start = rng.randrange(kind.earliest * 60, kind.latest * 60 + 1, SLOT)
        weekend = kind.workday and day.weekday() >= SATURDAY
        if not weekend and not _overlaps(events, date, start, start + kind.minutes):
            break
    return date, start


def seed_calendar(seed: int) -> dict[str, Any]:
    """The seeded state: today and the events of the two weeks from it."""
    rng = random.Random(f"calendar:{seed}")
    today = FIRST_DAY + dt.timedelta(days=rng.randrange(3 * 365))
    names = [str(c["name"]) for c in seed_contacts(seed)]
    events: list[dict[str, Any]] = []
    for kind in rng.sample(_TEMPLATES, rng.randint(12, 18)):
        date, start = _place(rng, today, kind, events)
        guests = rng.sample(names, kind.guests)
        first = guests[0].split()[0] if guests else ""
        events.append(
            {
                "id": 0,
                "title": kind.title.format(guest=first),
                "date": date,
                "start": _clock(start),
                "end": _clock(min(start + kind.minutes, 23 * 60 + 59)),
                "location": kind.location.format(guest=first),
                "notes": kind.notes,
                "attendees": guests,
            }
        )
    events.sort(key=sort_key)
    for number, event in enumerate(events, start=1):
        event["id"] = number
    return {"today": today.isoformat(), "events": events, "next_id": len(events) + 1}
