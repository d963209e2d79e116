"""`mobile-agent run` and the safety gate, as a user meets it: with no terminal, a Send is
held, the message is not sent, and one line says what was held and how to allow it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import agent_reply, run_cli, scripted_model

pytestmark = pytest.mark.e2e

MESSAGES = "com.google.android.apps.messaging"
NUMBER = "+1 555 0100"


def _step(name: str, **args: Any) -> list[dict[str, Any]]:
    said = f"{name} {args}"
    return [
        agent_reply(
            "operator", thought=said, action={"name": name, "args": args}, description=said
        ),
        agent_reply(
            "reflector",
            thought="ok",
            outcome="success",
            feedback="",
            subgoal_completed=False,
            progress=said,
        ),
    ]


def _send_script() -> list[dict[str, Any]]:
    task = f"Text {NUMBER}: see you at 8"
    script = [agent_reply("manager", thought="plan", plan=[task], current_subgoal=task)]
    script += _step("open_app", app="Messages")
    script += _step("tap", label="Start chat")
    script += _step("type", text=NUMBER, label="Type a name, phone number or email")
    script += _step("tap", label=f"Chat with {NUMBER}")
    script += _step("type", text="see you at 8", label="Text message")
    script += _step("tap", label="Send")
    script += [
        {
            "match": "Role: notetaker",
            "reply": json.dumps({"thought": "-", "notes": ""}),
            "repeat": True,
        }
    ]
    return script


def _sent(phone: Any) -> list[str]:
    state = phone.app_state(MESSAGES)
    return [
        m["text"]
        for c in state["conversations"]
        for m in c["messages"]
        if m["outgoing"] and "see you at 8" in m["text"]
    ]


def test_without_a_terminal_a_send_is_held_and_the_way_to_allow_it_is_said(
    connected_phone: Any, tmp_path: Path
) -> None:
    model = scripted_model(tmp_path / "send.json", _send_script())
    done = run_cli(
        "run",
        f"Text {NUMBER}: see you at 8",
        "--device",
        connected_phone.serial,
        "--model",
        model,
        "--no-memory",
        timeout=240,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Result: blocked" in done.stdout
    assert 'Held by the safety gate: tap "Send"' in done.stdout
    assert "add --allow send" in done.stdout
    assert _sent(connected_phone.phone) == []


def test_allow_send_lets_the_same_run_send(connected_phone: Any, tmp_path: Path) -> None:
    model = scripted_model(tmp_path / "send.json", _send_script())
    done = run_cli(
        "run",
        f"Text {NUMBER}: see you at 8",
        "--device",
        connected_phone.serial,
        "--model",
        model,
        "--no-memory",
        "--allow",
        "send",
        "--max-steps",
        "6",
        timeout=240,
    )
    assert "Held by the safety gate" not in done.stdout + done.stderr
    assert _sent(connected_phone.phone) == ["see you at 8"]


def test_an_unknown_kind_to_allow_is_a_usage_error() -> None:
    done = run_cli("run", "x", "--allow", "everything", "--device", "virtual")
    assert done.returncode == 2
    assert "unknown kind of action to allow: everything" in done.stderr
