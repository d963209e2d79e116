"""Contacts tasks: adding, changing and looking up people (the `contacts` family shares the
editor: open Contacts, Add contact, fill Name / Phone / Email, Save)."""

from __future__ import annotations

from mobile_agent.bench.tasks.checks import (
    CONTACTS,
    NOTES,
    find_contact,
    find_note,
    mentions,
    note_text,
    note_titled,
    same_phone,
)
from mobile_agent.bench.tasks.model import (
    Check,
    End,
    Spec,
    Step,
    World,
    open_app,
    tap,
    task,
    type_text,
)
from mobile_agent.bench.tasks.notes import write_note

NEW_PEOPLE = (
    ("Iris Lindqvist", "+1 555 0142", "iris.lindqvist@example.org"),
    ("Tomasz Nowak", "+1 555 0177", "tomasz.nowak@example.org"),
    ("Amara Okafor", "+1 555 0119", "amara.okafor@example.org"),
    ("Kenji Watanabe", "+1 555 0163", "kenji.watanabe@example.org"),
    ("Lucia Ferreira", "+1 555 0128", "lucia.ferreira@example.org"),
)


def add_contact(name: str, phone: str, email: str = "") -> tuple[Step, ...]:
    """The steps that add a contact (Contacts is opened first)."""
    steps = [open_app("Contacts"), tap("Add contact"), type_text(name, "Name")]
    steps.append(type_text(phone, "Phone"))
    if email:
        steps.append(type_text(email, "Email"))
    steps.append(tap("Save"))
    return tuple(steps)


def has_contact(end: End, name: str, phone: str) -> bool:
    found = find_contact(end, name)
    return found is not None and same_phone(found["phone"], phone)


@task("contacts.add", "travel", apps=(CONTACTS,), family="contacts")
def add(world: World) -> Spec:
    """Add a new contact with a phone number."""
    name, phone, _ = world.rng.choice(NEW_PEOPLE)
    return Spec(
        goal=f"Add a contact named {name} with the phone number {phone}",
        checks=(
            Check(f"a contact named {name}", lambda end: find_contact(end, name) is not None),
            Check(f"with the number {phone}", lambda end: has_contact(end, name, phone), 2.0),
        ),
        solution=add_contact(name, phone),
        params={"name": name, "phone": phone},
    )


@task("contacts.add_with_email", "travel", apps=(CONTACTS,), family="contacts")
def add_with_email(world: World) -> Spec:
    """Add a contact with a phone number and an e-mail address."""
    name, phone, email = world.rng.choice(NEW_PEOPLE)

    def email_saved(end: End) -> bool:
        found = find_contact(end, name)
        return found is not None and str(found["email"]).casefold() == email

    return Spec(
        goal=f"Save {name} as a contact: phone {phone}, e-mail {email}",
        checks=(
            Check(f"{name} with the number {phone}", lambda end: has_contact(end, name, phone)),
            Check(f"and the e-mail {email}", email_saved),
        ),
        solution=add_contact(name, phone, email),
        params={"name": name, "phone": phone, "email": email},
    )


@task("contacts.change_number", "travel", apps=(CONTACTS,))
def change_number(world: World) -> Spec:
    """Change an existing contact's phone number."""
    person = world.rng.choice(world.data(CONTACTS)["contacts"])
    name, old = str(person["name"]), str(person["phone"])
    new = f"+1 555 01{world.rng.randint(10, 99)}"
    return Spec(
        goal=f"{name} has a new phone number, {new}: update the contact",
        checks=(
            Check(f"{name} has the number {new}", lambda end: has_contact(end, name, new), 2.0),
            Check("the contact is kept once", lambda end: find_contact(end, name) is not None),
        ),
        solution=(
            open_app("Contacts"),
            type_text(name, "Search contacts"),
            tap(name),
            tap("Edit"),
            type_text(new, old, clear=True),
            tap("Save"),
        ),
        params={"name": name, "old": old, "new": new},
    )


@task("contacts.email_to_note", "research", apps=(CONTACTS, NOTES))
def email_to_note(world: World) -> Spec:
    """Look up a contact's e-mail address and write it into a note."""
    person = world.rng.choice(world.data(CONTACTS)["contacts"])
    name, email = str(person["name"]), str(person["email"])
    title = f"{name.split()[0]} email"
    return Spec(
        goal=f"Find {name}'s e-mail address in Contacts and save it in a new note titled {title}",
        checks=(
            note_titled(title),
            Check(
                f"it holds {email}",
                lambda end: mentions(note_text(find_note(end, title) or {}), email),
                2.0,
            ),
        ),
        solution=(
            open_app("Contacts"),
            type_text(name, "Search contacts"),
            tap(name),
            *write_note(title, email),
        ),
        params={"name": name, "email": email},
    )
