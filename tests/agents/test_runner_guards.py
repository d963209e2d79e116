"""Loop detection, limits from settings, and thread-safe run control."""

from __future__ import annotations

import threading

import pytest

from mobile_agent.config import Settings, load_settings
from mobile_agent.runner import Control, LoopDetector, RunLimits

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


def test_old_repeats_fall_out_of_the_history() -> None:
    loops = LoopDetector(window=3)
    loops.record("S", SWIPE, "S")
    loops.record("S", SWIPE, "S")
    for _ in range(4 * 3 - 1):  # the first attempt ages out; one identical attempt stays
        loops.record_nothing()
    assert not loops.check("S", SWIPE)


def test_the_same_attempt_with_different_results_is_not_a_loop() -> None:
    loops = LoopDetector(window=3)
    loops.record("S", "wait()", "S")
    loops.record("S", "wait()", "T")  # the screen moved on by itself
    assert not loops.check("S", "wait()")


@pytest.mark.parametrize(
    "cycle",
    [
        [("A", "scroll(down)", "B"), ("B", "scroll(up)", "A")],
        [("A", "home()", "H"), ("H", "back()", "A")],
        [("A", "tap(1)", "B"), ("B", "tap(2)", "C"), ("C", "back()", "A")],
    ],
    ids=["scroll-down-up", "home-back", "three-actions"],
)
def test_short_cycles_are_caught_at_their_third_round(cycle: list[tuple[str, str, str]]) -> None:
    loops = LoopDetector(window=3)
    flagged_at = None
    for index in range(3 * len(cycle)):
        before, key, after = cycle[index % len(cycle)]
        if loops.check(before, key):
            flagged_at = index
            break
        loops.record(before, key, after)
    assert flagged_at == 2 * len(cycle)  # the first attempt of the third round


def test_paging_through_a_long_list_is_never_a_loop() -> None:
    loops = LoopDetector(window=3)
    for page in range(40):
        assert not loops.check(f"page{page}", "scroll(down)")
        loops.record(f"page{page}", "scroll(down)", f"page{page + 1}")


def test_seen_tells_screens_met_recently() -> None:
    loops = LoopDetector(window=3)
    loops.record("A", "tap(1)", "B")
    assert loops.seen("A")
    assert loops.seen("B")
    assert not loops.seen("C")


def test_limit_defaults_are_the_settings_defaults() -> None:
    defaults, limits = Settings(), RunLimits()
    names = ("max_steps", "max_wall_s", "max_cost_usd", "max_consecutive_failures")
    for name in (*names, "history_steps", "settle_max_s"):
        assert getattr(limits, name) == getattr(defaults, name), name


def test_limits_come_from_settings_with_overrides() -> None:
    settings = load_settings({"max_steps": 7, "max_cost_usd": 0.5, "history_steps": 3})
    limits = RunLimits.from_settings(settings, max_steps=9, max_wall_s=None)
    assert (limits.max_steps, limits.max_cost_usd, limits.history_steps) == (9, 0.5, 3)
    assert limits.max_wall_s == settings.max_wall_s
    assert limits.to_dict()["max_steps"] == 9


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


def test_a_stop_while_paused_releases_the_checkpoint() -> None:
    control = Control()
    control.stop()
    control.pause()  # a late pause must not hold a stopped run
    assert control.checkpoint() is True
