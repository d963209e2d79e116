"""The content providers `content` reads: settings (`content://settings/NAMESPACE[/KEY]`),
contacts (`content://com.android.contacts/{contacts,raw_contacts,data,data/phones,
data/emails}`, from the Contacts app) and the telephony ones (`providers_telephony`), as
tables of string cells (None is SQL NULL)."""

from __future__ import annotations

import re

from virtual_phone.shell.commands import providers_telephony as telephony
from virtual_phone.shell.commands.providers_base import (
    MIME_EMAIL,
    MIME_NAME,
    MIME_PHONE,
    Row,
    Table,
    people,
    provider_error,
)
from virtual_phone.shell.commands.settings_cmd import NAMESPACES, settings_rows
from virtual_phone.shell.context import Ctx


def resolve(ctx: Ctx, uri: str) -> Table:
    """The table a content URI designates; the provider's exception for a bad one."""
    match = re.fullmatch(r"content://([^/]+)/?(.*?)/?", uri)
    authority = match.group(1) if match else uri
    path = match.group(2) if match else ""
    if authority == "settings":
        return _settings(ctx, uri, path)
    if authority == "com.android.contacts":
        return _contacts(ctx, uri, path)
    if authority == "contacts":
        return telephony.legacy_contacts(ctx, uri, path)
    if authority == "sms":
        return telephony.sms(ctx, uri, path)
    if authority == "call_log":
        return telephony.call_log(ctx, uri, path)
    raise provider_error(ctx, authority, f"Unknown authority {authority}")


def _settings(ctx: Ctx, uri: str, path: str) -> Table:
    namespace, _, key = path.partition("/")
    if namespace not in NAMESPACES or "/" in key:
        raise provider_error(ctx, "settings", f"Invalid URI: {uri}")
    rows: list[Row] = [
        {"_id": str(number), "name": name, "value": value}
        for number, (name, value) in enumerate(settings_rows(ctx, namespace).items(), 1)
    ]
    if key:
        rows = [row for row in rows if row["name"] == key]
    return Table(("_id", "name", "value"), rows, namespace)


def _contacts(ctx: Ctx, uri: str, path: str) -> Table:
    contacts = people(ctx)
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
            for p in contacts
        ]
        return Table(columns, rows)
    kinds = {"data": None, "data/phones": MIME_PHONE, "data/emails": MIME_EMAIL}
    if path not in kinds:
        raise provider_error(ctx, "com.android.contacts", f"Unknown URL {uri}")
    columns = ("_id", "contact_id", "raw_contact_id", "mimetype", "display_name", "data1", "data2")
    rows = [row for row in _data_rows(contacts) if kinds[path] in (None, row["mimetype"])]
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
