"""Shortcuts: validated against the registry, versioned (never overwritten), counted and
demoted when they keep failing."""

from __future__ import annotations

import pytest

from mobile_agent.actions import Shortcut, ShortcutStep
from mobile_agent.errors import StoreError
from mobile_agent.memory import Status, Store, shortcut_problems

from .conftest import note_spec


def test_a_valid_shortcut_is_stored_as_version_one(store: Store) -> None:
    stored = store.shortcuts.add(note_spec(), source_run="run1", source_step=3)
    assert (stored.version, stored.status, stored.source_run) == (1, Status.PROPOSED, "run1")
    assert stored.spec() == note_spec()
    assert [v.version for v in store.shortcuts.versions("new_note")] == [1]


def test_it_converts_to_the_registry_shortcut(store: Store) -> None:
    shortcut = store.shortcuts.add(note_spec()).to_shortcut()
    assert shortcut == Shortcut(
        name="new_note",
        description="Create a note with a title in the Notes app",
        steps=(
            ShortcutStep("open_app", {"app": "Notes"}),
            ShortcutStep("tap", {"label": "New note"}),
            ShortcutStep("type", {"label": "Title", "text": "{title}"}),
            ShortcutStep("tap", {"label": "Save"}),
        ),
        params=("title",),
        precondition="The Notes app is installed",
    )


def test_a_change_is_a_new_version_and_the_old_one_stays(store: Store) -> None:
    store.shortcuts.add(note_spec(), status=Status.APPROVED)
    changed = note_spec(description="Make a note with a title")
    v2 = store.shortcuts.update(changed, note="clearer", source_run="run9")
    same = store.shortcuts.update(changed)
    assert (v2.version, same.version, v2.status) == (2, 2, Status.APPROVED)
    history = store.shortcuts.versions("new_note")
    assert [(v.version, v.description, v.note) for v in history] == [
        (1, "Create a note with a title in the Notes app", ""),
        (2, "Make a note with a title", "clearer"),
    ]
    assert history[0].spec("new_note") == note_spec()


def test_an_invalid_change_leaves_the_shortcut_as_it_was(store: Store) -> None:
    store.shortcuts.add(note_spec())
    bad = note_spec(steps=[{"action": "tap", "args": {"element": 7}}], params=[])
    with pytest.raises(StoreError, match="by its number"):
        store.shortcuts.update(bad)
    assert store.shortcuts.get("new_note").spec() == note_spec()
    assert len(store.shortcuts.versions("new_note")) == 1


def test_names_and_duplicates_are_refused(store: Store) -> None:
    store.shortcuts.add(note_spec())
    with pytest.raises(StoreError, match="already exists"):
        store.shortcuts.add(note_spec(description="another"))
    with pytest.raises(StoreError, match="same steps as the shortcut 'new_note'"):
        store.shortcuts.add(note_spec(name="note_again"))
    with pytest.raises(StoreError, match="already an action"):
        store.shortcuts.add(note_spec(name="tap", steps=[{"action": "back"}], params=[]))
    assert [s.name for s in store.shortcuts.all()] == ["new_note"]


@pytest.mark.parametrize(
    ("steps", "params", "problem"),
    [
        ([{"action": "teleport"}], [], "'teleport' is not an action"),
        ([{"action": "tap", "args": {"element": 3}}], [], "by its number"),
        ([{"action": "tap", "args": {"x": 5, "y": 9}}], [], "coordinates"),
        ([{"action": "type", "args": {"text": "{who}"}}], [], "undeclared parameters: who"),
        ([{"action": "home"}], [{"name": "who"}], "'who' is declared but no step uses it"),
        ([{"action": "tap", "args": {"label": ""}}], [], "bad arguments for 'tap'"),
        ([{"action": "wait", "args": {"seconds": "{n}"}}], [{"name": "n"}], "seconds"),
        ([{"action": "open_app", "args": {}}], [], "app: Field required"),
    ],
)
def test_step_problems(steps: list, params: list, problem: str) -> None:
    spec = note_spec(steps=steps, params=params)
    assert any(problem in p for p in shortcut_problems(spec)), shortcut_problems(spec)


def test_typed_parameters_are_checked_with_a_sample_of_their_type() -> None:
    spec = note_spec(
        steps=[{"action": "wait", "args": {"seconds": "{n}"}}],
        params=[{"name": "n", "type": "number"}],
    )
    assert shortcut_problems(spec) == []


def test_coordinates_only_when_allowed() -> None:
    spec = note_spec(
        steps=[{"action": "swipe", "args": {"x1": 1, "y1": 2, "x2": 3, "y2": 4}}], params=[]
    )
    assert shortcut_problems(spec) != []
    assert shortcut_problems(spec, allow_coordinates=True) == []


def test_failing_shortcuts_are_demoted_step_by_step(file_store: Store) -> None:
    file_store.shortcuts.add(note_spec(), status=Status.APPROVED)  # demoted after 2 failures
    file_store.shortcuts.record_result("new_note", False)
    file_store.shortcuts.record_result("new_note", True)  # a success breaks the streak
    file_store.shortcuts.record_result("new_note", False)
    assert file_store.shortcuts.get("new_note").status is Status.APPROVED
    once = file_store.shortcuts.record_result("new_note", False)
    assert once is not None and once.status is Status.PROPOSED
    for _ in range(2):
        twice = file_store.shortcuts.record_result("new_note", False)
    assert twice is not None and twice.status is Status.DISABLED
    assert (twice.uses, twice.successes, twice.failures) == (6, 1, 5)
    assert file_store.shortcuts.record_result("not_stored", True) is None


def test_approving_clears_the_failure_streak(file_store: Store) -> None:
    file_store.shortcuts.add(note_spec(), status=Status.APPROVED)
    file_store.shortcuts.record_result("new_note", False)
    again = file_store.shortcuts.set_status("new_note", Status.APPROVED)
    assert again.failure_streak == 0


def test_deleting_removes_every_version(store: Store) -> None:
    store.shortcuts.add(note_spec())
    store.shortcuts.update(note_spec(description="v2"))
    store.shortcuts.delete("new_note")
    assert store.query("SELECT count(*) AS n FROM shortcut_versions")[0]["n"] == 0
    with pytest.raises(StoreError, match="no shortcut named"):
        store.shortcuts.get("new_note")
