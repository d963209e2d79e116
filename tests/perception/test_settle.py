"""Settle detection over sequences of real captures (corpus dumps and screenshots)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image, ImageDraw

from mobile_agent.perception import screen_signature, screens_equal, wait_for_settle
from mobile_agent.perception.artifacts import Screen

from ._corpus import read_png, read_xml


def screen(xml: str, png: bytes = b"") -> Screen:
    return Screen(png=png, hierarchy_xml=xml, width=1080, height=2400)


class ManualTime:
    """A clock the test advances: captures cost time, sleeping moves it forward."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def replay(screens: list[Screen], time: ManualTime, cost_s: float = 0.02) -> Callable[[], Screen]:
    """A capture function that returns `screens` in turn, then repeats the last one."""
    items = iter(screens)
    last = screens[-1]

    def capture() -> Screen:
        time.now += cost_s
        return next(items, last)

    return capture


@pytest.fixture
def feed() -> Screen:
    return screen(read_xml("video_youtube_home_feed.xml"))


@pytest.fixture
def store() -> Screen:
    return screen(read_xml("store_google_play_app_details_compose.xml"))


def test_settles_when_the_screen_stops_changing(feed: Screen, store: Screen) -> None:
    t = ManualTime()
    loading = [feed, store, store, store]  # the app changes once, then stays
    result = wait_for_settle(replay(loading, t), clock=t.clock, sleep=t.sleep)
    assert result.settled and result.screen is store
    assert result.captures == 3  # feed, store (changed), store (equal) → stable
    assert all(0 < s <= 0.05 for s in t.slept), "only the rest of the polling interval"


def test_first_capture_counts_towards_stability(feed: Screen) -> None:
    t = ManualTime()
    result = wait_for_settle(replay([feed], t), first=feed, clock=t.clock, sleep=t.sleep)
    assert result.settled and result.captures == 1


def test_more_stable_captures_wanted(feed: Screen, store: Screen) -> None:
    t = ManualTime()
    result = wait_for_settle(
        replay([store, feed, feed, feed, feed], t), stable_captures=3, clock=t.clock, sleep=t.sleep
    )
    assert result.settled and result.captures == 4 and result.screen is feed


def test_gives_up_on_a_screen_that_keeps_changing(feed: Screen, store: Screen) -> None:
    t = ManualTime()
    flipping = [feed, store] * 200
    result = wait_for_settle(replay(flipping, t), max_wait_s=1.0, clock=t.clock, sleep=t.sleep)
    assert not result.settled
    assert 1000 <= result.waited_ms < 1100
    assert result.screen in (feed, store) and result.captures > 10


def test_real_clock_gives_up_too(feed: Screen, store: Screen) -> None:
    flipping = iter([feed, store] * 1000)
    result = wait_for_settle(lambda: next(flipping), max_wait_s=0.2, interval_s=0.01)
    assert not result.settled and result.captures >= 2


def test_clock_battery_and_status_bar_changes_are_not_changes() -> None:
    xml = read_xml("shop_avito_search_keyboard_open_cyrillic.xml")
    assert 'text="17:52"' in xml
    later = xml.replace('text="17:52"', 'text="17:53"').replace(
        "заряд в процентах: 100", "заряд в процентах: 99"
    )
    assert later != xml and screens_equal(screen(xml), screen(later))
    typed = xml.replace('text="littlest pet shop"', 'text="littlest pet shops"')
    assert not screens_equal(screen(xml), screen(typed))
    amap = read_xml("pair_amap_navigation_chinese.xml")  # an app-drawn status bar clock
    assert "上午10:10" in amap
    assert screens_equal(screen(amap), screen(amap.replace("上午10:10", "上午10:11")))


def test_hierarchy_comparison_is_the_screen_signature() -> None:
    xml = read_xml("settings_app_alarms_reminders_special_access_1344x2992.xml")
    toggled = xml.replace('checked="true"', 'checked="false"')
    for a, b in ((xml, xml), (xml, toggled), (xml, "")):
        same = screen_signature(screen(a)) == screen_signature(screen(b))
        assert screens_equal(screen(a), screen(b)) is same
    assert not screens_equal(screen(xml), screen(toggled))


def _edited(png: bytes, box: tuple[int, int, int, int]) -> bytes:
    with Image.open(io.BytesIO(png)) as img:
        image = img.convert("RGB")
    ImageDraw.Draw(image).rectangle(box, fill=(255, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_image_comparison_ignores_the_status_bar_but_not_the_content() -> None:
    png = read_png("pair_react_native_otp_login_form.png")
    xml = read_xml("pair_react_native_otp_login_form.xml")
    clock_changed = _edited(png, (30, 5, 130, 55))  # inside the status bar
    dialog_opened = _edited(png, (100, 900, 980, 1500))
    base = screen(xml, png)
    assert screens_equal(base, screen(xml, clock_changed), "image")
    assert not screens_equal(base, screen(xml, dialog_opened), "image")
    assert not screens_equal(base, screen(xml, dialog_opened), "both")
    assert screens_equal(base, screen(xml, dialog_opened), "hierarchy")
    with pytest.raises(ValueError, match="compare"):
        screens_equal(base, base, "pixels")
