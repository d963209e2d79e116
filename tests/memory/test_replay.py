"""Replaying a stored shortcut without a model, on virtual phones of two sizes through the real
adb / uiautomator2 stack: the guard, each step's effect, the report of a failure, the run
stored and the counts kept."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import free_port, run_adb

from mobile_agent.actions import ActionCall, ActionContext, Refusal
from mobile_agent.cli import main
from mobile_agent.events import FinalState
from mobile_agent.memory import ParamSpec, Status, Store
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import BoundingBox, UIElement
from mobile_agent.perception.observation import Observation
from mobile_agent.runner.replay import (
    ReplayArgumentError,
    describe_screen,
    masked,
    replay_stored,
    shortcut_values,
    text_values,
)
from virtual_phone.server import VirtualPhoneServer

from .conftest import note_spec

NOTES = "com.example.notes"


# -- arguments (no phone) -------------------------------------------------------------------
def test_arguments_are_converted_to_their_declared_types() -> None:
    params = [
        ParamSpec(name="title"),
        ParamSpec(name="count", type="integer"),
        ParamSpec(name="ratio", type="number"),
        ParamSpec(name="pinned", type="boolean"),
    ]
    given = {"title": "42", "count": "3", "ratio": "0.5", "pinned": "yes"}
    values = shortcut_values(params, given)
    assert values == {"title": "42", "count": 3, "ratio": 0.5, "pinned": True}
    assert text_values(values) == {"title": "42", "count": "3", "ratio": "0.5", "pinned": "true"}


PARAMS = [
    ParamSpec(name="title", description="the note's title"),
    ParamSpec(name="count", type="integer"),
    ParamSpec(name="ratio", type="number"),
    ParamSpec(name="pinned", type="boolean"),
]
GOOD = {"title": "a", "count": "1", "ratio": "1", "pinned": "no"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": None}, "missing argument 'title' (string: the note's title); give --arg title="),
        ({"colour": "red"}, "unknown argument 'colour'; the shortcut takes title (string), count"),
        ({"count": "three"}, "argument 'count' must be a whole number, not 'three'"),
        ({"ratio": "nan"}, "argument 'ratio' must be a finite number, not 'nan'"),
        ({"pinned": "maybe"}, "argument 'pinned' must be true or false, not 'maybe'"),
    ],
)
def test_a_bad_argument_is_named(changes: dict[str, str | None], message: str) -> None:
    given = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    with pytest.raises(ReplayArgumentError) as caught:
        shortcut_values(PARAMS, given)
    assert message in str(caught.value)


def test_text_typed_into_a_password_field_is_hidden_in_the_report() -> None:
    field = UIElement(1, BoundingBox(0, 0, 100, 50), text="PIN", editable=True, password=True)
    other = UIElement(2, BoundingBox(0, 60, 100, 110), text="Name", editable=True, focused=True)
    screen = Observation(screen=Screen(b"", "", 100, 200), elements=(field, other))
    secret = {"name": "type", "args": {"label": "PIN", "text": "1234"}}
    assert masked(secret, screen)["args"] == {"label": "PIN", "text": "••••"}
    plain = {"name": "type", "args": {"text": "Sam"}}  # into the focused field, not a password
    assert masked(plain, screen) == plain
    assert describe_screen(screen) == "the screen shows an unknown app: 'Name'"


# -- on virtual phones ------------------------------------------------------------------------
@pytest.fixture(params=[(1080, 2400), (720, 1600)], ids=lambda size: "x".join(map(str, size)))
def phone(request: pytest.FixtureRequest) -> Iterator[VirtualPhoneServer]:
    """A fresh virtual phone of each size, `adb connect`ed."""
    server = VirtualPhoneServer(port=free_port(), size=request.param).start()
    out = run_adb("connect", server.serial)
    assert b"connected" in out.stdout, out
    try:
        yield server
    finally:
        run_adb("disconnect", server.serial)
        server.stop()


@pytest.fixture
def device(phone: VirtualPhoneServer) -> Iterator[Any]:
    from mobile_agent.device import connect

    connected = connect(phone.serial)
    try:
        yield connected
    finally:
        connected.close()


def _titles(server: VirtualPhoneServer) -> list[str]:
    return [n["title"] for n in server.phone.app_state(NOTES)["notes"]]


@pytest.mark.e2e
def test_a_shortcut_replays_on_a_phone_of_each_size(
    phone: VirtualPhoneServer,
    device: Any,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Store.open(db_path) as store:
        store.shortcuts.add(note_spec(), status=Status.APPROVED)
        result = replay_stored(store, "new_note", {"title": "Groceries"}, device, tmp_path)
        counted = store.shortcuts.get("new_note")

    assert result.ok, result.reason
    assert result.screen_size == phone.phone.screen_size()
    assert [s.outcome for s in result.steps] == ["success"] * 4
    assert result.steps[2].action == {
        "name": "type",
        "args": {"label": "Title", "text": "Groceries"},
    }
    assert "Groceries" in _titles(phone)
    assert (counted.uses, counted.successes, counted.failures) == (1, 1, 0)

    assert main(["runs", "list", "--json", "--db", str(db_path)]) == 0
    [run] = json.loads(capsys.readouterr().out)
    assert (run["id"], run["kind"], run["state"], run["steps"]) == (
        result.run_id,
        "replay",
        "succeeded",
        4,
    )
    assert run["task"] == "replay shortcut new_note(title='Groceries')"
    report = tmp_path / "replay.html"
    assert (
        main(["runs", "export", run["id"], "--html", "-o", str(report), "--db", str(db_path)]) == 0
    )
    assert "Groceries" in report.read_text(encoding="utf-8")


@pytest.mark.e2e
@pytest.mark.parametrize("phone", [(720, 1600)], indirect=True, ids=["720x1600"])
def test_a_guard_that_does_not_hold_stops_before_the_first_step(
    phone: VirtualPhoneServer, device: Any, file_store: Store, tmp_path: Path
) -> None:
    guarded = note_spec(guard={"element": {"label": "Archive"}})
    file_store.shortcuts.add(guarded, status=Status.APPROVED)
    state_before = phone.phone.state()

    result = replay_stored(file_store, "new_note", {"title": "Groceries"}, device, tmp_path)

    assert result.state is FinalState.FAILED and result.steps == ()
    assert result.guard == "no element with label 'Archive' is on screen"
    assert result.reason == "the guard does not hold: " + result.guard
    assert result.verdict == "guard not met"
    # no device action: the first step (open Notes) never ran, nothing changed
    assert phone.phone.current()[0] == "com.android.launcher3"
    assert phone.phone.state() == state_before
    run = file_store.runs.get(result.run_id)
    assert (run["kind"], run["state"], run["steps"]) == ("replay", "failed", 0)
    assert "Archive" in run["reason"]
    assert file_store.shortcuts.get("new_note").uses == 0  # not the shortcut's fault

    stop = threading.Event()
    stop.set()
    opening = note_spec(name="opening", guard=None, params=[], steps=note_spec().steps[:2])
    file_store.shortcuts.add(opening, status=Status.APPROVED)
    cancelled = replay_stored(file_store, "opening", {}, device, tmp_path, cancel=stop)
    assert cancelled.state is FinalState.CANCELLED and cancelled.steps == ()
    assert phone.phone.current()[0] == "com.android.launcher3"


@pytest.mark.e2e
@pytest.mark.parametrize("phone", [(720, 1600)], indirect=True, ids=["720x1600"])
def test_a_missing_effect_stops_the_replay_there_and_counts_a_failure(
    phone: VirtualPhoneServer, device: Any, file_store: Store, tmp_path: Path
) -> None:
    steps = [s.model_dump() for s in note_spec().steps]
    steps[2]["args"] = {"label": "Subject", "text": "{title}"}  # no such field in Notes
    file_store.shortcuts.add(note_spec(steps=steps), status=Status.APPROVED)
    titles = _titles(phone)

    for attempt in (1, 2):
        result = replay_stored(
            file_store, "new_note", {"title": "Groceries"}, device, tmp_path, element_wait_s=0.2
        )
        assert result.state is FinalState.FAILED
        assert [s.outcome for s in result.steps] == ["success", "wrong_page"]  # step 3 never ran
        failed = result.failed_step
        assert failed is not None and failed.number == 2
        assert failed.expected == "an element with label 'Subject' for the next step"
        assert failed.seen.startswith(f"the screen shows {NOTES}: ")
        assert "'Title'" in failed.seen and "'Save'" in failed.seen
        assert result.reason == failed.describe()
        assert result.reason.startswith("step 2 (tap label='New note') failed: expected")
        stored = file_store.shortcuts.get("new_note")
        assert (stored.uses, stored.failures) == (attempt, attempt)
        phone.phone.force_stop(NOTES)  # back to the home screen for the next attempt
        phone.phone.press_key("home")

    assert _titles(phone) == titles
    assert file_store.shortcuts.get("new_note").status is Status.PROPOSED  # demoted
    [step_1, step_2] = file_store.runs.steps(result.run_id)
    assert (step_1["outcome"], step_2["outcome"], step_2["phase"]) == (
        "success",
        "wrong_page",
        "verify",
    )
    assert "label 'Subject'" in step_2["reason"]


@pytest.mark.e2e
@pytest.mark.parametrize("phone", [(1080, 2400)], indirect=True, ids=["1080x2400"])
def test_a_step_that_changes_nothing_fails_and_the_gate_sees_every_step(
    phone: VirtualPhoneServer, device: Any, store: Store, tmp_path: Path
) -> None:
    steps = [s.model_dump() for s in note_spec().steps]
    idle = [steps[0], {"action": "tap", "args": {"label": "Notes"}}, *steps[1:]]  # a title
    store.shortcuts.add(note_spec(name="idle", steps=idle), status=Status.APPROVED)
    result = replay_stored(store, "idle", {"title": "Groceries"}, device, tmp_path)
    assert [s.outcome for s in result.steps] == ["success", "no_change"]
    assert result.steps[1].expected == "the screen to change, but it stayed the same"

    seen: list[str] = []

    def gate(call: ActionCall, ctx: ActionContext) -> Refusal | None:
        seen.append(call.key())
        return Refusal("saving needs a person") if call.args().get("label") == "Save" else None

    phone.phone.press_key("home")
    store.shortcuts.add(note_spec(), status=Status.APPROVED)
    refused = replay_stored(store, "new_note", {"title": "Groceries"}, device, tmp_path, gate=gate)
    assert [s.outcome for s in refused.steps] == ["success"] * 3 + ["failed"]
    assert "not allowed: saving needs a person" in refused.steps[3].expected
    assert [key.split("(")[0] for key in seen] == ["open_app", "tap", "type", "tap"]
    assert "Groceries" not in _titles(phone)
