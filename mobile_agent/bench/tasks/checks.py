"""Reading the phone's state after a run: lenient text matching and per-app queries that
the tasks' checks share. Lenient where people (and models) write the same thing in several
ways — case, spacing, quotes, a currency sign, thousands separators — and strict on what
the task asks for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from mobile_agent.bench.tasks.model import Check, End

NOTES = "com.example.notes"
CONTACTS = "com.example.contacts"
SETTINGS = "com.android.settings"
BROWSER = "com.example.browser"

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def norm(text: str) -> str:
    """Case-folded, accents and quotes unified, spaces collapsed."""
    text = unicodedata.normalize("NFKD", str(text).translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def mentions(text: str, value: str | float) -> bool:
    """Whether `text` says `value`: a number as a number ("$1,299.00", "1299" and "1299.0"
    are the same), anything else as words (whole words, case and spacing ignored)."""
    if isinstance(value, (int, float)):
        return any(abs(n - float(value)) < 0.005 for n in numbers(text))
    wanted = norm(value)
    return bool(wanted) and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", norm(text)) is not None


def numbers(text: str) -> list[float]:
    """Every number written in `text` (thousands separators allowed)."""
    found = []
    for match in _NUMBER.finditer(str(text)):
        raw = match.group(0).rstrip(",").replace(",", "")
        try:
            found.append(float(raw))
        except ValueError:
            continue
    return found


def same_phone(a: str, b: str) -> bool:
    """Two phone numbers with the same digits (the last ten, so a country code may be left
    out)."""
    da, db = re.sub(r"\D", "", str(a)), re.sub(r"\D", "", str(b))
    return bool(da) and bool(db) and da[-10:] == db[-10:]


# -- Notes --------------------------------------------------------------------------------
def notes(end: End) -> list[dict[str, Any]]:
    """Every note on the phone: {id, title, body, …}."""
    return list(end.app(NOTES).get("notes", []))


def new_notes(end: End, before: Iterable[int]) -> list[dict[str, Any]]:
    """Notes whose id is not among `before` (the ids as the task started)."""
    known = set(before)
    return [n for n in notes(end) if int(n["id"]) not in known]


def note_text(note: dict[str, Any]) -> str:
    return f"{note.get('title', '')}\n{note.get('body', '')}"


def find_note(end: End, title: str) -> dict[str, Any] | None:
    """The note titled `title` (case and spacing ignored)."""
    return next((n for n in notes(end) if norm(n.get("title", "")) == norm(title)), None)


def note_titled(title: str) -> Check:
    """The rubric's first checkpoint of a task that writes a note: the note exists."""
    return Check(f"a note titled {title}", lambda end: find_note(end, title) is not None)


def note_says(end: End, title: str, *values: str | float) -> bool:
    """A note titled `title` exists and mentions every value (title or body)."""
    note = find_note(end, title)
    return note is not None and all(mentions(note_text(note), v) for v in values)


# -- Contacts -----------------------------------------------------------------------------
def contacts(end: End) -> list[dict[str, Any]]:
    """Every contact: {id, name, phone, email}."""
    return list(end.app(CONTACTS).get("contacts", []))


def find_contact(end: End, name: str) -> dict[str, Any] | None:
    """The contact named `name` (case and spacing ignored)."""
    return next((c for c in contacts(end) if norm(c.get("name", "")) == norm(name)), None)
