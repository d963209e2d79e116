"""A virtual phone of another screen size: the apps lay out at that size, touches land where
its pixels say, and every report of the display (wm, dumpsys, uiautomator2, screenshots,
hierarchy bounds) gives that size."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import free_port, run_adb
from PIL import Image

from virtual_phone.contract import NodeInfo
from virtual_phone.display import Display
from virtual_phone.phone import Phone
from virtual_phone.server import VirtualPhoneServer
from virtual_phone.ui.hierarchy import iter_nodes

NOTES = "com.example.notes"
BOUNDS = re.compile(r'bounds="\[(\d+),(\d+)\]\[(\d+),(\d+)\]"')


def node(phone: Phone, **attrs: str) -> NodeInfo:
    found = [
        n for n in iter_nodes(phone.nodes()) if all(getattr(n, k) == v for k, v in attrs.items())
    ]
    assert found, f"no node with {attrs}"
    return found[0]


def tap_node(phone: Phone, **attrs: str) -> None:
    left, top, right, bottom = node(phone, **attrs).bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)


def test_a_small_phone_lays_out_its_apps_in_its_own_pixels() -> None:
    phone = Phone(size=(720, 1600))
    assert (phone.width, phone.height, phone.density_dpi) == (720, 1600, 280)
    phone.start_app(NOTES)
    assert phone.screenshot().size == (720, 1600)
    assert Image.open(io.BytesIO(phone.screenshot_png())).size == (720, 1600)
    boxes = [tuple(map(int, m)) for m in BOUNDS.findall(phone.hierarchy_xml())]
    assert boxes and all(0 <= x1 < x2 <= 720 and 0 <= y1 < y2 <= 1600 for x1, y1, x2, y2 in boxes)
    assert node(phone, resource_id="com.android.systemui:id/navigation_bar_frame").bounds == (
        0,
        1516,
        720,
        1600,
    )
    # the same dp layout as the 1080x2400 phone, two thirds of its pixels
    big = Phone()
    big.start_app(NOTES)
    small_fab = node(phone, content_desc="New note").bounds
    big_fab = node(big, content_desc="New note").bounds
    assert small_fab == tuple(round(v * 2 / 3) for v in big_fab)
    drawn = [t.bounds for t in phone.screen_texts()]
    assert drawn and all(right <= 720 and bottom <= 1600 for _, _, right, bottom in drawn)


def test_touches_in_pixels_reach_the_views_under_them() -> None:
    phone = Phone(size=(720, 1600))
    tap_node(phone, text="Notes")  # the launcher icon
    assert phone.current()[0] == NOTES
    tap_node(phone, content_desc="New note")
    tap_node(phone, hint="Title")
    phone.input_text("Groceries")
    assert phone.keyboard_shown
    tap_node(phone, text="Save")
    assert "Groceries" in [n["title"] for n in phone.app_state(NOTES)["notes"]]
    phone.press_key("home")
    phone.swipe(360, 20, 360, 700)  # from the top edge, in pixels: the shade comes down
    assert node(phone, resource_id="com.android.systemui:id/notification_shade")


def test_a_longer_screen_shows_more_in_the_same_width() -> None:
    short, long = Phone(size=(1080, 1920)), Phone(size=(1080, 2640))
    for phone in (short, long):
        phone.start_app("com.android.settings")
    nav = "com.android.systemui:id/navigation_bar_frame"
    assert node(short, resource_id=nav).bounds == (0, 1794, 1080, 1920)
    assert node(long, resource_id=nav).bounds == (0, 2514, 1080, 2640)
    rows = [len(list(iter_nodes(p.nodes()))) for p in (short, long)]
    assert rows[0] < rows[1]  # the list shows more rows on the longer screen


@pytest.mark.parametrize("size", [(100, 200), (1600, 720), (720, 720), (5000, 9000), (720.5, 1600)])
def test_sizes_it_cannot_simulate_are_refused(size: Any) -> None:
    with pytest.raises(ValueError, match=r"not supported|whole numbers"):
        Phone(size=size)


def test_sizes_are_read_from_text() -> None:
    assert Display.parse(" 720x1600 ").size == (720, 1600)
    assert Display.parse("1080X2400").density_dpi == 420
    for bad in ("720", "720x", "x1600", "wide", "720x1600x2"):
        with pytest.raises(ValueError, match="WIDTHxHEIGHT"):
            Display.parse(bad)
    with pytest.raises(ValueError, match="differs"):
        VirtualPhoneServer(phone=Phone(), size=(720, 1600))


@pytest.fixture
def small_phone() -> Iterator[VirtualPhoneServer]:
    server = VirtualPhoneServer(port=free_port(), size=(720, 1600)).start()
    out = run_adb("connect", server.serial)
    assert b"connected" in out.stdout, out
    try:
        yield server
    finally:
        run_adb("disconnect", server.serial)
        server.stop()


def _shell(serial: str, command: str) -> str:
    done = run_adb("-s", serial, "shell", command)
    assert done.returncode == 0, done
    return done.stdout.decode()


@pytest.mark.e2e
def test_adb_and_uiautomator2_see_the_size(small_phone: VirtualPhoneServer) -> None:
    import uiautomator2 as u2

    serial = small_phone.serial
    assert _shell(serial, "wm size").strip() == "Physical size: 720x1600"
    assert _shell(serial, "wm density").strip() == "Physical density: 280"
    assert _shell(serial, "getprop ro.sf.lcd_density").strip() == "280"
    display = _shell(serial, "dumpsys display")
    assert "720 x 1600" in display and "density 280" in display
    png = run_adb("-s", serial, "exec-out", "screencap", "-p").stdout
    assert Image.open(io.BytesIO(png)).size == (720, 1600)

    d = u2.connect(serial)
    assert (d.info["displayWidth"], d.info["displayHeight"]) == (720, 1600)
    assert d.window_size() == (720, 1600)
    d(text="Notes").click()
    assert d(description="New note").wait(timeout=5)
    assert small_phone.phone.current()[0] == NOTES
