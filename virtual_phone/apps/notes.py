"""Notes (`com.example.notes`): a list of notes, search, an editor, delete with confirm."""

from __future__ import annotations

import random
from typing import Any

from ..ui.views import MATCH, Button, LinearLayout, RecyclerView, TextView, View
from .base import Activity, App, Dialog
from .widgets import action_button, fab, screen, text_field, toolbar

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
    icon = "notes"
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

    def activity_names(self) -> list[str]:
        return [self.main_activity, PACKAGE + ".EditorActivity"]

    def create_activity(self, name: str | None = None) -> Activity | None:
        if name in (None, self.main_activity):
            return NotesListActivity(self)
        if name == PACKAGE + ".EditorActivity":
            return EditorActivity(self, None)
        return None

    # -- model -----------------------------------------------------------------------
    def notes(self) -> list[dict[str, Any]]:
        """Notes, most recently modified first."""
        return sorted(self.state["notes"], key=lambda n: -int(n.get("modified", 0)))

    def find(self, note_id: int | None) -> dict[str, Any] | None:
        """The note with this id."""
        return next((n for n in self.state["notes"] if n["id"] == note_id), None)

    def _tick(self) -> int:
        self.state["clock"] = int(self.state.get("clock", 0)) + 1
        return int(self.state["clock"])

    def save(self, note_id: int | None, title: str, body: str) -> int:
        """Create or update a note; returns its id."""
        note = self.find(note_id)
        if note is None:
            note_id = int(self.state["next_id"])
            self.state["next_id"] = note_id + 1
            note = {"id": note_id}
            self.state["notes"].append(note)
        note.update(title=title, body=body, modified=self._tick())
        return int(note["id"])

    def delete(self, note_id: int) -> None:
        """Remove a note."""
        self.state["notes"] = [n for n in self.state["notes"] if n["id"] != note_id]


class NotesListActivity(Activity):
    """The note list with a search field and a New-note button."""

    name = PACKAGE + ".MainActivity"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.query = ""

    @property
    def notes_app(self) -> NotesApp:
        assert isinstance(self.app, NotesApp)
        return self.app

    def build(self) -> View:
        query = self.query.strip().lower()
        notes = [
            n
            for n in self.notes_app.notes()
            if not query or query in n["title"].lower() or query in n["body"].lower()
        ]
        rows: list[View] = [self._row(n) for n in notes]
        if not rows:
            rows.append(
                TextView(
                    id=self.rid("empty"),
                    text="No matching notes" if query else "No notes yet",
                    size=44,
                    color="muted",
                    align="center",
                    padding=(0, 120),
                )
            )
        search = text_field(
            self,
            "search",
            self.query,
            "Search notes",
            self._set_query,
            on_submit=self.host.hide_keyboard,
        )
        listing = RecyclerView(
            id=self.rid("notes_list"),
            weight=1,
            state=self.scroll("list"),
            padding=(0, 10),
            children=rows,
        )
        return screen(
            toolbar(self, "Notes"),
            search,
            listing,
            overlay=[fab(self, "add", "New note", self._new)],
        )

    def _set_query(self, text: str) -> None:
        self.query = text
        self.scroll("list").y = 0

    def _row(self, note: dict[str, Any]) -> View:
        note_id = int(note["id"])
        return LinearLayout(
            id=self.rid("note_item"),
            margin=(40, 14),
            padding=(44, 34),
            bg="surface",
            radius=30,
            border="divider",
            on_click=lambda: self._open(note_id),
            on_long_click=lambda: self._ask_delete(note_id),
            focusable=True,
            children=[
                TextView(
                    id=self.rid("note_title"),
                    text=note["title"] or "(untitled)",
                    size=46,
                    bold=True,
                ),
                TextView(
                    id=self.rid("note_body"),
                    text=note["body"],
                    size=40,
                    color="muted",
                    max_lines=2,
                    margin=(0, 10, 0, 0),
                ),
            ],
        )

    def _new(self) -> None:
        self.host.start_activity(EditorActivity(self.app, None))

    def _open(self, note_id: int) -> None:
        self.host.start_activity(EditorActivity(self.app, note_id))

    def _ask_delete(self, note_id: int) -> None:
        note = self.notes_app.find(note_id)
        if note is None:
            return

        def confirm() -> None:
            self.notes_app.delete(note_id)
            self.close_dialog()
            self.host.toast("Note deleted")

        self.show_dialog(
            Dialog(
                "Delete note?",
                f"“{note['title']}” will be deleted.",
                [("Cancel", self.close_dialog), ("Delete", confirm)],
            )
        )

    def on_back(self) -> bool:
        if self.query:
            self.query = ""
            self.focus = None
            return True
        return False


class EditorActivity(Activity):
    """Create or edit a note. Save (or BACK with changes) stores it."""

    name = PACKAGE + ".EditorActivity"

    def __init__(self, app: App, note_id: int | None) -> None:
        super().__init__(app)
        assert isinstance(app, NotesApp)
        self.notes_app = app
        note = app.find(note_id)
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
        actions.append(
            Button(
                id=self.rid("save"),
                text="Save",
                width=-2,
                height=110,
                padding=(44, 0),
                size=40,
                margin=(10, 0, 10, 0),
                on_click=self.save,
            )
        )
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
            self.note_id = self.notes_app.save(self.note_id, self.title_text, self.body)
            self._saved = (self.title_text, self.body)
            if announce:
                self.host.toast("Note saved")

    def on_finish(self) -> None:
        if self._dirty():
            self._store(announce=False)

    def _ask_delete(self) -> None:
        def confirm() -> None:
            if self.note_id is not None:
                self.notes_app.delete(self.note_id)
            self.close_dialog()
            self._saved = (self.title_text, self.body)
            self.host.toast("Note deleted")
            self.finish()

        self.show_dialog(
            Dialog(
                "Delete note?",
                "This note will be deleted.",
                [("Cancel", self.close_dialog), ("Delete", confirm)],
            )
        )
