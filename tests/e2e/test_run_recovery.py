"""Recovering from mistakes: a wrong tap caught by the reflector, malformed replies repaired
once or failing the step without touching the phone."""

from __future__ import annotations

from typing import Any

import pytest
from test_run_helpers import (
    EVERY_AGENT,
    ElementScript,
    Recorder,
    agent_sequence,
    connected_device,
    manager,
    operator,
    reflector,
    tap_el,
    type_el,
    with_notes,
)

from mobile_agent.config import load_settings
from mobile_agent.events import FinalState
from mobile_agent.runner import Runner

pytestmark = pytest.mark.e2e

SETTINGS = {"ocr_policy": "never", **EVERY_AGENT}


def _run(
    server: Any, script: list[Any], task: str = "Create a note titled Groceries"
) -> tuple[Any, Recorder, Any]:
    model = ElementScript(with_notes(script))
    events = Recorder()
    with connected_device(server) as device:
        result = Runner(device, model, settings=load_settings(SETTINGS), listeners=[events]).run(
            task
        )
    return result, events, model


def test_wrong_app_is_flagged_and_undone(connected_phone: Any) -> None:
    result, events, model = _run(
        connected_phone,
        [
            manager("Open Notes from the home screen"),
            manager("Write the note and save it"),
            operator("home"),
            reflector(),
            tap_el("Contacts"),  # the wrong app
            reflector("wrong_page", feedback="Contacts opened instead of Notes"),
            operator("back", description="leave Contacts"),
            reflector(),
            tap_el("Notes"),
            reflector(done=True),
            tap_el("New note"),
            reflector(),
            type_el("Title", "Groceries"),
            reflector(),
            tap_el("Save"),
            reflector(),
            operator("finish"),
        ],
    )
    assert result.state is FinalState.SUCCEEDED, result.reason
    reflections = [r.outcome for r in events.of("reflected")]
    assert reflections[:3] == ["success", "wrong_page", "success"]
    # the operator was told about the wrong page in its next prompt
    operator_calls = [c for c in model.calls if c.messages[0].text.startswith("Role: operator")]
    assert "wrong page" in operator_calls[2].last_user_text
    assert "Contacts opened instead of Notes" in operator_calls[2].last_user_text
    after_wrong = events.of("screen_perceived")[2]
    assert after_wrong.package == "com.example.contacts"
    titles = [n["title"] for n in connected_phone.phone.app_state("com.example.notes")["notes"]]
    assert "Groceries" in titles
    assert result.failed_steps == 0


MALFORMED = {
    "match": "Role: operator",
    "reply": "{'action': {'name': 'tap', 'args': {'element': 3}}}",
}


def test_malformed_reply_twice_fails_the_step_without_acting(connected_phone: Any) -> None:
    phone = connected_phone.phone
    result, events, model = _run(
        connected_phone,
        [
            manager("Open Notes"),
            MALFORMED,
            {"match": "Role: operator", "reply": "I would tap the third element."},
            operator("open_app", {"app": "Notes"}),
            reflector(),
            operator("finish"),
        ],
    )
    assert result.state is FinalState.SUCCEEDED, result.reason
    failed = events.of("step_failed")
    assert [(f.step, f.phase) for f in failed] == [(1, "operator")]
    assert "unusable twice" in failed[0].reason
    closing = [e for e in events.of("step_finished") if e.step == 1]
    assert [(e.outcome, e.ok, e.action) for e in closing] == [("failed", False, None)]
    assert "action_executed" not in events.kinds(1)
    assert agent_sequence(model)[:3] == ["manager", "operator", "operator*"]
    repair = model.calls[2]
    assert "double quotes" in repair.last_user_text
    assert [e.action["name"] for e in events.of("action_executed")] == ["open_app", "finish"]
    assert result.failed_steps == 1
    assert phone.current()[0] == "com.example.notes"


def test_unknown_element_is_repaired_within_the_step(connected_phone: Any) -> None:
    result, events, model = _run(
        connected_phone,
        [
            manager("Open Notes"),
            operator("tap", {"element": 999}),
            operator("open_app", {"app": "Notes"}),
            reflector(),
            operator("finish"),
        ],
    )
    assert result.state is FinalState.SUCCEEDED, result.reason
    assert agent_sequence(model) == [
        "manager",
        "operator",
        "operator*",
        "reflector",
        "notetaker",
        "operator",
    ]
    assert "no element 999" in model.calls[2].last_user_text
    assert events.of("step_failed") == []
    assert events.of("action_executed")[0].action == {
        "name": "open_app",
        "args": {"app": "Notes"},
    }
