"""The conversation list: newest first, unread in bold, search, delete on long press."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...ui.views import WRAP, LinearLayout, Row, TextView, View
from ..base import Activity
from ..list_screen import ListSpec, ListTexts, SearchableListActivity
from .conversation import ConversationActivity
from .model import Conversation, digits, snippet
from .new_chat import NewConversationActivity

if TYPE_CHECKING:
    from .app import MessagesApp

LIST_TEXTS = ListTexts(
    "Messages",
    "Search conversations",
    "No conversations",
    "No matching conversations",
    "Start chat",
)


def _matches(conversation: Conversation, query: str) -> bool:
    """A conversation matches on the person's name or number, or on any message text."""
    if query in str(conversation["name"]).casefold():
        return True
    if digits(query) and digits(query) in digits(str(conversation["number"])):
        return True
    return any(query in str(m["text"]).casefold() for m in conversation["messages"])


def conversation_list(app: MessagesApp) -> SearchableListActivity[Conversation]:
    """The main screen: every conversation, a search field and Start chat."""

    def row(activity: Activity, conversation: Conversation) -> View:
        return _row(activity, app, conversation)

    spec = ListSpec(LIST_TEXTS, "conversation_list", app.threads.all, _matches, row, _start_chat)
    return SearchableListActivity(app, app.main_activity, spec)


def _start_chat(activity: Activity) -> None:
    activity.host.start_activity(NewConversationActivity(activity.app))


def _row(activity: Activity, app: MessagesApp, conversation: Conversation) -> View:
    name, number = str(conversation["name"]), str(conversation["number"])
    unread = bool(conversation["unread"])
    messages = conversation["messages"]
    time = str(messages[-1]["time"]) if messages else ""
    top = Row(
        children=[
            TextView(
                id=activity.rid("conversation_name"),
                text=name,
                size=46,
                bold=unread,
                width=0,
                weight=1,
            ),
            TextView(
                id=activity.rid("conversation_timestamp"),
                text=time,
                width=WRAP,
                size=34,
                bold=unread,
                color="on_surface" if unread else "muted",
                margin=(20, 0, 0, 0),
            ),
        ]
    )
    preview = TextView(
        id=activity.rid("conversation_snippet"),
        text=snippet(conversation),
        size=40,
        bold=unread,
        color="on_surface" if unread else "muted",
        margin=(0, 8, 0, 0),
    )

    def open_conversation() -> None:
        activity.host.start_activity(ConversationActivity(app, name, number))

    return Row(
        id=activity.rid("conversation_item"),
        padding=(48, 30),
        focusable=True,
        on_click=open_conversation,
        on_long_click=lambda: _ask_delete(activity, app, int(conversation["id"]), name),
        children=[
            _avatar(name),
            LinearLayout(width=0, weight=1, margin=(40, 0, 0, 0), children=[top, preview]),
        ],
    )


def _avatar(name: str) -> View:
    return TextView(
        text=name[:1].upper() if name[:1].isalpha() else "#",
        size=46,
        bold=True,
        color="on_primary",
        bg="accent",
        radius=60,
        width=120,
        height=120,
        align="center",
    )


def _ask_delete(activity: Activity, app: MessagesApp, conversation_id: int, name: str) -> None:
    """Confirm, then delete a conversation (a long click on its row)."""

    def delete() -> None:
        app.threads.delete(conversation_id)
        activity.host.toast("Conversation deleted")

    activity.confirm(
        "Delete this conversation?",
        f"The conversation with {name} will be deleted.",
        "Delete",
        delete,
    )
