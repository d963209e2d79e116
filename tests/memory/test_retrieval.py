"""Retrieval by full-text search: relevant approved items first, reviewed status respected."""

from __future__ import annotations

from mobile_agent.memory import FtsRetriever, MemorySettings, Status, Store, fts_query

from .conftest import note_spec


def _library(store: Store) -> None:
    approved = Status.APPROVED
    store.tips.add(
        "Save a note with the Save button, not the back key",
        status=approved,
        app="com.example.notes",
    )
    store.tips.add("Contacts are found fastest with the search field", status=approved)
    store.tips.add("Wi-Fi lives under Network in Settings", status=approved)
    store.tips.add("Notes may be pinned to the top", status=Status.PROPOSED)
    store.tips.add("Old advice about notes", status=Status.DISABLED)
    store.shortcuts.add(note_spec(), status=approved)
    store.shortcuts.add(
        note_spec(
            name="call_contact",
            description="Call a contact by name",
            precondition="",
            steps=[{"action": "open_app", "args": {"app": "Contacts"}}],
            params=[],
        ),
        status=approved,
    )


def test_the_matching_approved_items_come_back(store: Store) -> None:
    _library(store)
    found = FtsRetriever(store).retrieve("Create a note titled Groceries")
    assert [t.text for t in found.tips] == ["Save a note with the Save button, not the back key"]
    assert found.shortcut_names == ("new_note",)
    assert found.tips_text() == (
        "- Save a note with the Save button, not the back key (in com.example.notes)"
    )
    assert [s.name for s in found.runner_shortcuts()] == ["new_note"]


def test_proposed_items_only_when_the_settings_allow(store: Store) -> None:
    _library(store)
    strict = FtsRetriever(store).retrieve("pin my notes")
    lenient = FtsRetriever(store, use_proposed=True).retrieve("pin my notes")
    assert "Notes may be pinned to the top" not in [t.text for t in strict.tips]
    assert lenient.tips[0].text == "Notes may be pinned to the top"
    assert "Old advice about notes" not in [t.text for t in lenient.tips]


def test_app_scoped_tips_stay_in_their_app(store: Store) -> None:
    _library(store)
    elsewhere = FtsRetriever(store).retrieve("save the note", app="com.android.settings")
    inside = FtsRetriever(store).retrieve("save the note", app="com.example.notes")
    assert elsewhere.tips == ()
    assert len(inside.tips) == 1


def test_limits_come_from_the_settings() -> None:
    with Store.memory(MemorySettings(tips=2, shortcuts=0)) as store:
        for n in range(5):
            store.tips.add(f"Settings tip number {n}", status=Status.APPROVED)
        store.shortcuts.add(note_spec(description="settings"), status=Status.APPROVED)
        found = FtsRetriever(store).retrieve("open settings")
    assert (len(found.tips), found.shortcuts) == (2, ())


def test_the_best_match_ranks_first(store: Store) -> None:
    store.tips.add("Open Settings from the launcher", status=Status.APPROVED)
    store.tips.add(
        "In Settings, the Wi-Fi switch is under Network; Wi-Fi needs a password",
        status=Status.APPROVED,
    )
    found = FtsRetriever(store).retrieve("Turn on wi-fi")
    assert found.tips[0].text.startswith("In Settings, the Wi-Fi switch")


def test_stemming_matches_other_forms_of_a_word(store: Store) -> None:
    store.tips.add("Searching works in every list", status=Status.APPROVED)
    assert len(FtsRetriever(store).retrieve("search for Alice").tips) == 1


def test_edits_are_searchable_at_once(store: Store) -> None:
    tip = store.tips.add("Something else", status=Status.APPROVED)
    store.tips.edit(tip.id or 0, text="Bluetooth lives under Connected devices")
    assert len(FtsRetriever(store).retrieve("turn on bluetooth").tips) == 1
    store.tips.delete(tip.id or 0)
    assert FtsRetriever(store).retrieve("turn on bluetooth").tips == ()


def test_queries_are_safe_whatever_the_task_says(store: Store) -> None:
    _library(store)
    for task in ['notes" OR *', "NEAR(a b)", "", "!!!", "note AND -x:y", "a" * 5000]:
        FtsRetriever(store).retrieve(task)  # never an FTS syntax error
    assert fts_query('Find "Bob" in the contacts, then call him') == (
        '"find" OR "bob" OR "contacts" OR "call" OR "him"'
    )
