"""The content providers `content` reads: settings (`content://settings/NAMESPACE[/KEY]`) and
contacts (`content://com.android.contacts/{contacts,raw_contacts,data,data/phones,
data/emails}`, from the Contacts app), as tables of string cells (None is SQL NULL)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from virtual_phone.shell.commands.settings_cmd import NAMESPACES, settings_rows
from virtual_phone.shell.context import CommandError, Ctx

CONTACTS_PACKAGE = "com.example.contacts"
CONTACTS_AUTHORITIES = ("com.android.contacts", "contacts")
MIME_NAME = "vnd.android.cursor.item/name"
MIME_PHONE = "vnd.android.cursor.item/phone_v2"
MIME_EMAIL = "vnd.android.cursor.item/email_v2"
Row = dict[str, str | None]


@dataclass
class Table:
    """What a URI designates: its columns and rows; `namespace` when settings (writable)."""

    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    namespace: str | None = None


def _error(ctx: Ctx, authority: str, message: str) -> CommandError:
    ctx.err(f"Error while accessing provider:{authority}\n")
    return CommandError(f"java.lang.IllegalArgumentException: {message}")


def resolve(ctx: Ctx, uri: str) -> Table:
    """The table a content URI designates; the provider's exception for a bad one."""
    match = re.fullmatch(r"content://([^/]+)/?(.*?)/?", uri)
    authority = match.group(1) if match else uri
    path = match.group(2) if match else ""
    if authority == "settings":
        return _settings(ctx, uri, path)
    if authority in CONTACTS_AUTHORITIES:
        return _contacts(ctx, uri, path)
    raise _error(ctx, authority, f"Unknown authority {authority}")


def _settings(ctx: Ctx, uri: str, path: str) -> Table:
    namespace, _, key = path.partition("/")
    if namespace not in NAMESPACES or "/" in key:
        raise _error(ctx, "settings", f"Invalid URI: {uri}")
    rows: list[Row] = [
        {"_id": str(number), "name": name, "value": value}
        for number, (name, value) in enumerate(settings_rows(ctx, namespace).items(), 1)
    ]
    if key:
        rows = [row for row in rows if row["name"] == key]
    return Table(("_id", "name", "value"), rows, namespace)


def _people(ctx: Ctx) -> list[dict[str, str]]:
    try:
        state = ctx.phone.app_state(CONTACTS_PACKAGE)
    except KeyError:
        return []
    people = [{k: str(v) for k, v in person.items()} for person in state.get("contacts", [])]
    return sorted(people, key=lambda person: int(person["id"]))


def _contacts(ctx: Ctx, uri: str, path: str) -> Table:
    people = _people(ctx)
    if path in ("contacts", "raw_contacts"):
        columns: tuple[str, ...] = ("_id", "display_name", "has_phone_number", "starred")
        if path == "raw_contacts":
            columns = ("_id", "contact_id", "display_name", "deleted")
        rows: list[Row] = [
            {
                "_id": p["id"],
                "contact_id": p["id"],
                "display_name": p["name"],
                "has_phone_number": "1" if p.get("phone") else "0",
                "starred": "0",
                "deleted": "0",
            }
            for p in people
        ]
        return Table(columns, rows)
    kinds = {"data": None, "data/phones": MIME_PHONE, "data/emails": MIME_EMAIL}
    if path not in kinds:
        raise _error(ctx, "com.android.contacts", f"Unknown URL {uri}")
    columns = ("_id", "contact_id", "raw_contact_id", "mimetype", "display_name", "data1", "data2")
    rows = [row for row in _data_rows(people) if kinds[path] in (None, row["mimetype"])]
    return Table(columns, rows)


def _data_rows(people: list[dict[str, str]]) -> list[Row]:
    """One name row per contact, then a phone row and an email row when it has them."""
    rows: list[Row] = []
    for person in people:
        fields = ((MIME_NAME, "name", None), (MIME_PHONE, "phone", "2"), (MIME_EMAIL, "email", "1"))
        for mimetype, key, kind in fields:
            if person.get(key):
                rows.append(
                    {
                        "_id": str(len(rows) + 1),
                        "contact_id": person["id"],
                        "raw_contact_id": person["id"],
                        "mimetype": mimetype,
                        "display_name": person["name"],
                        "data1": person[key],
                        "data2": kind,
                    }
                )
    return rows
