"""Run limits come from the user's settings; the loop detector's window and memory."""

from __future__ import annotations

from mobile_agent.config import Settings
from mobile_agent.runner import RunLimits
from mobile_agent.runner.guards import LoopDetector


def test_the_limits_default_to_the_settings_defaults() -> None:
    defaults, limits = Settings(), RunLimits()
    for name in ("max_steps", "max_wall_s", "max_cost_usd", "max_consecutive_failures"):
        assert getattr(limits, name) == getattr(defaults, name), name
    assert (limits.history_steps, limits.settle_max_s) == (
        defaults.history_steps,
        defaults.settle_max_s,
    )


def test_limits_from_settings_take_every_user_limit_and_the_given_overrides() -> None:
    settings = Settings.model_validate(
        {"max_steps": 7, "max_cost_usd": 0.5, "settle_max_s": 1.25, "history_steps": 4}
    )
    limits = RunLimits.from_settings(settings, max_steps=None, max_wall_s=30.0)
    assert (limits.max_steps, limits.max_cost_usd, limits.max_wall_s) == (7, 0.5, 30.0)
    assert (limits.settle_max_s, limits.history_steps) == (1.25, 4)
    assert limits.to_dict()["max_steps"] == 7


def test_by_default_the_third_identical_attempt_is_a_loop() -> None:
    detector = LoopDetector()
    detector.record("a", "tap(1)", "a")
    assert not detector.check("a", "tap(1)")
    detector.record("a", "tap(1)", "a")
    assert detector.check("a", "tap(1)")


def test_the_loop_window_is_at_least_two_and_its_memory_four_windows() -> None:
    small = LoopDetector(window=1)
    small.record("a", "tap(1)", "a")
    assert small.check("a", "tap(1)")  # window 2: one earlier identical attempt is a loop
    detector = LoopDetector(window=3)
    detector.record("a", "tap(1)", "a")
    detector.record("a", "tap(1)", "a")
    for _ in range(4 * 3 - 2):
        detector.record_nothing()
    assert detector.check("a", "tap(1)")  # both still within twelve steps
    detector.record_nothing()
    assert not detector.check("a", "tap(1)")  # the first has aged out
    assert detector.seen("a") and not detector.seen("b")
