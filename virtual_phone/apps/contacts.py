"""Contacts (`com.example.contacts`): sorted list, search, add/edit, details with a Call button."""

from __future__ import annotations

import random
from typing import Any

from ..ui.views import MATCH, Button, ImageButton, LinearLayout, RecyclerView, Row, TextView, View
from .base import Activity, App, Dialog
from .widgets import action_button, fab, screen, text_field, toolbar, two_line_row

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


def _seed_contacts(seed: int, count: int = 15) -> list[dict[str, Any]]:
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
    icon = "person"
    icon_bg = "#1a8a5a"

    def initial_state(self, seed: int) -> dict[str, Any]:
        contacts = _seed_contacts(seed)
        return {"contacts": contacts, "next_id": len(contacts) + 1}

    def empty_state(self) -> dict[str, Any]:
        return {"contacts": [], "next_id": 1}

    def activity_names(self) -> list[str]:
        return [self.main_activity, PACKAGE + ".EditContactActivity"]

    def create_activity(self, name: str | None = None) -> Activity | None:
        if name in (None, self.main_activity):
            return ContactListActivity(self)
        if name == PACKAGE + ".EditContactActivity":
            return EditContactActivity(self, None)
        return None

    def contacts(self) -> list[dict[str, Any]]:
        """Contacts sorted by name (case-insensitive)."""
        return sorted(self.state["contacts"], key=lambda c: str(c["name"]).casefold())

    def find(self, contact_id: int | None) -> dict[str, Any] | None:
        """The contact with this id."""
        return next((c for c in self.state["contacts"] if c["id"] == contact_id), None)

    def save(self, contact_id: int | None, name: str, phone: str, email: str) -> int:
        """Create or update a contact; returns its id."""
        contact = self.find(contact_id)
        if contact is None:
            contact_id = int(self.state["next_id"])
            self.state["next_id"] = contact_id + 1
            contact = {"id": contact_id}
            self.state["contacts"].append(contact)
        contact.update(name=name.strip(), phone=phone.strip(), email=email.strip())
        return int(contact["id"])

    def delete(self, contact_id: int) -> None:
        """Remove a contact."""
        self.state["contacts"] = [c for c in self.state["contacts"] if c["id"] != contact_id]


class ContactListActivity(Activity):
    """All contacts, a search field and an Add-contact button."""

    name = PACKAGE + ".MainActivity"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        assert isinstance(app, ContactsApp)
        self.contacts_app = app
        self.query = ""

    def build(self) -> View:
        query = self.query.strip().casefold()
        shown = [
            c
            for c in self.contacts_app.contacts()
            if not query
            or query in str(c["name"]).casefold()
            or query in str(c["phone"]).replace(" ", "")
        ]
        rows: list[View] = [self._row(c) for c in shown]
        if not rows:
            rows.append(
                TextView(
                    id=self.rid("empty"),
                    text="No contacts found" if query else "No contacts",
                    size=44,
                    color="muted",
                    align="center",
                    padding=(0, 120),
                )
            )
        search = text_field(
            self,
            "search",
            self.query,
            "Search contacts",
            self._set_query,
            on_submit=self.host.hide_keyboard,
        )
        listing = RecyclerView(
            id=self.rid("contact_list"), weight=1, state=self.scroll("list"), children=rows
        )
        return screen(
            toolbar(self, "Contacts"),
            search,
            listing,
            overlay=[fab(self, "add", "Add contact", self._add)],
        )

    def _set_query(self, text: str) -> None:
        self.query = text
        self.scroll("list").y = 0

    def _row(self, contact: dict[str, Any]) -> View:
        contact_id = int(contact["id"])
        initial = str(contact["name"])[:1].upper() or "?"
        return Row(
            id=self.rid("contact_item"),
            padding=(48, 26),
            focusable=True,
            on_click=lambda: self.host.start_activity(ContactDetailsActivity(self.app, contact_id)),
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
                    id=self.rid("contact_name"),
                    text=str(contact["name"]),
                    size=46,
                    width=0,
                    weight=1,
                    margin=(40, 0, 0, 0),
                ),
            ],
        )

    def _add(self) -> None:
        self.host.start_activity(EditContactActivity(self.app, None))

    def on_back(self) -> bool:
        if self.query:
            self.query = ""
            self.focus = None
            return True
        return False


class ContactDetailsActivity(Activity):
    """One contact: name, phone number, e-mail; Call, Edit and Delete."""

    name = PACKAGE + ".ContactDetailsActivity"

    def __init__(self, app: App, contact_id: int) -> None:
        super().__init__(app)
        assert isinstance(app, ContactsApp)
        self.contacts_app = app
        self.contact_id = contact_id

    def title(self) -> str:
        contact = self.contacts_app.find(self.contact_id)
        return str(contact["name"]) if contact else "Contacts"

    def build(self) -> View:
        contact = self.contacts_app.find(self.contact_id)
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
        contact = self.contacts_app.find(self.contact_id)
        if contact is None:
            return

        def confirm() -> None:
            self.contacts_app.delete(self.contact_id)
            self.close_dialog()
            self.host.toast("Contact deleted")
            self.finish()

        self.show_dialog(
            Dialog(
                "Delete this contact?",
                str(contact["name"]),
                [("Cancel", self.close_dialog), ("Delete", confirm)],
            )
        )


class EditContactActivity(Activity):
    """Create or edit a contact (name required)."""

    name = PACKAGE + ".EditContactActivity"

    def __init__(self, app: App, contact_id: int | None) -> None:
        super().__init__(app)
        assert isinstance(app, ContactsApp)
        self.contacts_app = app
        contact = app.find(contact_id)
        self.contact_id = contact_id if contact else None
        self.fields = {k: str(contact[k]) if contact else "" for k in ("name", "phone", "email")}

    def build(self) -> View:
        save = Button(
            id=self.rid("save"),
            text="Save",
            width=-2,
            height=110,
            padding=(44, 0),
            size=40,
            margin=(10, 0, 10, 0),
            on_click=self.save,
        )
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
        self.contact_id = self.contacts_app.save(self.contact_id, **self.fields)
        self.host.toast("Contact saved")
        self.finish()
