"""Start chat: a "To" field that lists matching people from Contacts, or a typed number."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ...ui.views import WRAP, RecyclerView, Row, TextView, View
from ..base import Activity
from ..widgets import screen, text_field, toolbar, two_line_row
from .conversation import ConversationActivity
from .model import PACKAGE, digits, same_number

if TYPE_CHECKING:
    from .app import MessagesApp

TO_FIELD = "recipient_text_view"  # the To field's id name and focus key
TO_HINT = "Type a name, phone number or email"
_NUMBER = re.compile(r"^\+?[\d\s()-]+$")
MIN_DIGITS = 3


def typed_number(text: str) -> str | None:
    """The phone number typed into the To field, or None when it is not one."""
    text = text.strip()
    return text if _NUMBER.match(text) and len(digits(text)) >= MIN_DIGITS else None


class NewConversationActivity(Activity["MessagesApp"]):
    """Pick a recipient: typing filters the people of Contacts by name, number or e-mail;
    a typed number can be messaged directly; ENTER picks the only match."""

    name = PACKAGE + ".ui.conversation.NewConversationActivity"

    def __init__(self, app: MessagesApp) -> None:
        super().__init__(app)
        self.query = ""
        self.focus = TO_FIELD

    def title(self) -> str:
        return "New conversation"

    def build(self) -> View:
        to = text_field(
            self, TO_FIELD, self.query, TO_HINT, self._set_query, on_submit=self._submit
        )
        to.width, to.weight = 0, 1
        to_row = Row(
            id=self.rid("recipient_bar"),
            padding=(48, 0, 0, 0),
            children=[TextView(id=self.rid("to_label"), text="To", size=44, width=WRAP), to],
        )
        rows = self._rows() or [
            TextView(
                id=self.rid("empty"),
                text="No matching contacts",
                size=42,
                color="muted",
                align="center",
                padding=(0, 120),
            )
        ]
        listing = RecyclerView(
            id=self.rid("contact_list"), weight=1, state=self.scroll("contacts"), children=rows
        )
        return screen(toolbar(self, "New conversation", up=True), to_row, listing)

    def matches(self) -> list[dict[str, Any]]:
        """The people of Contacts that match the typed text (all of them without any)."""
        query = self.query.strip().casefold()
        return [c for c in self.app.contacts() if not query or _matches(c, query)]

    def _rows(self) -> list[View]:
        rows: list[View] = []
        number = typed_number(self.query)
        if number is not None:
            rows.append(
                two_line_row(
                    f"Chat with {number}",
                    "Phone number",
                    icon="phone",
                    on_click=lambda: self.open(number, number),
                    rid=self.rid("typed_number"),
                    title_id=self.rid("typed_number_title"),
                    summary_id=self.rid("typed_number_type"),
                )
            )
        rows.extend(self._contact_row(contact) for contact in self.matches())
        return rows

    def _contact_row(self, contact: dict[str, Any]) -> View:
        name, phone = str(contact["name"]), str(contact["phone"])
        return two_line_row(
            name,
            phone,
            icon="person",
            on_click=lambda: self.open(name, phone),
            rid=self.rid("contact_item"),
            title_id=self.rid("contact_name"),
            summary_id=self.rid("contact_number"),
        )

    def _set_query(self, text: str) -> None:
        self.query = text.replace("\n", " ")
        self.scroll("contacts").y = 0

    def _submit(self) -> None:
        number = typed_number(self.query)
        if number is not None:
            self.open(number, number)
            return
        matches = self.matches()
        if len(matches) == 1:
            self.open(str(matches[0]["name"]), str(matches[0]["phone"]))

    def open(self, name: str, number: str) -> None:
        """Open the conversation with this person (a known number keeps its name)."""
        existing = self.app.threads.find(number)
        contact = next((c for c in self.app.contacts() if same_number(c["phone"], number)), None)
        if existing is not None:
            name, number = str(existing["name"]), str(existing["number"])
        elif contact is not None:
            name, number = str(contact["name"]), str(contact["phone"])
        self.host.finish(self)
        self.host.start_activity(ConversationActivity(self.app, name, number))


def _matches(contact: dict[str, Any], query: str) -> bool:
    """A person matches on name, e-mail or the digits of the phone number."""
    if query in str(contact.get("name", "")).casefold():
        return True
    if query in str(contact.get("email", "")).casefold():
        return True
    return bool(digits(query)) and digits(query) in digits(str(contact.get("phone", "")))
