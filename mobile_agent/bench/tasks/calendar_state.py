"""Calendar as its tasks see it: reading events, the dates and times people write, the
steps and checks of the event form, and the guests and lunch plans the tasks across
Messages read or set up."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from mobile_agent.bench.tasks.checks import CONTACTS, norm
from mobile_agent.bench.tasks.messages import MESSAGES, receive, says, start_chat
from mobile_agent.bench.tasks.model import Check, End, Step, World, key, open_app, tap, type_text

CALENDAR = "com.google.android.calendar"
# where a lunch that `lunch_thread` sets up is agreed to be
PLACES = ("the market", "the old bridge", "the harbour")


# -- reading the calendar ---------------------------------------------------------------
def events(end: End) -> list[dict[str, Any]]:
    """Every event: {id, title, date, start, end, location, notes, attendees}."""
    return list(end.app(CALENDAR).get("events", []))


def titled(end: End, title: str, first_id: int = 0) -> list[dict[str, Any]]:
    """The events titled `title` (case and spacing ignored) whose id is `first_id` or more
    (the new ones, given the `next_id` as the task started)."""
    return [e for e in events(end) if norm(e["title"]) == norm(title) and e["id"] >= first_id]


def an_event(end: End, title: str, first_id: int = 0, /, **fields: str) -> bool:
    """Whether an event titled `title` (new, with `first_id`) has these field values."""
    return any(all(e[k] == v for k, v in fields.items()) for e in titled(end, title, first_id))


def invites(event: dict[str, Any], name: str) -> bool:
    """Whether `name` (full or first name) is among the event's guests."""
    return any(norm(g) in (norm(name), norm(name.split()[0])) for g in event["attendees"])


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def spoken(date: dt.date) -> str:
    """ "Friday 14 June"."""
    return f"{date:%A} {date.day} {date:%B}"


# -- dates and times as people write them -----------------------------------------------
_CLOCK = re.compile(r"(?<![\d:.])(\d{1,2})(?:[:.h](\d{2}))?\s*([ap])?\.?m?\.?(?!\w)")


def says_time(text: str, hhmm: str) -> bool:
    """Whether `text` gives the time `hhmm` ("19:30", "19.30", "7:30 pm", "7:30", "7pm")."""
    target = int(hhmm[:2]) * 60 + int(hhmm[3:])
    for hour_text, minute_text, half in _CLOCK.findall(norm(text)):
        hour, minute = int(hour_text), int(minute_text or 0)
        if not minute_text and not half:
            continue
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
        if hour * 60 + minute == target or (not half and (hour + 12) * 60 + minute == target):
            return True
    return False


def says_date(text: str, date: dt.date, today: dt.date) -> bool:
    """Whether `text` names `date`: "2024-06-14", "14 June", "Jun 14th", "14/06", or, within
    the coming week, its weekday ("Friday"), "today" or "tomorrow"."""
    said = norm(text)
    months = rf"(?:{date:%B}|{date:%b})".casefold()
    nth = rf"0?{date.day}(?:st|nd|rd|th)?"
    forms = (
        re.escape(date.isoformat()),
        rf"(?<!\d){nth}\s+(?:of\s+)?{months}\b",
        rf"\b{months}\.?\s+{nth}(?!\d)",
        rf"(?<![\d/]){date.day:d}/0?{date.month}(?![\d])|(?<![\d/])0{date.day}/0?{date.month}(?!\d)",
    )
    if any(re.search(form, said) for form in forms):
        return True
    ahead = (date - today).days
    near = {0: "today", 1: "tomorrow"}.get(ahead, f"{date:%A}".casefold() if ahead < 7 else "")
    return bool(near) and re.search(rf"\b{near}\b", said) is not None


# -- solution steps ---------------------------------------------------------------------
def new_event(title: str, date: str, start: str, end: str, **more: str) -> tuple[Step, ...]:
    """Open Calendar and create an event; `more` fills Location, Notes, Guests by label."""
    steps = [open_app("Calendar"), tap("Create event"), type_text(title, "Title")]
    steps += [type_text(date, "Date"), type_text(start, "Start time"), type_text(end, "End time")]
    steps += [type_text(value, label) for label, value in more.items()]
    return (*steps, tap("Save"))


def open_event(title: str) -> tuple[Step, ...]:
    """Open Calendar and an event's details (found by search)."""
    return (open_app("Calendar"), type_text(title, "Search events"), tap(title))


def text_each(names: list[str], text: str) -> tuple[Step, ...]:
    """Open Messages and send `text` to each of `names`, in a chat of its own."""
    steps: list[Step] = [open_app("Messages")]
    for name in names:
        steps += [*start_chat(name, text), key("back"), key("back")]
    return tuple(steps[:-2])


def creation_checks(
    title: str, first_id: int, date: str, start: str, end: str
) -> tuple[Check, ...]:
    """The rubric of a new event: its title, its day, its hours."""
    return (
        Check(f"a new event titled {title}", lambda e: bool(titled(e, title, first_id))),
        Check(f"on {date}", lambda e: an_event(e, title, first_id, date=date), 2.0),
        Check(
            f"from {start} to {end}", lambda e: an_event(e, title, first_id, start=start, end=end)
        ),
    )


def at(title: str, first_id: int, place: str) -> Check:
    """The new event's location names `place`."""
    return Check(
        f"at {place}", lambda e: any(says(x["location"], place) for x in titled(e, title, first_id))
    )


def clock_text(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


def minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def slot(world: World, earliest: int, latest: int, length: int) -> tuple[str, str]:
    """A start hour between `earliest` and `latest` on the quarter hour, and its end."""
    start = world.rng.randrange(earliest * 60, latest * 60 + 1, 15)
    return clock_text(start), clock_text(start + length)


def future_date(world: World, nearest: int = 2, farthest: int = 12) -> dt.date:
    return day(world.data(CALENDAR)["today"]) + dt.timedelta(world.rng.randint(nearest, farthest))


# -- events and messages ----------------------------------------------------------------
def events_with_guests(world: World) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The events with guests, and the phone number of each person of Contacts."""
    phones = {str(p["name"]): str(p["phone"]) for p in world.data(CONTACTS)["contacts"]}
    shared = [e for e in world.data(CALENDAR)["events"] if e["attendees"]]
    return [e for e in shared if all(g in phones for g in e["attendees"])], phones


_LUNCH = re.compile(r"(\d{1,2}:\d{2}) at (.+?)\?$")


def lunch_thread(world: World) -> tuple[str, str, str]:
    """(person, time, place) of the conversation agreeing on lunch tomorrow; set up with a
    person of Contacts when the seeded messages have none."""
    for chat in world.data(MESSAGES)["conversations"]:
        for message in chat["messages"]:
            found = _LUNCH.search(str(message["text"]))
            if found and message["outgoing"]:
                return str(chat["name"]), found[1], found[2]
    talked = {str(c["name"]) for c in world.data(MESSAGES)["conversations"]}
    person = world.rng.choice(
        [p for p in world.data(CONTACTS)["contacts"] if p["name"] not in talked]
    )
    name, number = str(person["name"]), str(person["phone"])
    time, place = world.rng.choice(("12:00", "12:30", "13:00")), world.rng.choice(PLACES)
    thread = (
        (False, "Hi! Are we still on for lunch tomorrow?"),
        (True, f"Yes! {time} at {place}?"),
        (False, "Perfect, see you there"),
    )
    world.change(MESSAGES, lambda data: receive(data, name, number, thread))
    return name, time, place
