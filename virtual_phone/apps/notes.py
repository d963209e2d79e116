"""Notes (`com.example.notes`): a list of notes, search, an editor, delete with confirm."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ..ui.views import MATCH, LinearLayout, TextView, View
from .base import Activity, App
from .list_screen import ListSpec, ListTexts, SearchableListActivity
from .records import IdRecords
from .widgets import action_button, save_button, text_field, toolbar

PACKAGE = "com.example.notes"

_SEED_NOTES = [
    ("Shopping list", "Milk, eggs, bread, coffee beans, tomatoes"),
    ("Meeting notes", "Discuss Q3 roadmap with Dana. Budget review on Friday."),
    ("Books to read", "The Left Hand of Darkness; Piranesi; Project Hail Mary"),
    ("Gym plan", "Mon: legs. Wed: back and arms. Fri: cardio 30 min."),
    ("Wi-Fi password", "Guest network: garden-2024"),
    ("Gift ideas", "Scarf for mum, board game for Sam"),
    ("Recipe: pancakes", "2 eggs, 200 g flour, 300 ml milk, pinch of salt"),
    ("Travel", "Train to Lyon leaves 08:14 from platform 6"),
]


class NotesApp(App):
    """Notes; state {"notes": [{id, title, body, modified}], "next_id", "clock"}."""

    package = PACKAGE
    label = "Notes"
    main_activity = PACKAGE + ".MainActivity"
    system = False
    icon = "notepad"
    icon_bg = "#e0a100"

    def initial_state(self, seed: int) -> dict[str, Any]:
        rng = random.Random(seed)
        picked = rng.sample(_SEED_NOTES, 4)
        notes = [
            {"id": i + 1, "title": t, "body": b, "modified": i + 1}
            for i, (t, b) in enumerate(picked)
        ]
        return {"notes": notes, "next_id": len(notes) + 1, "clock": len(notes)}

    def empty_state(self) -> dict[str, Any]:
        return {"notes": [], "next_id": 1, "clock": 0}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {
            self.main_activity: lambda: notes_list(self),
            EditorActivity.name: lambda: EditorActivity(self, None),
        }

    # -- model -----------------------------------------------------------------------
    def notes(self) -> list[dict[str, Any]]:
        """Notes, most recently modified first."""
        return sorted(self.records.all(), key=lambda n: -int(n.get("modified", 0)))

    @property
    def records(self) -> IdRecords:
        """The stored notes, by id."""
        return IdRecords(self.state, "notes")

    def _tick(self) -> int:
        self.state["clock"] = int(self.state.get("clock", 0)) + 1
        return int(self.state["clock"])

    def save(self, note_id: int | None, title: str, body: str) -> int:
        """Create or update a note; returns its id."""
        return self.records.save(note_id, title=title, body=body, modified=self._tick())


LIST_TEXTS = ListTexts("Notes", "Search notes", "No notes yet", "No matching notes", "New note")


def _matches(note: dict[str, Any], query: str) -> bool:
    """A note matches on its title or its body."""
    return query in str(note["title"]).casefold() or query in str(note["body"]).casefold()


def notes_list(app: NotesApp) -> SearchableListActivity[dict[str, Any]]:
    """The note list with a search field and a New-note button."""

    def row(activity: Activity, note: dict[str, Any]) -> View:
        return _note_row(activity, app, note)

    spec = ListSpec(LIST_TEXTS, "notes_list", app.notes, _matches, row, _open_note, (0, 10))
    return SearchableListActivity(app, app.main_activity, spec)


def _note_row(activity: Activity, app: NotesApp, note: dict[str, Any]) -> View:
    note_id = int(note["id"])
    return LinearLayout(
        id=activity.rid("note_item"),
        margin=(40, 14),
        padding=(44, 34),
        bg="surface",
        radius=30,
        border="divider",
        on_click=lambda: _open_note(activity, note_id),
        on_long_click=lambda: _ask_delete(activity, app, note_id),
        focusable=True,
        children=[
            TextView(
                id=activity.rid("note_title"),
                text=note["title"] or "(untitled)",
                size=46,
                bold=True,
            ),
            TextView(
                id=activity.rid("note_body"),
                text=note["body"],
                size=40,
                color="muted",
                max_lines=2,
                margin=(0, 10, 0, 0),
            ),
        ],
    )


def _open_note(activity: Activity, note_id: int | None = None) -> None:
    activity.host.start_activity(EditorActivity(activity.app, note_id))


def _ask_delete(activity: Activity, app: NotesApp, note_id: int) -> None:
    """Confirm, then delete a note from the list (a long click on its row)."""
    note = app.records.find(note_id)
    if note is None:
        return

    def delete() -> None:
        app.records.delete(note_id)
        activity.host.toast("Note deleted")

    activity.confirm("Delete note?", f"“{note['title']}” will be deleted.", "Delete", delete)


class EditorActivity(Activity[NotesApp]):
    """Create or edit a note. Save (or BACK with changes) stores it."""

    name = PACKAGE + ".EditorActivity"

    def __init__(self, app: NotesApp, note_id: int | None) -> None:
        super().__init__(app)
        note = app.records.find(note_id)
        self.note_id = note_id if note is not None else None
        self.title_text = str(note["title"]) if note else ""
        self.body = str(note["body"]) if note else ""
        self._saved = (self.title_text, self.body)

    def title(self) -> str:
        return self.title_text or ("Edit note" if self.note_id is not None else "New note")

    def build(self) -> View:
        actions: list[View] = []
        if self.note_id is not None:
            actions.append(action_button("delete", "Delete", self._ask_delete, self.rid("delete")))
        actions.append(save_button(self, self.save))
        bar = toolbar(
            self, "Edit note" if self.note_id is not None else "New note", up=True, actions=actions
        )
        title = text_field(self, "title", self.title_text, "Title", self._set_title)
        title.size, title.bold = 52, True
        body = text_field(
            self,
            "editor",
            self.body,
            "Note",
            self._set_body,
            multiline=True,
            weight=1,
            margin=(40, 0, 40, 40),
        )
        body.gravity = "top"
        return LinearLayout(height=MATCH, bg="background", children=[bar, title, body])

    def _set_title(self, text: str) -> None:
        self.title_text = text.replace("\n", " ")

    def _set_body(self, text: str) -> None:
        self.body = text

    def _dirty(self) -> bool:
        return (self.title_text, self.body) != self._saved

    def save(self) -> None:
        """Store the note (an empty new note is discarded) and close the editor."""
        self._store(announce=True)
        self.finish()

    def _store(self, announce: bool) -> None:
        if not self.title_text.strip() and not self.body.strip():
            if self.note_id is None and announce:
                self.host.toast("Empty note discarded")
            return
        if self.note_id is None or self._dirty():
            self.note_id = self.app.save(self.note_id, self.title_text, self.body)
            self._saved = (self.title_text, self.body)
            if announce:
                self.host.toast("Note saved")

    def on_finish(self) -> None:
        if self._dirty():
            self._store(announce=False)

    def _ask_delete(self) -> None:
        self.confirm("Delete note?", "This note will be deleted.", "Delete", self._delete)

    def _delete(self) -> None:
        if self.note_id is not None:
            self.app.records.delete(self.note_id)
        self._saved = (self.title_text, self.body)
        self.host.toast("Note deleted")
        self.finish()
