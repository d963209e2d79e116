"""Every way a run ends, each in its named final state, on the in-memory phone."""

from __future__ import annotations

from typing import Any

import pytest
from memory_device import MemoryDevice
from scripted_agents import agent_sequence, manager, operator, reflector, tap_el, type_el

from mobile_agent.events import FinalState

from .harness import LAUNCHER, NOTES, executed, limits, make_run, run_script

OPEN_NOTES = operator("open_app", {"app": "Notes"})


def test_the_operator_finishes_a_real_task() -> None:
    run = run_script(
        [
            manager("Create the note"),
            OPEN_NOTES,
            reflector(),
            tap_el("New note"),
            reflector(),
            type_el("Title", "Groceries"),
            reflector(),
            tap_el("Save"),
            reflector(),
            operator("finish", {"answer": "saved"}),
        ]
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.SUCCEEDED, result.reason
    assert result.succeeded
    assert "operator finished" in result.reason
    assert result.answer == "saved"
    assert (result.steps, result.failed_steps) == (5, 0)
    titles = [n["title"] for n in run.device.phone.app_state(NOTES)["notes"]]
    assert "Groceries" in titles
    assert run.device.action_names() == ["open_app", "tap", "tap", "type_text", "tap"]
    finished = run.events.of("step_finished")[-1]
    assert (finished.step, finished.outcome, finished.ok) == (5, "finished", True)
    assert run.events.of("run_finished")[0].summary == result


def test_the_manager_judges_the_task_complete() -> None:
    run = run_script([manager("Nothing to do", completed=True, answer="already there")])
    result = run.result
    assert result is not None
    assert result.state is FinalState.SUCCEEDED
    assert "manager judged the task complete" in result.reason
    assert result.answer == "already there"
    assert agent_sequence(run.model) == ["manager"]
    assert run.device.actions == []


def test_consecutive_failed_steps_fail_the_run() -> None:
    run = run_script(
        [
            {**manager("Look around"), "repeat": True},
            OPEN_NOTES,
            reflector("no_change"),
            operator("home"),
            reflector("wrong_page", feedback="not the launcher"),
            operator("open_app", {"app": "Settings"}),
            reflector("no_change"),
            operator("finish"),
        ],
        run_limits=limits(max_consecutive_failures=3, escalate_after=5),
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.FAILED
    assert "3 failed steps in a row" in result.reason
    assert result.steps == 3
    assert executed(run) == ["open_app", "home", "open_app"]  # finish never ran


def test_the_step_limit_ends_the_run() -> None:
    run = run_script(
        [manager("Tour"), OPEN_NOTES, reflector(), operator("home"), reflector()],
        run_limits=limits(max_steps=2),
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.MAX_STEPS
    assert "2 steps" in result.reason
    assert run.device.phone.current()[0] == LAUNCHER


def test_running_out_of_time_ends_the_run_before_acting() -> None:
    slow = {**manager("Tour"), "delay_s": 0.1}
    run = run_script([slow, OPEN_NOTES, reflector()], run_limits=limits(max_wall_s=0.05))
    result = run.result
    assert result is not None
    assert result.state is FinalState.BUDGET_EXCEEDED
    assert "time" in result.reason
    assert run.device.actions == []


def test_running_out_of_money_ends_the_run_before_the_next_action() -> None:
    cost = {"usage": {"input_tokens": 100, "output_tokens": 10, "cost_usd": 0.5}}
    run = run_script(
        [{**manager("Tour"), **cost}, {**OPEN_NOTES, **cost}, {**reflector(), **cost}],
        run_limits=limits(max_cost_usd=1.25),
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.BUDGET_EXCEEDED
    assert "cost" in result.reason
    assert result.usage.cost_usd == pytest.approx(1.5)
    assert run.device.action_names() == ["open_app"]


def test_stop_from_a_listener_cancels_with_no_further_action() -> None:
    holder: dict[str, Any] = {}

    def stop_after_first_step(event: Any) -> None:
        if event.kind == "step_finished":
            holder["runner"].stop()

    run = make_run(
        [manager("Tour"), OPEN_NOTES, reflector(), operator("home"), reflector()],
        listeners=[stop_after_first_step],
    )
    holder["runner"] = run.runner
    result = run.go()
    assert result.state is FinalState.CANCELLED
    assert "stopped" in result.reason
    assert result.steps == 1
    assert run.device.action_names() == ["open_app"]
    assert run.device.phone.current()[0] == NOTES


def test_stop_before_the_run_starts_nothing() -> None:
    run = make_run([manager("Tour"), OPEN_NOTES])
    run.runner.stop()
    result = run.go()
    assert result.state is FinalState.CANCELLED
    assert (result.steps, result.model_calls) == (0, 0)
    assert run.model.calls == []
    assert run.device.actions == []


@pytest.mark.parametrize("ask_user", [None, lambda question: None], ids=["no-channel", "no-one"])
def test_a_question_nobody_answers_blocks_the_run(ask_user: Any) -> None:
    run = run_script(
        [manager("Ask"), operator("ask_user", {"question": "Which account?"}), reflector()],
        ask_user=ask_user,
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.BLOCKED
    assert "waiting for the user" in result.reason
    assert agent_sequence(run.model) == ["manager", "operator"]  # no reflection on it


def test_an_answered_question_goes_on() -> None:
    asked: list[str] = []

    def user(question: str) -> str:
        asked.append(question)
        return "the work account"

    run = run_script(
        [
            manager("Ask"),
            operator("ask_user", {"question": "Which account?"}),
            reflector(),
            operator("finish"),
        ],
        ask_user=user,
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED
    assert asked == ["Which account?"]
    assert "The user said: the work account" in run.model.calls[-1].last_user_text


def test_the_phone_vanishing_after_an_action_loses_the_device() -> None:
    device = MemoryDevice(screenshots=False)

    def pull_the_plug(event: Any) -> None:
        if event.kind == "action_executed":
            device.disconnect()

    run = run_script(
        [manager("Tour"), OPEN_NOTES, reflector(), operator("home")],
        device=device,
        listeners=[pull_the_plug],
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.DEVICE_LOST
    assert "device was lost" in result.reason
    assert agent_sequence(run.model) == ["manager", "operator"]  # nothing after the loss
    assert device.action_names() == ["open_app"]
    assert run.events.kinds()[-1] == "run_finished"


def test_the_phone_vanishing_during_an_action_loses_the_device() -> None:
    device = MemoryDevice(screenshots=False)
    device.disconnect(on="tap")
    run = run_script(
        [manager("Create the note"), OPEN_NOTES, reflector(), tap_el("New note"), reflector()],
        device=device,
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.DEVICE_LOST
    assert device.action_names() == ["open_app"]
    assert device.phone.current() == (NOTES, "com.example.notes.MainActivity")


def test_a_hung_action_fails_its_step_and_the_run_goes_on() -> None:
    # one call that times out is feedback for the agent; a phone that is really gone is
    # noticed at the next capture (see the disconnect tests above)
    device = MemoryDevice(screenshots=False)
    device.hang(on="open_app")
    run = run_script(
        [
            {**manager("Open Notes"), "repeat": True},
            OPEN_NOTES,
            OPEN_NOTES,
            reflector(),
            operator("finish"),
        ],
        device=device,
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.SUCCEEDED, result.reason
    failed = run.events.of("step_failed")
    assert [(f.step, f.phase) for f in failed] == [(1, "action")]
    assert "no answer" in failed[0].reason
    assert device.action_names() == ["open_app"]  # the second attempt reached the phone
    assert run.events.kinds()[-1] == "run_finished"


def test_typing_with_no_focused_field_is_refused_before_acting() -> None:
    run = run_script(
        [
            {**manager("Write"), "repeat": True},
            OPEN_NOTES,
            reflector(),
            operator("type", {"text": "Grüße"}),  # no field focused on the notes list
            type_el("Search notes", "Grüße"),
            reflector(),
            operator("finish"),
        ]
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.SUCCEEDED, result.reason
    assert run.events.of("step_failed") == []
    re_ask = [c for c in run.model.calls if "no text field has the focus" in c.last_user_text]
    assert len(re_ask) == 1  # the operator heard why, once, and chose the field
    typed = [c for c in run.device.calls if c.name == "type_text"]
    assert [c.args[0] for c in typed] == ["Grüße"]
