"""One conversation: the message history in bubbles, a compose field and Send."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...ui.views import WRAP, ImageButton, LinearLayout, RecyclerView, Row, TextView, View
from ..base import Activity
from ..widgets import action_button, screen, text_field, toolbar
from .model import PACKAGE

if TYPE_CHECKING:
    from .app import MessagesApp

COMPOSE = "compose_message_text"  # the compose field's id name and focus key
BOTTOM = 10**9  # a scroll offset past the end: layout clamps it to the last message


class ConversationActivity(Activity["MessagesApp"]):
    """The conversation with the person at `number` (started by the first message sent)."""

    name = PACKAGE + ".ui.conversation.ConversationActivity"

    def __init__(self, app: MessagesApp, name: str, number: str) -> None:
        super().__init__(app)
        self.person = name
        self.number = number
        self.draft = ""
        app.threads.mark_read(number)
        self.scroll("messages").y = BOTTOM

    def title(self) -> str:
        return self.person

    def build(self) -> View:
        call = action_button("call", "Call", self._call, self.rid("call"))
        bar = toolbar(self, self.person, up=True, actions=[call])
        number = TextView(
            id=self.rid("conversation_number"),
            text=self.number,
            size=36,
            color="muted",
            padding=(48, 0, 48, 16),
            bg="toolbar",
        )
        history = RecyclerView(
            id=self.rid("messages_list"),
            weight=1,
            state=self.scroll("messages"),
            padding=(0, 20),
            children=self._bubbles(),
        )
        return screen(bar, number, history, self._compose_bar())

    def _bubbles(self) -> list[View]:
        conversation = self.app.threads.find(self.number)
        messages: list[dict[str, Any]] = conversation["messages"] if conversation else []
        if not messages:
            return [
                TextView(
                    id=self.rid("empty_conversation"),
                    text=f"Start a conversation with {self.person}",
                    size=40,
                    color="muted",
                    align="center",
                    max_lines=2,
                    padding=(60, 120),
                )
            ]
        return [_bubble(self, message) for message in messages]

    def _compose_bar(self) -> View:
        field = text_field(
            self, COMPOSE, self.draft, "Text message", self._set_draft, margin=(30, 20, 10, 20)
        )
        field.width, field.weight, field.radius = 0, 1, 60
        send = ImageButton(
            id=self.rid("send_message_button"),
            icon="airplane",
            desc="Send",
            width=130,
            height=130,
            icon_size=60,
            icon_color="on_primary",
            bg="primary",
            radius=65,
            margin=(10, 0, 30, 0),
            enabled=bool(self.draft.strip()),
            on_click=self.send,
        )
        return Row(id=self.rid("compose_bar"), bg="surface", children=[field, send])

    def _set_draft(self, text: str) -> None:
        self.draft = text.replace("\n", " ")

    def send(self) -> None:
        """Send the draft (nothing happens while it is blank)."""
        text = self.draft.strip()
        if not text:
            return
        self.app.threads.send(self.person, self.number, text)
        self.draft = ""
        self.scroll("messages").y = BOTTOM

    def _call(self) -> None:
        self.host.toast(f"Calling {self.person}…")


def _bubble(activity: Activity, message: dict[str, Any]) -> View:
    """A message bubble with its time below: sent ones on the right, received on the left."""
    outgoing = bool(message["outgoing"])
    text = TextView(
        id=activity.rid("message_text"),
        text=str(message["text"]),
        width=WRAP,
        size=42,
        max_lines=20,
        padding=(40, 28),
        radius=44,
        bg="primary" if outgoing else "surface_variant",
        color="on_primary" if outgoing else "on_surface",
    )
    time = TextView(
        id=activity.rid("message_time"),
        text=str(message["time"]),
        width=WRAP,
        size=32,
        color="muted",
        padding=(16, 8),
    )
    return LinearLayout(
        id=activity.rid("message_outgoing" if outgoing else "message_incoming"),
        gravity="end" if outgoing else "",
        padding=(200, 12, 40, 12) if outgoing else (40, 12, 200, 12),
        children=[text, time],
    )
