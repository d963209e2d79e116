"""The conversations of Messages, a view on the app's JSON state."""

from __future__ import annotations

from typing import Any

PACKAGE = "com.google.android.apps.messaging"
CONTACTS = "com.example.contacts"  # whose people the new-conversation screen lists

Conversation = dict[str, Any]
Message = dict[str, Any]

MATCH_DIGITS = 10  # numbers agree when their last ten digits do (07… and +44 7… alike)


def digits(number: str) -> str:
    """The digits of a phone number."""
    return "".join(ch for ch in number if ch.isdigit())


def same_number(a: str, b: str) -> bool:
    """True when two phone numbers name the same line."""
    da, db = digits(a), digits(b)
    if not da or not db:
        return False
    if min(len(da), len(db)) >= MATCH_DIGITS:
        return da[-MATCH_DIGITS:] == db[-MATCH_DIGITS:]
    return da == db


def last_message(conversation: Conversation) -> Message | None:
    """The newest message of a conversation."""
    messages = conversation["messages"]
    return messages[-1] if messages else None


def snippet(conversation: Conversation) -> str:
    """The list row's preview of the newest message ("You: …" when it was sent)."""
    message = last_message(conversation)
    if message is None:
        return ""
    return ("You: " if message["outgoing"] else "") + str(message["text"])


class Threads:
    """The conversations in `state["conversations"]`. A view on the state dict it is
    given: the app makes a new one per use, since it replaces its state on load or clear."""

    def __init__(self, state: dict[str, Any]) -> None:
        self._state = state

    def all(self) -> list[Conversation]:
        """Conversations, the one with the newest message first."""
        return sorted(self._state["conversations"], key=_newest_first)

    def get(self, conversation_id: int) -> Conversation | None:
        """The conversation with this id."""
        return next((c for c in self._state["conversations"] if c["id"] == conversation_id), None)

    def find(self, number: str) -> Conversation | None:
        """The conversation with the person at `number`."""
        return next(
            (c for c in self._state["conversations"] if same_number(c["number"], number)), None
        )

    def send(self, name: str, number: str, text: str) -> Conversation:
        """Append an outgoing message to the conversation with `number` (started if new)."""
        conversation = self.find(number)
        if conversation is None:
            conversation = self._start(name, number)
        self._state["seq"] = int(self._state["seq"]) + 1
        conversation["messages"].append(
            {
                "text": text,
                "outgoing": True,
                "time": self._state["now"],
                "seq": self._state["seq"],
            }
        )
        conversation["unread"] = False
        return conversation

    def mark_read(self, number: str) -> None:
        """Mark the conversation with `number` as read."""
        conversation = self.find(number)
        if conversation is not None:
            conversation["unread"] = False

    def delete(self, conversation_id: int) -> None:
        """Remove a conversation and its messages."""
        self._state["conversations"] = [
            c for c in self._state["conversations"] if c["id"] != conversation_id
        ]

    def _start(self, name: str, number: str) -> Conversation:
        conversation: Conversation = {
            "id": int(self._state["next_id"]),
            "name": name,
            "number": number,
            "unread": False,
            "messages": [],
        }
        self._state["next_id"] = conversation["id"] + 1
        self._state["conversations"].append(conversation)
        return conversation


def _newest_first(conversation: Conversation) -> int:
    message = last_message(conversation)
    return -int(message["seq"]) if message is not None else 0
