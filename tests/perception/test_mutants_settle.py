"""Settle detection counts only consecutive equal captures, each against the one before."""

from __future__ import annotations

import pytest

from mobile_agent.perception import wait_for_settle
from mobile_agent.perception.artifacts import Screen

from ._corpus import read_xml
from .test_settle import ManualTime, replay, screen


@pytest.fixture
def feed() -> Screen:
    return screen(read_xml("video_youtube_home_feed.xml"))


@pytest.fixture
def store() -> Screen:
    return screen(read_xml("store_google_play_app_details_compose.xml"))


def test_equal_captures_apart_do_not_add_up(feed: Screen, store: Screen) -> None:
    """feed, feed, store, feed, feed, feed: two equal, a change, then three equal in a row —
    settled only at the sixth capture."""
    t = ManualTime()
    captures = [feed, feed, store, feed, feed, feed, store]
    result = wait_for_settle(
        replay(captures, t), stable_captures=3, max_wait_s=5, clock=t.clock, sleep=t.sleep
    )
    assert result.settled
    assert result.captures == 6
    assert result.screen is feed


def test_a_screen_coming_back_is_not_stable_with_its_earlier_self(
    feed: Screen, store: Screen
) -> None:
    """Each capture is compared with the one just before it, not with the first."""
    t = ManualTime()
    captures = [feed, store, feed, store, feed, store, feed, store] * 10
    result = wait_for_settle(replay(captures, t), max_wait_s=0.5, clock=t.clock, sleep=t.sleep)
    assert not result.settled
    assert result.captures > 5


def test_settled_in_the_given_time_with_its_waiting_counted(feed: Screen, store: Screen) -> None:
    t = ManualTime()
    result = wait_for_settle(
        replay([store, feed, feed], t, cost_s=0.1), interval_s=0.05, clock=t.clock, sleep=t.sleep
    )
    assert result.settled and result.captures == 3
    assert t.slept == []  # each capture took longer than the polling interval
    assert result.waited_ms == pytest.approx(300)  # three captures of 0.1 s


def test_one_stable_capture_wanted_is_the_first(store: Screen) -> None:
    t = ManualTime()
    result = wait_for_settle(replay([store], t), stable_captures=1, clock=t.clock, sleep=t.sleep)
    assert result.settled and result.captures == 1 and t.slept == []
