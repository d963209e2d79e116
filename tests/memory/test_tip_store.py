"""Tips: stored with provenance, reviewed, edited, counted; bad input refused."""

from __future__ import annotations

import pytest

from mobile_agent.errors import StoreError
from mobile_agent.memory import Status, Store


def test_a_new_tip_is_proposed_and_keeps_its_provenance(store: Store) -> None:
    tip = store.tips.add(
        "  Save notes with the Save button  ",
        app="com.example.notes",
        source_run="r1",
        source_step=4,
    )
    assert tip.id is not None
    assert (tip.text, tip.status, tip.source_run, tip.source_step) == (
        "Save notes with the Save button",
        Status.PROPOSED,
        "r1",
        4,
    )
    assert store.tips.get(tip.id) == tip


def test_the_same_tip_is_stored_once(store: Store) -> None:
    first = store.tips.add("Use the search box", app="com.android.settings")
    again = store.tips.add("use the   SEARCH box", app="com.android.settings")
    elsewhere = store.tips.add("Use the search box")
    assert again.id == first.id
    assert elsewhere.id != first.id
    assert len(store.tips.all()) == 2


def test_review_filters_and_deletion(store: Store) -> None:
    a = store.tips.add("Tip A")
    b = store.tips.add("Tip B", app="x.y")
    store.tips.set_status(a.id or 0, Status.APPROVED)
    store.tips.set_status(b.id or 0, Status.DISABLED)
    assert [t.text for t in store.tips.all(status=Status.APPROVED)] == ["Tip A"]
    assert [t.text for t in store.tips.all(app="x.y")] == ["Tip B"]
    store.tips.delete(a.id or 0)
    with pytest.raises(StoreError, match="no tip"):
        store.tips.get(a.id or 0)


def test_edit_changes_text_and_keeps_status_and_counts(store: Store) -> None:
    tip = store.tips.add("Old text", status=Status.APPROVED)
    store.tips.record_use([tip.id or 0], succeeded=True)
    edited = store.tips.edit(tip.id or 0, text="New text", app="com.example.notes")
    assert (edited.text, edited.app, edited.status, edited.uses) == (
        "New text",
        "com.example.notes",
        Status.APPROVED,
        1,
    )


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_huge_tip_is_refused(store: Store, text: str) -> None:
    with pytest.raises(StoreError, match="invalid tip"):
        store.tips.add(text)
    assert store.tips.all() == []


def test_uses_and_successes_are_counted_per_run(store: Store) -> None:
    a, b = store.tips.add("A"), store.tips.add("B")
    store.tips.record_use([a.id or 0, b.id or 0], succeeded=True)
    store.tips.record_use([a.id or 0, a.id or 0], succeeded=False)  # once per run
    assert (store.tips.get(a.id or 0).uses, store.tips.get(a.id or 0).successes) == (2, 1)
    assert (store.tips.get(b.id or 0).uses, store.tips.get(b.id or 0).successes) == (1, 1)
