"""The seeded stories of the news site: each template draws its facts from the seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

CITIES = ("Riverside", "Hillcrest", "Port Alden", "Millbrook", "Eastfield", "Lakeview")
PEOPLE = (
    "Maya Okafor",
    "Tomas Varga",
    "Leila Haddad",
    "Jonas Berg",
    "Aiko Tanaka",
    "Rafael Duarte",
    "Nora Lindqvist",
    "Kwame Mensah",
    "Sofia Rossi",
    "Daniel Kim",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Story:
    """A drawn story: title, the topic it trends under, paragraphs and its facts (for
    validators: every fact appears in the paragraphs)."""

    key: str
    topic: str
    title: str
    paragraphs: tuple[str, ...]
    facts: dict[str, str]


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1, 28)} {rng.choice(MONTHS)}"


def _marathon(rng: random.Random) -> Story:
    city = rng.choice(CITIES)
    winner, second = rng.sample(PEOPLE, 2)
    time = f"2:{rng.randint(5, 14):02d}:{rng.randint(0, 59):02d}"
    runners = rng.randint(8, 30) * 1000 + rng.randint(0, 999)
    finishers = runners - rng.randint(300, 1500)
    date = _date(rng)
    facts = {
        "city": city,
        "winner": winner,
        "runner_up": second,
        "time": time,
        "runners": f"{runners:,}",
        "finishers": f"{finishers:,}",
        "date": date,
    }
    return Story(
        "marathon",
        f"{city} Marathon",
        f"{winner} wins the {city} Marathon",
        (
            f"{winner} won the {city} Marathon on {date} in {time}, ahead of {second}.",
            f"A record {runners:,} runners started the race and {finishers:,} finished.",
        ),
        facts,
    )


def _launch(rng: random.Random) -> Story:
    company = rng.choice(("Novaphone", "Brightline", "Orbit Mobile", "Pixelcraft"))
    model = f"{company} {rng.choice(('X', 'Neo', 'Lite', 'Ultra'))} {rng.randint(3, 9)}"
    ceo = rng.choice(PEOPLE)
    price = rng.choice((399, 449, 599, 699, 799, 999))
    battery = rng.choice((4200, 4500, 5000, 5500))
    date, release = _date(rng), _date(rng)
    facts = {
        "company": company,
        "phone": model,
        "ceo": ceo,
        "price": f"${price}",
        "battery": f"{battery} mAh",
        "announced": date,
        "release": release,
    }
    return Story(
        "launch",
        model,
        f"{company} unveils the {model}",
        (
            f"{company} presented the {model} on {date}. Chief executive {ceo} said "
            "pre-orders open the same day.",
            f"The phone will cost ${price} and reach shops on {release}.",
            f"It has a {battery} mAh battery and a 6.4-inch screen.",
        ),
        facts,
    )


def _budget(rng: random.Random) -> Story:
    city = rng.choice(CITIES)
    project = rng.choice(("a new footbridge", "40 km of cycle lanes", "a public library"))
    amount = rng.randint(12, 95)
    yes = rng.randint(20, 35)
    no = rng.randint(3, 15)
    mayor = rng.choice(PEOPLE)
    date = _date(rng)
    facts = {
        "city": city,
        "project": project,
        "amount": f"{amount} million",
        "votes_for": str(yes),
        "votes_against": str(no),
        "mayor": mayor,
        "date": date,
    }
    return Story(
        "budget",
        f"{city} budget",
        f"{city} approves {amount} million for {project}",
        (
            f"The {city} council voted {yes} to {no} on {date} to spend {amount} million "
            f"on {project}.",
            f"Mayor {mayor} said work will start next spring.",
        ),
        facts,
    )


def _heatwave(rng: random.Random) -> Story:
    city = rng.choice(CITIES)
    peak = rng.randint(36, 43)
    record = peak - rng.randint(1, 3)
    year = rng.randint(1976, 2019)
    date = _date(rng)
    facts = {
        "city": city,
        "temperature": f"{peak}°C",
        "old_record": f"{record}°C",
        "record_year": str(year),
        "date": date,
    }
    return Story(
        "heatwave",
        "Heatwave",
        f"Heatwave: {city} hits {peak}°C",
        (
            f"Temperatures in {city} reached {peak}°C on {date}, the hottest day on record.",
            f"The previous record, {record}°C, was set in {year}.",
        ),
        facts,
    )


def _tour(rng: random.Random) -> Story:
    band = f"The {rng.choice(('Velvet', 'Paper', 'Neon', 'Silver'))} "
    band += rng.choice(("Foxes", "Lanterns", "Harbours", "Echoes"))
    shows = rng.randint(12, 40)
    venue = f"{rng.choice(CITIES)} Arena"
    first = _date(rng)
    price = rng.choice((45, 55, 65, 79, 89))
    facts = {
        "band": band,
        "shows": str(shows),
        "first_show": first,
        "venue": venue,
        "ticket_price": f"${price}",
    }
    return Story(
        "tour",
        f"{band} tour",
        f"{band} announce a {shows}-date tour",
        (
            f"{band} will play {shows} shows, starting at {venue} on {first}.",
            f"Tickets start at ${price} and go on sale on Friday.",
        ),
        facts,
    )


def _museum(rng: random.Random) -> Story:
    city = rng.choice(CITIES)
    museum = f"{city} {rng.choice(('Museum of Science', 'Design Museum', 'Maritime Museum'))}"
    architect = rng.choice(PEOPLE)
    visitors = rng.randint(150, 900) * 1000
    date = _date(rng)
    price = rng.choice((8, 10, 12, 15))
    facts = {
        "museum": museum,
        "architect": architect,
        "opening": date,
        "visitors": f"{visitors:,}",
        "ticket_price": f"${price}",
    }
    return Story(
        "museum",
        museum,
        f"{museum} opens its doors on {date}",
        (
            f"The new {museum}, designed by {architect}, opens on {date}.",
            f"It expects {visitors:,} visitors in its first year. Tickets cost ${price}; "
            "children go free.",
        ),
        facts,
    )


TEMPLATES: tuple[Callable[[random.Random], Story], ...] = (
    _marathon,
    _launch,
    _budget,
    _heatwave,
    _tour,
    _museum,
)
