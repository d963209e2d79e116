"""Limits end runs in named states: loops (swipes included), steps, cost, time, failures,
a user who cannot be asked, and a phone that goes away."""

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
    with_notes,
)

from mobile_agent.config import load_settings
from mobile_agent.events import FinalState
from mobile_agent.runner import RunLimits, Runner

pytestmark = pytest.mark.e2e


def _run(
    server: Any, script: list[Any], *, limits: RunLimits | None = None, **kw: Any
) -> tuple[Any, Recorder, Any]:
    model = ElementScript(with_notes(script))
    events = Recorder()
    with connected_device(server) as device:
        runner = Runner(
            device,
            model,
            settings=load_settings({"ocr_policy": "never", **EVERY_AGENT}),
            limits=limits,
            listeners=[events],
            **kw,
        )
        result = runner.run("Look around the Settings app")
    return result, events, model


SCROLL_UP = {"direction": "up"}


def test_repeated_swipe_on_an_unchanged_screen_is_caught_within_three_steps(
    connected_phone: Any,
) -> None:
    result, events, model = _run(
        connected_phone,
        [
            {**manager("Scroll Settings"), "repeat": True},
            operator("open_app", {"app": "Settings"}),
            reflector(),
            *[operator("scroll", SCROLL_UP), reflector("no_change")] * 2,
            operator("scroll", SCROLL_UP),
            operator("scroll", SCROLL_UP),
        ],
    )
    assert result.state is FinalState.FAILED
    assert "stuck" in result.reason
    assert "scroll" in result.reason
    executed = [e.action["name"] for e in events.of("action_executed")]
    assert executed == ["open_app", "scroll", "scroll"]  # the third identical swipe never ran
    loop = [f for f in events.of("step_failed") if f.phase == "loop"]
    assert [f.step for f in loop] == [4, 5]  # warned once, then the run ends at the repeat
    # the operator heard about it, and the manager was asked to re-plan
    assert agent_sequence(model) == [
        "manager",
        "operator",
        "reflector",
        "notetaker",
        "operator",
        "reflector",
        "operator",
        "reflector",
        "manager",
        "operator",
        "manager",
        "operator",
    ]
    assert "led nowhere" in model.calls[-1].last_user_text


def test_max_steps(connected_phone: Any) -> None:
    result, events, _ = _run(
        connected_phone,
        [
            manager("Tour"),
            operator("open_app", {"app": "Settings"}),
            reflector(),
            operator("home"),
            reflector(),
            operator("open_app", {"app": "Contacts"}),
            reflector(),
            operator("home"),
            reflector(),
        ],
        limits=RunLimits(max_steps=3),
    )
    assert result.state is FinalState.MAX_STEPS
    assert result.steps == 3
    assert len(events.of("action_executed")) == 3
    assert connected_phone.phone.current()[0] == "com.example.contacts"


def test_cost_budget_stops_before_the_next_action(connected_phone: Any) -> None:
    cost = {"usage": {"input_tokens": 1000, "output_tokens": 100, "cost_usd": 0.4}}
    result, events, _ = _run(
        connected_phone,
        [
            {**manager("Tour"), **cost},
            {**operator("open_app", {"app": "Settings"}), **cost},
            {**reflector(), **cost},
            {**operator("home"), **cost},
            {**reflector(), **cost},
        ],
        limits=RunLimits(max_cost_usd=1.0),
    )
    assert result.state is FinalState.BUDGET_EXCEEDED
    assert result.usage.cost_usd == pytest.approx(1.2)
    assert result.usage.input_tokens == 3000
    assert [e.action["name"] for e in events.of("action_executed")] == ["open_app"]


def test_wall_time_limit(connected_phone: Any) -> None:
    slow = {**manager("Tour"), "delay_s": 0.5}
    result, events, _ = _run(
        connected_phone, [slow, operator("home"), reflector()], limits=RunLimits(max_wall_s=0.3)
    )
    assert result.state is FinalState.BUDGET_EXCEEDED
    assert "time" in result.reason
    assert events.of("action_executed") == []


def test_consecutive_failures_end_the_run(connected_phone: Any) -> None:
    result, _, model = _run(
        connected_phone,
        [
            {**manager("Tour"), "repeat": True},
            operator("open_app", {"app": "Settings"}),
            reflector("no_change"),
            operator("home"),
            reflector("no_change"),
            operator("open_app", {"app": "Contacts"}),
            reflector("wrong_page"),
            operator("home"),
            reflector("no_change"),
        ],
        limits=RunLimits(max_consecutive_failures=4),
    )
    assert result.state is FinalState.FAILED
    assert "4 failed steps in a row" in result.reason
    assert agent_sequence(model).count("manager") == 3  # first step, then escalations at 3 and 4


def test_ask_user_without_a_user_is_blocked(connected_phone: Any) -> None:
    result, _, _ = _run(
        connected_phone, [manager("Ask"), operator("ask_user", {"question": "Which account?"})]
    )
    assert result.state is FinalState.BLOCKED


def test_ask_user_answer_reaches_the_next_prompts(connected_phone: Any) -> None:
    asked: list[str] = []

    def user(question: str) -> str:
        asked.append(question)
        return "the work account"

    result, _, model = _run(
        connected_phone,
        [
            manager("Ask"),
            operator("ask_user", {"question": "Which account?"}),
            reflector(),
            operator("finish", {"answer": "ok"}),
        ],
        ask_user=user,
    )
    assert result.state is FinalState.SUCCEEDED
    assert asked == ["Which account?"]
    assert "The user said: the work account" in model.calls[-1].last_user_text


def test_phone_gone_mid_run_is_device_lost(connected_phone: Any) -> None:
    events = Recorder()

    def pull_the_plug(event: Any) -> None:
        events(event)
        if event.kind == "action_executed":
            connected_phone.stop()

    model = ElementScript(
        with_notes([manager("Tour"), operator("home"), reflector(), operator("home")])
    )
    with connected_device(connected_phone) as device:
        runner = Runner(
            device,
            model,
            settings=load_settings({"ocr_policy": "never", **EVERY_AGENT}),
            listeners=[pull_the_plug],
        )
        result = runner.run("Go home")
    assert result.state is FinalState.DEVICE_LOST
    assert len(events.of("action_executed")) == 1
    assert events.kinds()[-1] == "run_finished"
