"""Export and import: a round trip into a fresh store changes nothing; a bad file is refused
whole, naming each bad item and why, and the store is left as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mobile_agent.errors import StoreError
from mobile_agent.memory import (
    Status,
    Store,
    export_shortcuts,
    export_tips,
    import_shortcuts,
    import_tips,
)
from mobile_agent.memory.transfer import read_items, write_json

from .conftest import note_spec


def _stocked(store: Store) -> None:
    store.tips.add("Tip one", status=Status.APPROVED, source_run="r1", source_step=2)
    gone = store.tips.add("Tip two, deleted")
    store.tips.add("Tip three", app="com.example.notes")
    store.tips.delete(gone.id or 0)  # ids with a hole
    store.tips.record_use([1], succeeded=True)
    store.shortcuts.add(note_spec(), status=Status.APPROVED, source_run="r1", source_step=3)
    store.shortcuts.update(note_spec(description="Make a note"), note="shorter")
    store.shortcuts.record_result("new_note", False)
    store.shortcuts.add(
        note_spec(
            name="go_home", description="Go home", params=[], steps=[{"action": "home"}], guard=None
        )
    )


def test_export_then_import_into_a_fresh_store_round_trips(store: Store, tmp_path: Path) -> None:
    _stocked(store)
    write_json(export_tips(store), tmp_path / "tips.json")
    write_json(export_shortcuts(store), tmp_path / "shortcuts.json")
    with Store.memory() as fresh:
        import_tips(fresh, read_items(tmp_path / "tips.json"))
        import_shortcuts(fresh, read_items(tmp_path / "shortcuts.json"))
        assert fresh.tips.all() == store.tips.all()
        assert fresh.shortcuts.all() == store.shortcuts.all()
        assert fresh.shortcuts.versions("new_note") == store.shortcuts.versions("new_note")
        assert export_shortcuts(fresh) == export_shortcuts(store)


def test_importing_the_same_file_again_changes_nothing(store: Store) -> None:
    _stocked(store)
    items = export_shortcuts(store)
    report = import_shortcuts(store, items)
    assert (report.added, report.updated, report.unchanged) == ([], [], ["go_home", "new_note"])
    assert import_tips(store, export_tips(store)).added == []


def test_a_changed_shortcut_is_imported_as_a_new_version(store: Store) -> None:
    store.shortcuts.add(note_spec(), status=Status.APPROVED)
    item = {**note_spec(description="Create a titled note").model_dump(mode="json")}
    report = import_shortcuts(store, [item], source="theirs.json")
    assert report.updated == ["new_note"]
    stored = store.shortcuts.get("new_note")
    assert (stored.version, stored.status) == (2, Status.APPROVED)
    assert store.shortcuts.versions("new_note")[-1].note == "imported from theirs.json"


def test_imports_can_be_held_for_review(store: Store) -> None:
    item = note_spec().model_dump(mode="json") | {"status": "approved"}
    import_shortcuts(store, [item], status=Status.PROPOSED)
    assert store.shortcuts.get("new_note").status is Status.PROPOSED


BAD_ITEMS = [
    {"name": "Broken", "steps": [{"action": "Teleport", "args": {"x": "far"}}]},
    {"nonsense": True},
    note_spec(
        name="by_number", steps=[{"action": "tap", "args": {"element": 4}}], params=[]
    ).model_dump(mode="json"),
    note_spec().model_dump(mode="json"),  # fine on its own
    note_spec(name="twin").model_dump(mode="json"),  # same steps as new_note
    "not an object",
]


def test_a_bad_file_is_refused_whole_naming_each_item(store: Store) -> None:
    store.shortcuts.add(
        note_spec(
            name="existing",
            description="Go back",
            params=[],
            steps=[{"action": "back"}],
            guard=None,
        )
    )
    before = export_shortcuts(store)
    with pytest.raises(StoreError) as caught:
        import_shortcuts(store, BAD_ITEMS, source="bad.json")
    message = str(caught.value)
    assert message.startswith("bad.json was not imported (nothing changed):")
    for expected in [
        "item 1 (Broken): description: Field required",
        "item 1 (Broken): step 1: 'Teleport' is not an action",
        "item 2: name: Field required",
        "nonsense: Extra inputs are not permitted",
        "item 3 (by_number): step 1 (tap): names an element by its number",
        "item 5 (twin): it has the same steps as 'new_note' in the same file",
        "item 6: item: Input should be a valid dictionary",
    ]:
        assert expected in message
    assert "item 4" not in message
    assert export_shortcuts(store) == before


def test_a_bad_tip_file_is_refused_whole(store: Store) -> None:
    with pytest.raises(StoreError, match=r"item 2: text: String should have at least 1 char"):
        import_tips(store, [{"text": "fine"}, {"text": ""}, {"text": "x", "status": "maybe"}])
    assert store.tips.all() == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[{"name": "Broken"}, {"nonsense": true', "is not valid JSON"),
        ('{"name": "x"}', "must hold a JSON array of items, not dict"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        (b"\xff\xfe[]", "not UTF-8"),
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, content: str | bytes, problem: str) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError, match=problem):
        read_items(path)


def test_an_export_file_is_plain_json(store: Store, tmp_path: Path) -> None:
    _stocked(store)
    write_json(export_shortcuts(store, ["go_home"]), tmp_path / "one.json")
    items = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    assert [i["name"] for i in items] == ["go_home"]
    assert items[0]["versions"][0]["steps"] == [{"action": "home", "args": {}}]
