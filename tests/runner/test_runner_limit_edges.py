"""Limits exactly at their edges: cost, steps, escalation and consecutive failures."""

from __future__ import annotations

from typing import Any

import pytest
from scripted_agents import agent_sequence, manager, operator, reflector

from mobile_agent.events import FinalState

from .harness import executed, limits, run_script

# Costs that add up exactly in binary floating point.
QUARTER = {"usage": {"input_tokens": 10, "output_tokens": 10, "cost_usd": 0.25}}


def _priced_tour() -> list[dict[str, Any]]:
    """One step costing 0.75 (manager, operator, reflector), then a second one."""
    return [
        {**manager("Tour"), **QUARTER},
        {**operator("open_app", {"app": "Notes"}), **QUARTER},
        {**reflector(), **QUARTER},
        {**operator("home"), **QUARTER},
        {**reflector(), **QUARTER},
        operator("finish"),
    ]


def test_cost_landing_exactly_on_the_limit_ends_the_run() -> None:
    run = run_script(_priced_tour(), run_limits=limits(max_cost_usd=0.75))
    result = run.result
    assert result is not None
    assert result.usage.cost_usd == 0.75
    assert result.state is FinalState.BUDGET_EXCEEDED
    assert "$0.7500" in result.reason
    assert "limit $0.75" in result.reason
    assert result.steps == 1  # the second step never started
    assert run.events.kinds().count("step_started") == 1


def test_cost_just_under_the_limit_goes_on() -> None:
    run = run_script(_priced_tour(), run_limits=limits(max_cost_usd=0.76))
    result = run.result
    assert result is not None
    assert result.state is FinalState.BUDGET_EXCEEDED
    assert result.steps == 2  # 0.75 < 0.76: a second step started
    assert result.usage.cost_usd == 1.0  # and stopped once its operator took it over
    assert executed(run) == ["open_app"]


def test_zero_cost_limit_means_no_limit() -> None:
    costly = {"usage": {"input_tokens": 10, "output_tokens": 10, "cost_usd": 100.0}}
    run = run_script(
        [
            {**manager("Tour"), **costly},
            {**operator("open_app", {"app": "Notes"}), **costly},
            {**reflector(), **costly},
            {**operator("finish"), **costly},
        ],
        run_limits=limits(max_cost_usd=0),
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.SUCCEEDED, result.reason
    assert result.usage.cost_usd == 400.0


def _alternating_tour(steps: int) -> list[dict[str, Any]]:
    """Steps that each change the screen (never a loop), more than any test needs."""
    script: list[dict[str, Any]] = [manager("Tour")]
    for number in range(steps):
        app = operator("open_app", {"app": "Notes" if number % 4 == 0 else "Settings"})
        script += [app if number % 2 == 0 else operator("home"), reflector()]
    return script


@pytest.mark.parametrize("max_steps", [1, 3])
def test_max_steps_makes_exactly_that_many_steps(max_steps: int) -> None:
    run = run_script(_alternating_tour(max_steps + 2), run_limits=limits(max_steps=max_steps))
    result = run.result
    assert result is not None
    assert result.state is FinalState.MAX_STEPS
    assert result.steps == max_steps
    assert f"{max_steps} steps" in result.reason
    assert run.events.kinds().count("step_started") == max_steps
    assert len(run.events.of("step_finished")) == max_steps
    assert len(run.device.action_names()) == max_steps


def _fruitless(count: int) -> list[dict[str, Any]]:
    """`count` steps that each tap a different empty spot of the home screen and change
    nothing (never a loop)."""
    steps: list[dict[str, Any]] = []
    for number in range(1, count + 1):
        steps += [operator("tap", {"x": 540, "y": 1800 + number}), reflector("no_change")]
    return steps


@pytest.mark.parametrize("escalate_after", [1, 3])
def test_the_manager_is_asked_again_after_escalate_after_failures(escalate_after: int) -> None:
    run = run_script(
        [
            {**manager("Tour"), "repeat": True},
            *_fruitless(escalate_after),
            operator("finish"),
        ],
        run_limits=limits(escalate_after=escalate_after, max_consecutive_failures=10),
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    expected = ["manager", *["operator", "reflector"] * escalate_after, "manager", "operator"]
    assert agent_sequence(run.model) == expected
    plans = run.events.of("plan_updated")
    assert [p.step for p in plans] == [1, escalate_after + 1]


def test_failures_below_escalate_after_do_not_ask_the_manager() -> None:
    run = run_script(
        [{**manager("Tour"), "repeat": True}, *_fruitless(2), operator("finish")],
        run_limits=limits(escalate_after=3, max_consecutive_failures=10),
    )
    assert agent_sequence(run.model).count("manager") == 1


def test_a_success_between_failures_resets_the_count() -> None:
    run = run_script(
        [
            {**manager("Tour"), "repeat": True},
            *_fruitless(2),
            operator("open_app", {"app": "Notes"}),
            reflector(),
            operator("open_app", {"app": "Nowhere"}),  # fails as an action: no such app
            *_fruitless(1),
            operator("finish"),
        ],
        run_limits=limits(max_consecutive_failures=3, escalate_after=10),
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.SUCCEEDED, result.reason
    assert result.steps == 6
    verdicts = [(e.step, e.outcome) for e in run.events.of("reflected")]
    assert verdicts == [(1, "no_change"), (2, "no_change"), (3, "success"), (5, "no_change")]
    failed = run.events.of("step_failed")
    assert [(f.step, f.phase) for f in failed] == [(4, "action")]
    assert "Nowhere" in failed[0].reason


def test_without_the_success_the_same_failures_end_the_run() -> None:
    run = run_script(
        [{**manager("Tour"), "repeat": True}, *_fruitless(3), operator("finish")],
        run_limits=limits(max_consecutive_failures=3, escalate_after=10),
    )
    assert run.result is not None
    assert run.result.state is FinalState.FAILED
    assert "3 failed steps in a row" in run.result.reason
