"""Telephony providers for `content`: `content://sms[/inbox|/sent]` from the Messages app's
conversations (newest first, as the provider's default `date DESC`), the legacy
`content://contacts/{people,phones}` tables, and an empty `content://call_log/calls`."""

from __future__ import annotations

import datetime as dt

from virtual_phone.shell.commands.providers_base import Row, Table, people, provider_error
from virtual_phone.shell.context import Ctx

MESSAGES_PACKAGE = "com.google.android.apps.messaging"
SMS_COLUMNS = (
    "_id",
    "thread_id",
    "address",
    "person",
    "date",
    "date_sent",
    "read",
    "status",
    "type",
    "body",
    "seen",
)
INBOX, SENT = "1", "2"  # Telephony.TextBasedSmsColumns.MESSAGE_TYPE_INBOX / _SENT
_SMS_BOXES = {"": None, "inbox": INBOX, "sent": SENT}


def _epoch_ms(clock: str) -> str:
    """A message's HH:MM today, in milliseconds since the epoch (local time)."""
    try:
        hour, minute = (int(part) for part in clock.split(":")[:2])
    except ValueError:
        hour = minute = 0
    moment = dt.datetime.combine(dt.date.today(), dt.time(hour % 24, minute % 60))
    return str(int(moment.timestamp() * 1000))


def sms(ctx: Ctx, uri: str, path: str) -> Table:
    """`content://sms`, `/inbox`, `/sent`."""
    if path not in _SMS_BOXES:
        raise provider_error(ctx, "sms", f"Unknown URL {uri}")
    try:
        conversations = ctx.phone.app_state(MESSAGES_PACKAGE).get("conversations", [])
    except KeyError:
        conversations = []
    rows: list[Row] = []
    for thread in conversations:
        for message in thread.get("messages", []):
            kind = SENT if message.get("outgoing") else INBOX
            date = _epoch_ms(str(message.get("time", "00:00")))
            rows.append(
                {
                    "_id": str(message.get("seq", len(rows) + 1)),
                    "thread_id": str(thread["id"]),
                    "address": str(thread.get("number", "")),
                    "person": None,
                    "date": date,
                    "date_sent": "0" if kind == SENT else date,
                    "read": "0" if kind == INBOX and thread.get("unread") else "1",
                    "status": "-1",
                    "type": kind,
                    "body": str(message.get("text", "")),
                    "seen": "1",
                }
            )
    box = _SMS_BOXES[path]
    rows = [row for row in rows if box in (None, row["type"])]
    rows.sort(key=lambda row: int(row["_id"] or 0), reverse=True)
    return Table(SMS_COLUMNS, rows)


def legacy_contacts(ctx: Ctx, uri: str, path: str) -> Table:
    """`content://contacts/people` and `content://contacts/phones` (android.provider.Contacts)."""
    if path not in ("people", "phones"):
        raise provider_error(ctx, "contacts", f"Unknown URL {uri}")
    rows: list[Row] = [
        {
            "_id": person["id"],
            "person": person["id"],
            "name": person["name"],
            "display_name": person["name"],
            "number": person.get("phone") or None,
            "type": "2",
        }
        for person in people(ctx)
        if path == "people" or person.get("phone")
    ]
    columns: tuple[str, ...] = ("_id", "name", "display_name", "number")
    if path == "phones":
        columns = ("_id", "person", "name", "display_name", "number", "type")
    return Table(columns, rows)


def call_log(ctx: Ctx, uri: str, path: str) -> Table:
    """`content://call_log/calls`: the phone has made and received no calls."""
    if path != "calls":
        raise provider_error(ctx, "call_log", f"Unknown URL {uri}")
    return Table(("_id", "number", "date", "duration", "type", "name"), [])
