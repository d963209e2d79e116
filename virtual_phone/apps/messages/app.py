"""Messages (`com.google.android.apps.messaging`): conversations with people, sending."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..base import Activity, App
from .inbox import conversation_list
from .model import CONTACTS, PACKAGE, Threads
from .new_chat import NewConversationActivity
from .seed import seed_messages


class MessagesApp(App):
    """Text messages.

    State:
    - "conversations": [{"id", "name", "number", "unread", "messages": [{"text",
      "outgoing", "time" ("HH:MM"), "seq"}]}], each with one person; messages oldest
      first, "outgoing" True for sent ones; "seq" numbers every message of the app in
      the order it was sent or received.
    - "next_id": the next conversation id; "seq": the last message number used;
      "now": the "HH:MM" time new messages get.
    """

    package = PACKAGE
    label = "Messages"
    main_activity = PACKAGE + ".ui.ConversationListActivity"
    system = False
    icon = "message"
    icon_bg = "#0b57d0"

    def initial_state(self, seed: int) -> dict[str, Any]:
        return seed_messages(seed)

    def empty_state(self) -> dict[str, Any]:
        seeded = seed_messages(self.seed)
        return {"conversations": [], "next_id": 1, "seq": 0, "now": seeded["now"]}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {
            self.main_activity: lambda: conversation_list(self),
            NewConversationActivity.name: lambda: NewConversationActivity(self),
        }

    @property
    def threads(self) -> Threads:
        """The stored conversations."""
        return Threads(self.state)

    def contacts(self) -> list[dict[str, Any]]:
        """The people of the Contacts app, by name (read-only)."""
        people = self.host.app_data(CONTACTS).get("contacts", [])
        return sorted(people, key=lambda c: str(c.get("name", "")).casefold())
