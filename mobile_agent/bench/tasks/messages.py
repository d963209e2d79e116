"""Messages tasks: texting people of Contacts and typed numbers, replying, deleting and
reading conversations (the `messages_send` family shares Start chat, the recipient, the
compose field and Send), plus the helpers that read Messages' state after a run."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from mobile_agent.bench.tasks.checks import CONTACTS, find_contact, norm, same_phone
from mobile_agent.bench.tasks.contacts import NEW_PEOPLE, add_contact
from mobile_agent.bench.tasks.model import (
    Check,
    End,
    Spec,
    Step,
    World,
    long_press,
    open_app,
    tap,
    task,
    type_text,
)

MESSAGES = "com.google.android.apps.messaging"
TO_HINT = "Type a name, phone number or email"

PLANS = (
    "I booked a table at Luigi's for 8 pm",
    "Dinner is at 7:30, see you at the Harbour Hotel",
    "Can you bring the wine tonight?",
    "The restaurant moved our booking to 8:15",
    "Shall we try the new Thai place on Friday?",
)
REPLIES = (
    "Sounds good, see you at 8 at Luigi's",
    "Sorry, I can't make dinner tonight",
    "Great, I'll book a table for two",
    "Let's meet at the restaurant at 7",
)
CITIES = ("Lisbon", "Porto", "Seville", "Bologna", "Lyon")


# -- reading Messages' state ------------------------------------------------------------
def conversations(end: End) -> list[dict[str, Any]]:
    """Every conversation: {id, name, number, unread, messages: [{text, outgoing, seq}]}."""
    return list(end.app(MESSAGES).get("conversations", []))


def conversation_with(end: End, number: str) -> dict[str, Any] | None:
    """The conversation with the person at `number`."""
    return next((c for c in conversations(end) if same_phone(c["number"], number)), None)


def sent_since(end: End, seq: int) -> list[tuple[str, str]]:
    """(number, text) of every message sent after the message numbered `seq`."""
    return [
        (str(c["number"]), str(m["text"]))
        for c in conversations(end)
        for m in c["messages"]
        if m["outgoing"] and int(m["seq"]) > seq
    ]


def sent_to(end: End, number: str, seq: int) -> list[str]:
    """The texts sent to `number` after the message numbered `seq`."""
    return [text for to, text in sent_since(end, seq) if same_phone(to, number)]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", norm(text).replace("'", ""))


def says(text: str, wanted: str) -> bool:
    """Whether `text` holds the words of `wanted` in a row (case and punctuation ignored)."""
    have, want = words(text), words(wanted)
    return bool(want) and any(
        have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1)
    )


def got(end: End, number: str, seq: int, text: str) -> bool:
    """Whether a message sent to `number` after `seq` says `text`."""
    return any(says(sent, text) for sent in sent_to(end, number, seq))


def only_to(end: End, numbers: list[str], seq: int) -> bool:
    """Whether every message sent after `seq` went to one of `numbers`."""
    return all(any(same_phone(to, n) for n in numbers) for to, _ in sent_since(end, seq))


def message_checks(name: str, number: str, seq: int, text: str) -> tuple[Check, ...]:
    """The rubric of sending `text` to `name`: to them, saying it, to no one else."""
    return (
        Check(f"a message to {name}", lambda end: bool(sent_to(end, number, seq))),
        Check(f"it says {text!r}", lambda end: got(end, number, seq, text), 2.0),
        Check(f"no one but {name} got it", lambda end: only_to(end, [number], seq)),
    )


# -- solution steps ---------------------------------------------------------------------
def start_chat(recipient: str, text: str, row: str = "") -> tuple[Step, ...]:
    """From the conversation list: Start chat, pick `recipient` (its row `row`), send."""
    return (
        tap("Start chat"),
        type_text(recipient, TO_HINT),
        tap(row or recipient),
        *send(text),
    )


def send(text: str) -> tuple[Step, ...]:
    """In a conversation: type `text` and send it."""
    return (type_text(text, "Text message"), tap("Send"))


def text_person(name: str, text: str) -> tuple[Step, ...]:
    """Open Messages and text `name` (a person of Contacts)."""
    return (open_app("Messages"), *start_chat(name, text))


# -- tasks ------------------------------------------------------------------------------
@task("messages.send_to_contact", "restaurant", apps=(MESSAGES,), family="messages_send")
def send_to_contact(world: World) -> Spec:
    """Start a chat with a contact and send a given text."""
    data = world.data(MESSAGES)
    talked = [c["number"] for c in data["conversations"]]
    people = [
        p
        for p in world.data(CONTACTS)["contacts"]
        if not any(same_phone(p["phone"], n) for n in talked)
    ]
    person = world.rng.choice(people)
    name, number = str(person["name"]), str(person["phone"])
    text = world.rng.choice(PLANS)
    return Spec(
        goal=f"Send {name} a text message: {text}",
        checks=message_checks(name, number, int(data["seq"]), text),
        solution=text_person(name, text),
        params={"name": name, "text": text},
    )


@task("messages.reply", "restaurant", apps=(MESSAGES,), family="messages_send")
def reply(world: World) -> Spec:
    """Reply in an existing conversation."""
    data = world.data(MESSAGES)
    waiting = [c for c in data["conversations"] if not c["messages"][-1]["outgoing"]]
    chat = world.rng.choice(waiting or data["conversations"])
    name, number = str(chat["name"]), str(chat["number"])
    text = world.rng.choice(REPLIES)
    return Spec(
        goal=f"In Messages, reply to {name}: {text}",
        checks=message_checks(name, number, int(data["seq"]), text),
        solution=(open_app("Messages"), tap(name), *send(text)),
        params={"name": name, "text": text},
    )


@task("messages.send_to_number", "restaurant", apps=(MESSAGES,), family="messages_send")
def send_to_number(world: World) -> Spec:
    """Send a text to a phone number that is not in Contacts."""
    number = f"+44 20 7946 {world.rng.randint(1000, 9999)}"
    guests, time = world.rng.randint(2, 6), world.rng.choice(("19:00", "19:30", "20:00"))
    text = f"Hello, could I book a table for {guests} tonight at {time}?"
    seq = int(world.data(MESSAGES)["seq"])
    return Spec(
        goal=f"Text the restaurant at {number}: {text}",
        checks=message_checks(number, number, seq, text),
        solution=(open_app("Messages"), *start_chat(number, text, f"Chat with {number}")),
        params={"number": number, "text": text},
    )


@task("messages.delete_conversation", "research", apps=(MESSAGES,))
def delete_conversation(world: World) -> Spec:
    """Delete one conversation and keep the others."""
    chats = world.data(MESSAGES)["conversations"]
    chat = world.rng.choice(chats)
    name, number = str(chat["name"]), str(chat["number"])
    others = [str(c["number"]) for c in chats if c["id"] != chat["id"]]
    return Spec(
        goal=f"Delete my conversation with {name} in Messages",
        checks=(
            Check(f"no conversation with {name}", lambda e: not conversation_with(e, number), 2.0),
            Check(
                "the other conversations are kept",
                lambda end: all(conversation_with(end, n) for n in others),
            ),
        ),
        solution=(open_app("Messages"), long_press(name), tap("Delete")),
        params={"name": name},
    )


@task("messages.save_sender", "travel", apps=(MESSAGES, CONTACTS))
def save_sender(world: World) -> Spec:
    """Save the number of someone who texted from an unknown number as a new contact."""
    name = world.rng.choice(NEW_PEOPLE)[0]
    city = world.rng.choice(CITIES)
    number = f"+44 7700 9{world.rng.randint(10000, 99999)}"
    text = (
        f"Hi, it's {name.split()[0]}, your host in {city}. "
        "Check-in is from 15:00, text me when you land!"
    )
    world.change(MESSAGES, lambda data: receive(data, number, number, [(False, text)]))

    def saved(end: End) -> bool:
        found = find_contact(end, name)
        return found is not None and same_phone(found["phone"], number)

    return Spec(
        goal=f"My host in {city} texted me from a number I don't have. "
        f"Save that number in Contacts as {name}",
        checks=(
            Check(f"a contact named {name}", lambda end: find_contact(end, name) is not None),
            Check(f"with the number {number}", saved, 2.0),
        ),
        solution=(open_app("Messages"), tap(number), *add_contact(name, number)),
        params={"name": name, "number": number},
    )


def receive(
    data: dict[str, Any], name: str, number: str, thread: Sequence[tuple[bool, str]]
) -> None:
    """Set up a conversation with `name` at `number`: `thread`'s (outgoing, text) messages,
    a minute apart up to the phone's "now", the newest of the app; unread when the last
    one was received."""
    now = int(str(data["now"])[:2]) * 60 + int(str(data["now"])[3:])
    seq = int(data["seq"])
    messages = [
        {
            "text": text,
            "outgoing": outgoing,
            "time": f"{(now - len(thread) + i) // 60:02d}:{(now - len(thread) + i) % 60:02d}",
            "seq": seq + i + 1,
        }
        for i, (outgoing, text) in enumerate(thread)
    ]
    data["conversations"].append(
        {
            "id": int(data["next_id"]),
            "name": name,
            "number": number,
            "unread": not thread[-1][0],
            "messages": messages,
        }
    )
    data["next_id"], data["seq"] = int(data["next_id"]) + 1, seq + len(thread)
