"""Settle detection over sequences of real captures, with a fake clock (no sleeping)."""

from __future__ import annotations

from collections.abc import Callable

from mobile_agent.device.base import Screen
from mobile_agent.perception import screens_equal, wait_for_settle
from tests.perception.conftest import corpus_xml


def screen(xml: str) -> Screen:
    return Screen(png=b"", hierarchy_xml=xml, width=1080, height=2400)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def sequence(screens: list[Screen], time: FakeTime, cost_s: float = 0.02) -> Callable[[], Screen]:
    items = iter(screens)
    last = screens[-1]

    def capture() -> Screen:
        time.now += cost_s
        return next(items, last)

    return capture


def test_settles_once_two_consecutive_captures_match() -> None:
    a, b = (
        screen(corpus_xml("video_youtube_home_feed.xml")),
        screen(corpus_xml("store_google_play_app_details_compose.xml")),
    )
    t = FakeTime()
    result = wait_for_settle(sequence([b, b, b], t), first=a, clock=t.clock, sleep=t.sleep)
    assert result.settled and result.screen is b
    assert result.captures == 2  # b (changed), b (same) → stable


def test_gives_up_after_max_wait_on_a_screen_that_keeps_changing() -> None:
    a, b = (
        screen(corpus_xml("video_youtube_home_feed.xml")),
        screen(corpus_xml("store_google_play_app_details_compose.xml")),
    )
    t = FakeTime()
    flipping = [a, b] * 100
    result = wait_for_settle(sequence(flipping, t), max_wait_s=1.0, clock=t.clock, sleep=t.sleep)
    assert not result.settled
    assert 1000 <= result.waited_ms < 1200


def test_static_screen_costs_one_extra_capture() -> None:
    a = screen(corpus_xml("dialog_anr_system_ui_not_responding.xml"))
    t = FakeTime()
    result = wait_for_settle(sequence([a], t), first=a, clock=t.clock, sleep=t.sleep)
    assert result.settled and result.captures == 1
    assert result.waited_ms < 100


def test_clock_and_battery_changes_do_not_count_as_changes() -> None:
    xml = corpus_xml("shop_avito_search_keyboard_open_cyrillic.xml")
    assert 'text="17:52"' in xml
    later = xml.replace('text="17:52"', 'text="17:53"')
    assert screens_equal(screen(xml), screen(later))
    assert not screens_equal(
        screen(xml), screen(xml.replace("littlest pet shop", "littlest pet shops"))
    )
    assert not screens_equal(
        Screen(png=b"a", hierarchy_xml=xml, width=1, height=1),
        Screen(png=b"b", hierarchy_xml=xml, width=1, height=1),
        compare="both",
    )
