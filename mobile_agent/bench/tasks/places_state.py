"""Places as its tasks see it: reading places, their hours and the phone's moment, the
set-ups and checks the tasks share, finding their answers, the lenient reading of durations
and times of day in notes, and the steps that drive the app."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from typing import Any

from mobile_agent.bench.tasks.checks import (
    find_note,
    mentions,
    norm,
    note_text,
    note_titled,
    same_phone,
)
from mobile_agent.bench.tasks.clock import CLOCK
from mobile_agent.bench.tasks.model import Check, End, Step, World, key, open_app, tap, type_text

PLACES = "com.example.places"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
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


# -- the answers of single tasks ------------------------------------------------------
def cheapest_rated_at_least(data: dict[str, Any], rng: random.Random) -> tuple[str, float, Place]:
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


def visit_day(world: World, place: Place) -> str:
    """A day the museum is open, other than today and with other hours than today's where
    there is one."""
    today = world.data(PLACES)["now"]["weekday"]
    days = [d for d in WEEKDAYS if d != today and opening(place, d)]
    other = [d for d in days if opening(place, d) != opening(place, today)]
    return world.rng.choice(other or days)


def top_three(data: dict[str, Any]) -> list[Place]:
    """The three best-rated restaurants open now (more reviews first on a tie), when no two
    of the first four have the same rating and number of reviews."""
    found = [p for p in of_kind(data, "Restaurant") if open_at(p, data["now"])]
    found.sort(key=lambda p: (-float(p["rating"]), -int(p["reviews_count"])))
    keys = [(p["rating"], p["reviews_count"]) for p in found[:4]]
    return found[:3] if len(found) >= 3 and len(set(keys)) == len(keys) else []


def alarm_options(world: World) -> tuple[int, list[tuple[Place, str]]]:
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


# -- checks of notes --------------------------------------------------------------------
def note_check(title: str, what: str, test: Callable[[str], bool], weight: float = 1.0) -> Check:
    return Check(what, lambda end: test(note_text(find_note(end, title) or {})), weight)


def has_note(title: str) -> Check:
    return note_titled(title)
