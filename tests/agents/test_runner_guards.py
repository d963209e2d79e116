"""Loop detection, screen signatures, limits from settings, and thread-safe run control."""

from __future__ import annotations

import threading

import pytest

from mobile_agent.config import load_settings
from mobile_agent.errors import Cancelled, ProviderError
from mobile_agent.perception.elements import BoundingBox, UIElement
from mobile_agent.runner import Control, LoopDetector, RunLimits, screen_signature

SWIPE = 'swipe({"x1": 540, "x2": 540, "y1": 1800, "y2": 600})'


def test_third_identical_action_on_an_unchanged_screen_is_a_loop() -> None:
    loops = LoopDetector(window=3)
    assert not loops.check("S", SWIPE)
    loops.record("S", SWIPE, "S")
    assert not loops.check("S", SWIPE)
    loops.record("S", SWIPE, "S")
    assert loops.check("S", SWIPE)


def test_repeating_an_action_that_changes_the_screen_is_not_a_loop() -> None:
    loops = LoopDetector(window=3)
    for before, after in [("A", "B"), ("B", "C"), ("C", "D")]:
        assert not loops.check(before, SWIPE)
        loops.record(before, SWIPE, after)
    assert not loops.check("D", SWIPE)


def test_different_actions_or_screens_are_not_a_loop() -> None:
    loops = LoopDetector(window=3)
    loops.record("S", SWIPE, "S")
    loops.record("S", "back()", "S")
    assert not loops.check("S", SWIPE)
    assert not loops.check("T", "back()")


def test_old_repeats_fall_out_of_the_window() -> None:
    loops = LoopDetector(window=3)
    loops.record("S", SWIPE, "S")
    loops.record("S", "home()", "T")
    loops.record("T", "back()", "S")
    loops.record("S", SWIPE, "S")
    assert not loops.check("S", SWIPE)
    loops.record_nothing()
    assert not loops.check("S", SWIPE)


def _el(i: int, text: str, package: str = "com.example.notes", y: int = 100) -> UIElement:
    return UIElement(i, BoundingBox(0, y, 1080, y + 100), text=text, package=package)


def test_signature_ignores_the_status_bar_clock_only() -> None:
    base = [_el(1, "Groceries"), _el(2, "12:00", "com.android.systemui", 0)]
    later = [_el(1, "Groceries"), _el(2, "12:01", "com.android.systemui", 0)]
    moved = [_el(1, "Groceries", y=300), _el(2, "12:00", "com.android.systemui", 0)]
    other = [_el(1, "Groceries!"), _el(2, "12:00", "com.android.systemui", 0)]
    sig = screen_signature("com.example.notes", ".Main", base)
    assert sig == screen_signature("com.example.notes", ".Main", later)
    assert sig != screen_signature("com.example.notes", ".Main", moved)
    assert sig != screen_signature("com.example.notes", ".Main", other)
    assert sig != screen_signature("com.example.notes", ".Editor", base)


def test_limits_come_from_settings_with_overrides() -> None:
    settings = load_settings({"max_steps": 7, "max_cost_usd": 0.5, "history_steps": 3})
    limits = RunLimits.from_settings(settings, max_steps=9, max_wall_s=None)
    assert (limits.max_steps, limits.max_cost_usd, limits.history_steps) == (9, 0.5, 3)
    assert limits.max_wall_s == settings.max_wall_s
    assert limits.to_dict()["max_steps"] == 9


def test_stop_abandons_a_model_call_in_flight() -> None:
    control = Control()
    release = threading.Event()
    entered = threading.Event()

    def hung_call() -> str:
        entered.set()
        release.wait(30)
        return "too late"

    threading.Thread(target=lambda: (entered.wait(5), control.stop()), daemon=True).start()
    with pytest.raises(Cancelled):
        control.call(hung_call)
    assert control.stopped
    release.set()
    with pytest.raises(Cancelled):
        control.call(lambda: "never runs")


def test_call_returns_values_and_reraises_errors() -> None:
    control = Control()
    assert control.call(lambda: 42) == 42

    def failing() -> None:
        raise ProviderError("boom")

    with pytest.raises(ProviderError, match="boom"):
        control.call(failing)


def test_pause_holds_the_checkpoint_until_resume_or_stop() -> None:
    control = Control()
    assert control.checkpoint() is False
    control.pause()
    assert control.paused
    passed = threading.Event()
    result: list[bool] = []
    worker = threading.Thread(target=lambda: (result.append(control.checkpoint()), passed.set()))
    worker.start()
    assert not passed.wait(0.2)  # still held
    control.resume()
    assert passed.wait(5)
    assert result == [False]
    control.pause()
    passed.clear()
    worker = threading.Thread(target=lambda: (result.append(control.checkpoint()), passed.set()))
    worker.start()
    control.stop()
    assert passed.wait(5)
    assert result == [False, True]
    assert not control.paused
