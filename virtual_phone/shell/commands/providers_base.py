"""What every content provider of the shell shares: the table a URI designates and the
provider's exception."""

from __future__ import annotations

from dataclasses import dataclass, field

from virtual_phone.shell.context import CommandError, Ctx

CONTACTS_PACKAGE = "com.example.contacts"
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


def provider_error(ctx: Ctx, authority: str, message: str) -> CommandError:
    ctx.err(f"Error while accessing provider:{authority}\n")
    return CommandError(f"java.lang.IllegalArgumentException: {message}")


def people(ctx: Ctx) -> list[dict[str, str]]:
    try:
        state = ctx.phone.app_state(CONTACTS_PACKAGE)
    except KeyError:
        return []
    people = [{k: str(v) for k, v in person.items()} for person in state.get("contacts", [])]
    return sorted(people, key=lambda person: int(person["id"]))
