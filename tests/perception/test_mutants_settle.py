"""Settle detection counts only consecutive equal captures, each against the one before."""

from __future__ import annotations

import io
import logging

import pytest
from PIL import Image

from mobile_agent.perception import screens_equal, wait_for_settle
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


def _grey(value: int, height: int = 128, dot: tuple[int, int, int] | None = None) -> Screen:
    """A uniform grey screenshot as wide as a thumbnail (so the thumbnail is its pixels),
    with one pixel `dot` = (x, y, value) changed."""
    image = Image.new("L", (64, height), value)
    if dot is not None:
        image.putpixel(dot[:2], dot[2])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return Screen(png=out.getvalue(), hierarchy_xml="", width=64, height=height)


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (_grey(100), True),
        (_grey(101), True),  # a mean difference of 1 is still the same screen
        (_grey(102), False),
        (_grey(100, dot=(10, 100, 148)), True),  # one pixel 48 levels off
        (_grey(100, dot=(10, 100, 149)), False),  # 49 levels: something appeared
        (_grey(100, dot=(10, 2, 255)), True),  # in the status-bar strip: ignored
    ],
)
def test_image_comparison_thresholds(other: Screen, same: bool) -> None:
    assert screens_equal(_grey(100), other, "image") is same


def test_images_of_different_sizes_differ_even_with_as_many_pixels() -> None:
    # 19 rows without a status-bar strip, 20 rows less one: the same number of pixels
    assert not screens_equal(_grey(100, height=19), _grey(100, height=20), "image")


def test_unreadable_and_missing_screenshots() -> None:
    def raw(png: bytes) -> Screen:
        return Screen(png=png, hierarchy_xml="", width=0, height=0)

    assert screens_equal(raw(b"junk-1"), raw(b"junk-1"), "image")
    assert not screens_equal(raw(b"junk-1"), raw(b"junk-2"), "image")  # bytes, exactly
    assert screens_equal(raw(b""), raw(b""), "image")
    assert not screens_equal(raw(b""), _grey(100), "image")
    assert not screens_equal(_grey(100), raw(b""), "image")


class LateTime(ManualTime):
    """A manual clock that does not start at zero."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 100.0


def test_the_rest_of_the_polling_interval_is_slept(feed: Screen, store: Screen) -> None:
    t = LateTime()
    result = wait_for_settle(replay([feed, store, store], t), clock=t.clock, sleep=t.sleep)
    assert result.settled is True and result.captures == 3
    assert t.slept == [pytest.approx(0.03), pytest.approx(0.03)]  # 0.05 less 0.02 per capture
    assert result.waited_ms == pytest.approx(120)


def test_no_pause_is_slept_past_the_deadline(feed: Screen, store: Screen) -> None:
    t = LateTime()
    flipping = [feed, store] * 10
    result = wait_for_settle(replay(flipping, t), max_wait_s=0.04, clock=t.clock, sleep=t.sleep)
    assert result.settled is False
    assert t.slept == [pytest.approx(0.02)]  # 0.04 less the first capture's 0.02
    assert result.captures == 2
    assert result.waited_ms == pytest.approx(60)


def test_giving_up_exactly_at_the_deadline(feed: Screen, store: Screen) -> None:
    t = ManualTime()
    flipping = [feed, store] * 10
    result = wait_for_settle(
        replay(flipping, t, cost_s=0.25), max_wait_s=1.0, clock=t.clock, sleep=t.sleep
    )
    assert result.settled is False and result.captures == 4
    assert result.waited_ms == pytest.approx(1000)


def test_no_zero_second_sleeps(feed: Screen) -> None:
    t = ManualTime()
    result = wait_for_settle(replay([feed], t, cost_s=0.05), clock=t.clock, sleep=t.sleep)
    assert result.settled and t.slept == []


def test_a_capture_already_taken_is_compared_with_the_next(feed: Screen, store: Screen) -> None:
    t = ManualTime()
    result = wait_for_settle(replay([feed, feed], t), first=store, clock=t.clock, sleep=t.sleep)
    assert result.settled and result.captures == 2 and result.screen is feed


def test_image_comparison_looks_at_the_image_only(feed: Screen, store: Screen) -> None:
    png = _grey(100).png
    one = Screen(png=png, hierarchy_xml=feed.hierarchy_xml, width=64, height=128)
    other = Screen(png=png, hierarchy_xml=store.hierarchy_xml, width=64, height=128)
    assert screens_equal(one, other, "image")
    assert not screens_equal(one, other, "both")


def test_by_default_a_changing_screen_is_given_three_seconds(
    feed: Screen, store: Screen, caplog: pytest.LogCaptureFixture
) -> None:
    t = ManualTime()
    with caplog.at_level(logging.DEBUG, logger="mobile_agent.perception.settle"):
        result = wait_for_settle(replay([feed, store] * 200, t), clock=t.clock, sleep=t.sleep)
    assert result.settled is False
    assert 3000 <= result.waited_ms < 3100
    assert [r.getMessage() for r in caplog.records] == [
        f"screen still changing after {result.captures} captures"
    ]
