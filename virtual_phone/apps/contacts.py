"""Contacts (`com.example.contacts`): sorted list, search, add/edit, details with a Call button."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ..ui.views import MATCH, ImageButton, LinearLayout, Row, TextView, View
from .base import Activity, App
from .list_screen import ListSpec, ListTexts, SearchableListActivity
from .records import IdRecords
from .widgets import action_button, save_button, screen, text_field, toolbar, two_line_row

PACKAGE = "com.example.contacts"

_FIRST = (
    "Alice",
    "Bruno",
    "Chloé",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oscar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
    "Zoe",
)
_LAST = (
    "Anderson",
    "Becker",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "García",
    "Hansen",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Müller",
    "Nakamura",
    "Olsen",
    "Petrov",
    "Rossi",
    "Silva",
    "Tanaka",
    "Weber",
)


def seed_contacts(seed: int, count: int = 15) -> list[dict[str, Any]]:
    """The seeded address book: `count` people {id, name, phone, email} (other apps use
    the same people)."""
    rng = random.Random(seed)
    firsts = rng.sample(_FIRST, count)
    contacts = []
    for number, first in enumerate(firsts, start=1):
        last = rng.choice(_LAST)
        phone = f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
        email = (
            f"{first.lower()}.{last.lower()}@example.com".replace("é", "e")
            .replace("ü", "u")
            .replace("í", "i")
        )
        contacts.append({"id": number, "name": f"{first} {last}", "phone": phone, "email": email})
    return contacts


class ContactsApp(App):
    """An address book; state {"contacts": [{id,name,phone,email}], "next_id"}."""

    package = PACKAGE
    label = "Contacts"
    main_activity = PACKAGE + ".MainActivity"
    system = False
    icon = "contact"
    icon_bg = "#1a8a5a"

    def initial_state(self, seed: int) -> dict[str, Any]:
        contacts = seed_contacts(seed)
        return {"contacts": contacts, "next_id": len(contacts) + 1}

    def empty_state(self) -> dict[str, Any]:
        return {"contacts": [], "next_id": 1}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {
            self.main_activity: lambda: contact_list(self),
            EditContactActivity.name: lambda: EditContactActivity(self, None),
        }

    @property
    def records(self) -> IdRecords:
        """The stored contacts, by id."""
        return IdRecords(self.state, "contacts")

    def contacts(self) -> list[dict[str, Any]]:
        """Contacts sorted by name (case-insensitive)."""
        return sorted(self.records.all(), key=lambda c: str(c["name"]).casefold())

    def save(self, contact_id: int | None, name: str, phone: str, email: str) -> int:
        """Create or update a contact; returns its id."""
        fields = {"name": name.strip(), "phone": phone.strip(), "email": email.strip()}
        return self.records.save(contact_id, **fields)


LIST_TEXTS = ListTexts(
    "Contacts", "Search contacts", "No contacts", "No contacts found", "Add contact"
)


def _matches(contact: dict[str, Any], query: str) -> bool:
    """A contact matches on its name or on its phone number without spaces."""
    name = str(contact["name"]).casefold()
    return query in name or query in str(contact["phone"]).replace(" ", "")


def contact_list(app: ContactsApp) -> SearchableListActivity[dict[str, Any]]:
    """All contacts, a search field and an Add-contact button."""
    spec = ListSpec(LIST_TEXTS, "contact_list", app.contacts, _matches, _contact_row, _add_contact)
    return SearchableListActivity(app, app.main_activity, spec)


def _add_contact(activity: Activity) -> None:
    activity.host.start_activity(EditContactActivity(activity.app, None))


def _contact_row(activity: Activity, contact: dict[str, Any]) -> View:
    contact_id = int(contact["id"])
    initial = str(contact["name"])[:1].upper() or "?"
    return Row(
        id=activity.rid("contact_item"),
        padding=(48, 26),
        focusable=True,
        on_click=lambda: activity.host.start_activity(
            ContactDetailsActivity(activity.app, contact_id)
        ),
        children=[
            TextView(
                text=initial,
                size=46,
                bold=True,
                color="on_primary",
                bg="accent",
                radius=55,
                width=110,
                height=110,
                align="center",
            ),
            TextView(
                id=activity.rid("contact_name"),
                text=str(contact["name"]),
                size=46,
                width=0,
                weight=1,
                margin=(40, 0, 0, 0),
            ),
        ],
    )


class ContactDetailsActivity(Activity[ContactsApp]):
    """One contact: name, phone number, e-mail; Call, Edit and Delete."""

    name = PACKAGE + ".ContactDetailsActivity"

    def __init__(self, app: ContactsApp, contact_id: int) -> None:
        super().__init__(app)
        self.contact_id = contact_id

    def title(self) -> str:
        contact = self.app.records.find(self.contact_id)
        return str(contact["name"]) if contact else "Contacts"

    def build(self) -> View:
        contact = self.app.records.find(self.contact_id)
        if contact is None:
            return screen(
                toolbar(self, "Contact", up=True),
                TextView(text="Contact not found", size=44, color="muted", padding=(56, 60)),
            )
        actions: list[View] = [
            action_button("edit", "Edit", self._edit, self.rid("edit")),
            action_button("delete", "Delete contact", self._ask_delete, self.rid("delete")),
        ]
        header = LinearLayout(
            padding=(0, 50),
            gravity="center_horizontal",
            children=[
                TextView(
                    text=str(contact["name"])[:1].upper(),
                    size=90,
                    bold=True,
                    color="on_primary",
                    bg="accent",
                    radius=120,
                    width=240,
                    height=240,
                    align="center",
                ),
                TextView(
                    id=self.rid("contact_name"),
                    text=str(contact["name"]),
                    size=64,
                    align="center",
                    margin=(40, 30, 40, 0),
                ),
            ],
        )
        call = ImageButton(
            id=self.rid("call"),
            icon="call",
            desc="Call",
            width=160,
            height=160,
            icon_size=70,
            icon_color="on_primary",
            bg="primary",
            radius=80,
            on_click=lambda: self.host.toast(f"Calling {contact['name']}…"),
        )
        message = ImageButton(
            id=self.rid("message"),
            icon="email",
            desc="Send message",
            width=160,
            height=160,
            icon_size=70,
            icon_color="on_primary",
            bg="primary",
            radius=80,
            margin=(60, 0, 0, 0),
            on_click=lambda: self.host.toast("No messaging app installed"),
        )
        buttons = Row(
            gravity="center_horizontal|center_vertical",
            padding=(0, 10, 0, 40),
            children=[call, message],
        )
        info = LinearLayout(
            margin=(40, 0),
            bg="surface",
            radius=30,
            border="divider",
            children=[
                two_line_row(
                    str(contact["phone"]),
                    "Mobile",
                    icon="phone",
                    rid=self.rid("phone_row"),
                    title_id=self.rid("phone_number"),
                    summary_id=self.rid("phone_type"),
                ),
                two_line_row(
                    str(contact["email"]) or "No e-mail",
                    "Email",
                    icon="email",
                    title_id=self.rid("email"),
                    summary_id=self.rid("email_type"),
                ),
            ],
        )
        return screen(toolbar(self, "", up=True, actions=actions), header, buttons, info)

    def _edit(self) -> None:
        self.host.start_activity(EditContactActivity(self.app, self.contact_id))

    def _ask_delete(self) -> None:
        contact = self.app.records.find(self.contact_id)
        if contact is not None:
            self.confirm("Delete this contact?", str(contact["name"]), "Delete", self._delete)

    def _delete(self) -> None:
        self.app.records.delete(self.contact_id)
        self.host.toast("Contact deleted")
        self.finish()


class EditContactActivity(Activity[ContactsApp]):
    """Create or edit a contact (name required)."""

    name = PACKAGE + ".EditContactActivity"

    def __init__(self, app: ContactsApp, contact_id: int | None) -> None:
        super().__init__(app)
        contact = app.records.find(contact_id) or {}
        self.contact_id: int | None = contact.get("id")
        self.fields = {k: str(contact.get(k, "")) for k in ("name", "phone", "email")}

    def build(self) -> View:
        save = save_button(self, self.save)
        bar = toolbar(
            self, "Edit contact" if self.contact_id else "Create contact", up=True, actions=[save]
        )
        fields: list[View] = [
            text_field(self, "name", self.fields["name"], "Name", self._setter("name")),
            text_field(self, "phone", self.fields["phone"], "Phone", self._setter("phone")),
            text_field(self, "email", self.fields["email"], "Email", self._setter("email")),
        ]
        return LinearLayout(height=MATCH, bg="background", children=[bar, *fields])

    def _setter(self, key: str) -> Any:
        def set_value(text: str) -> None:
            self.fields[key] = text.replace("\n", " ")

        return set_value

    def save(self) -> None:
        """Store the contact and close, or complain when the name is empty."""
        if not self.fields["name"].strip():
            self.host.toast("Name is required")
            return
        self.contact_id = self.app.save(self.contact_id, **self.fields)
        self.host.toast("Contact saved")
        self.finish()
