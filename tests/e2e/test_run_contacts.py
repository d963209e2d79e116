"""Add a contact, then read its number back: the notetaker keeps it, the answer carries it."""

from __future__ import annotations

from typing import Any

import pytest
from test_run_helpers import (
    EVERY_AGENT,
    KEEP_NOTES,
    ElementScript,
    Recorder,
    agent_sequence,
    connected_device,
    manager,
    notetaker,
    operator,
    reflector,
    tap_el,
    type_el,
)

from mobile_agent.config import load_settings
from mobile_agent.events import FinalState
from mobile_agent.runner import Runner

pytestmark = pytest.mark.e2e

NAME, NUMBER = "Ada Lovelace", "+44 20 7946 0958"
DETAILS = f"The details of {NAME} are open."
PLAN = ["Add the contact", "Open it and note its number"]


def agent_of(call: Any) -> str:
    return str(call.messages[0].text.split("\n", 1)[0].removeprefix("Role: "))


def test_add_a_contact_then_note_its_number(connected_phone: Any) -> None:
    model = ElementScript(
        [
            manager(PLAN[0], PLAN),
            manager(PLAN[1], PLAN),
            operator("open_app", {"app": "Contacts"}),
            reflector(),
            tap_el("Add contact"),
            reflector(),
            type_el("Name", NAME),
            reflector(),
            type_el("Phone", NUMBER),
            reflector(),
            tap_el("Save"),
            reflector(done=True),
            tap_el(NAME),
            reflector(progress=DETAILS),
            notetaker(f"{NAME}: {NUMBER}", seen=DETAILS),
            operator("finish", {"answer": NUMBER}),
            KEEP_NOTES,
        ]
    )
    events = Recorder()
    with connected_device(connected_phone) as device:
        runner = Runner(
            device,
            model,
            settings=load_settings({"ocr_policy": "never", **EVERY_AGENT}),
            listeners=[events],
        )
        result = runner.run(
            f"Add a contact {NAME} with the number {NUMBER}, then tell me its number"
        )

    assert result.state is FinalState.SUCCEEDED, result.reason
    contacts = connected_phone.phone.app_state("com.example.contacts")["contacts"]
    assert any(c["name"] == NAME and c["phone"] == NUMBER for c in contacts)
    assert result.answer == NUMBER
    assert NUMBER in result.notes
    # notes after every successful step (the first five kept nothing: no news)
    assert [e.notes for e in events.of("notes_updated")] == [f"{NAME}: {NUMBER}"]
    # the notetaker saw the details screen, with the number on it, and the progress record
    note_call = next(c for c in model.calls if agent_of(c) == "notetaker" and NUMBER in c.reply)
    screen = note_call.last_user_text.split("## Current screen", 1)[1]
    assert NUMBER in screen
    assert DETAILS in note_call.last_user_text
    assert agent_sequence(model) == [
        "manager",
        *["operator", "reflector", "notetaker"] * 5,
        "manager",
        "operator",
        "reflector",
        "notetaker",
        "operator",
    ]
    # the operator's next prompt carried the notes
    last_operator = model.calls[-1]
    assert f"{NAME}: {NUMBER}" in last_operator.last_user_text
