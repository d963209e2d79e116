"""Seeded conversations of Messages with people from the seeded address book."""

from __future__ import annotations

import random
from typing import Any

from ..contacts import seed_contacts

IN, OUT = False, True

# Threads as (outgoing, text); {code}, {time}, {place} and {day} are drawn per seed.
_THREADS: tuple[tuple[tuple[bool, str], ...], ...] = (
    (
        (IN, "Hi! Are we still on for lunch tomorrow?"),
        (OUT, "Yes! 12:30 at {place}?"),
        (IN, "Perfect, see you there"),
    ),
    (
        (OUT, "Did you get the slides for the review?"),
        (IN, "Not yet, can you send me the meeting time as well?"),
    ),
    (
        (IN, "The door code for the flat is {code}"),
        (OUT, "Thanks, got it"),
    ),
    (
        (IN, "My train gets in at {time}"),
        (OUT, "I'll pick you up at the station"),
        (IN, "You're a star, thank you!"),
    ),
    (
        (OUT, "Happy birthday! Have a great day"),
        (IN, "Thank you so much!"),
    ),
    (
        (IN, "Can you water the plants on {day}?"),
        (OUT, "Sure, no problem"),
        (IN, "The key is under the blue pot"),
    ),
    (
        (OUT, "Running 10 minutes late, sorry"),
        (IN, "No worries, I'm at a table by the window"),
    ),
    ((IN, "Are you coming to the quiz night on {day}?"),),
    (
        (IN, "Found your umbrella in my car"),
        (OUT, "Oh great, I was looking for it everywhere"),
        (IN, "I'll bring it on {day}"),
    ),
    (
        (OUT, "What was the name of that restaurant near {place}?"),
        (IN, "Luigi's! Book early, it fills up fast"),
    ),
)
_PLACES = ("the market", "the old bridge", "Central Station", "the park café", "the harbour")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
FIRST_MINUTE = 7 * 60  # seeded messages are from 07:00 on


def hhmm(minutes: int) -> str:
    """Minutes since midnight as "HH:MM"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def seed_messages(seed: int) -> dict[str, Any]:
    """The seeded state: 5–7 conversations, each with a different person."""
    rng = random.Random(f"messages:{seed}")
    people = rng.sample(seed_contacts(seed), rng.randint(5, 7))
    threads = rng.sample(_THREADS, len(people))
    now = rng.randint(16 * 60, 19 * 60 + 30)
    window = (now - 5 - FIRST_MINUTE) // len(threads)  # each thread in its own stretch
    words = {
        "code": str(rng.randint(1000, 9999)),
        "time": hhmm(rng.randint(17 * 60, 21 * 60 + 59)),
        "place": rng.choice(_PLACES),
        "day": rng.choice(_DAYS),
    }
    conversations, seq = [], 0
    for number, (person, thread) in enumerate(zip(people, threads, strict=True), start=1):
        start = FIRST_MINUTE + (number - 1) * window
        times = sorted(rng.sample(range(start, start + window), len(thread)))
        messages = []
        for (outgoing, text), minute in zip(thread, times, strict=True):
            seq += 1
            messages.append(
                {
                    "text": text.format(**words),
                    "outgoing": outgoing,
                    "time": hhmm(minute),
                    "seq": seq,
                }
            )
        unread = not messages[-1]["outgoing"] and rng.random() < 0.6
        conversations.append(
            {
                "id": number,
                "name": person["name"],
                "number": person["phone"],
                "unread": unread,
                "messages": messages,
            }
        )
    return {
        "conversations": conversations,
        "next_id": len(conversations) + 1,
        "seq": seq,
        "now": hhmm(now),
    }
