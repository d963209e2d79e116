"""Notes tasks: writing, changing and finding notes (the `notes` family shares the editor's
sub-routines: open Notes, New note, fill Title and Note, Save)."""

from __future__ import annotations

from mobile_agent.bench.tasks.checks import (
    NOTES,
    find_note,
    mentions,
    norm,
    note_says,
    note_text,
    note_titled,
)
from mobile_agent.bench.tasks.model import (
    Check,
    End,
    Spec,
    World,
    long_press,
    open_app,
    tap,
    task,
    type_text,
)

TITLES = ("Groceries", "Packing list", "Book club", "Weekend plan", "Car service", "Birthday")
BODIES = (
    "milk, eggs, bread",
    "passport, charger, sunscreen",
    "Piranesi on Thursday at 7",
    "hike Saturday, museum Sunday",
    "oil change at 9:30 on Monday",
    "cake, candles, balloons",
)
ITEMS = ("apples", "rice", "olive oil", "yoghurt", "lemons", "pasta", "tea", "cheese")
ADDITIONS = ("call back before noon", "bring the receipt", "ask about the price", "due Friday")


def write_note(title: str, body: str) -> tuple[tuple[str, dict[str, object]], ...]:
    """The steps that create a note (from anywhere: Notes is opened first)."""
    return (
        open_app("Notes"),
        tap("New note"),
        type_text(title, "Title"),
        type_text(body, "Note"),
        tap("Save"),
    )


@task("notes.create", "research", apps=(NOTES,), family="notes")
def create(world: World) -> Spec:
    """Create a note with a given title and text."""
    title, body = world.rng.choice(TITLES), world.rng.choice(BODIES)
    return Spec(
        goal=f"Create a note titled {title} with the text: {body}",
        checks=(
            note_titled(title),
            Check(f"its text is {body!r}", lambda end: note_says(end, title, body), 2.0),
        ),
        solution=write_note(title, body),
        params={"title": title, "body": body},
    )


@task("notes.checklist", "shopping", apps=(NOTES,), family="notes")
def checklist(world: World) -> Spec:
    """Write a shopping checklist, one item per line."""
    items = world.rng.sample(ITEMS, 3)
    title = world.rng.choice(("To buy", "Shopping", "Market run"))

    def one_per_line(end: End) -> bool:
        found = find_note(end, title)
        lines = [norm(line) for line in str(found["body"]).splitlines()] if found else []
        return all(any(mentions(line, item) for line in lines) for item in items) and len(
            [line for line in lines if line]
        ) >= len(items)

    return Spec(
        goal=f"Make a note titled {title} listing {', '.join(items)}, one item per line",
        checks=(
            note_titled(title),
            Check(
                "it lists every item",
                lambda end: all(note_says(end, title, item) for item in items),
                2.0,
            ),
            Check("one item per line", one_per_line),
        ),
        solution=write_note(title, "\n".join(items)),
        params={"title": title, "items": items},
    )


@task("notes.two_notes", "research", apps=(NOTES,))
def two_notes(world: World) -> Spec:
    """Create two notes in one task."""
    first, second = world.rng.sample(TITLES, 2)
    body_a, body_b = world.rng.sample(BODIES, 2)
    return Spec(
        goal=f"Create two notes: {first} (text: {body_a}) and {second} (text: {body_b})",
        checks=(
            Check(f"note {first}", lambda end: note_says(end, first, body_a)),
            Check(f"note {second}", lambda end: note_says(end, second, body_b)),
        ),
        solution=write_note(first, body_a) + write_note(second, body_b),
        params={"titles": [first, second]},
    )


@task("notes.append", "research", apps=(NOTES,), family="notes")
def append(world: World) -> Spec:
    """Add a line to an existing note, keeping its text."""
    note = world.rng.choice(world.data(NOTES)["notes"])
    title, old = str(note["title"]), str(note["body"])
    extra = world.rng.choice(ADDITIONS)

    def kept_and_added(end: End) -> bool:
        found = find_note(end, title)
        text = norm(found["body"]) if found else ""
        return norm(old) in text and norm(extra) in text

    return Spec(
        goal=f"In the note titled {title}, add a new line at the end: {extra}",
        checks=(
            Check(f"the note {title} still exists", lambda end: find_note(end, title) is not None),
            Check(f"it ends with {extra!r} and keeps its text", kept_and_added, 2.0),
        ),
        solution=(
            open_app("Notes"),
            tap(title),
            type_text(f"{old}\n{extra}", old, clear=True),
            tap("Save"),
        ),
        params={"title": title, "added": extra},
    )


@task("notes.delete", "research", apps=(NOTES,))
def delete(world: World) -> Spec:
    """Delete one note and keep the others."""
    existing = world.data(NOTES)["notes"]
    note = world.rng.choice(existing)
    title = str(note["title"])
    others = [str(n["title"]) for n in existing if n["id"] != note["id"]]
    return Spec(
        goal=f"Delete the note titled {title}",
        checks=(
            Check(f"no note titled {title}", lambda end: find_note(end, title) is None, 2.0),
            Check(
                "the other notes are kept",
                lambda end: all(find_note(end, t) is not None for t in others),
            ),
        ),
        solution=(open_app("Notes"), long_press(title), tap("Delete")),
        params={"title": title},
    )


@task("notes.search_fact", "research", apps=(NOTES,))
def search_fact(world: World) -> Spec:
    """Find a fact in one note and write it into a new note."""
    note = world.rng.choice(world.data(NOTES)["notes"])
    title, body = str(note["title"]), str(note["body"])
    target = f"From {title}"
    first_line = body.split(";")[0].split(". ")[0].strip().rstrip(".")

    return Spec(
        goal=f"Copy the first sentence of the note titled {title} into a new note titled {target}",
        checks=(
            Check(f"a note titled {target}", lambda end: find_note(end, target) is not None),
            Check(
                "it holds the sentence",
                lambda end: mentions(note_text(find_note(end, target) or {}), first_line),
                2.0,
            ),
            Check("the original note is kept", lambda end: note_says(end, title, body)),
        ),
        solution=write_note(target, first_line),
        params={"title": title, "sentence": first_line},
    )
