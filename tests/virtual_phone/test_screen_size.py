"""A virtual phone of another screen size: the apps lay out at that size, touches land where
its pixels say, and every report of the display (wm, dumpsys, uiautomator2, screenshots,
hierarchy bounds) gives that size."""

from __future__ import annotations

import io
import re
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


def test_a_density_lays_the_apps_out_in_its_dp() -> None:
    phone = Phone(size=(720, 1600), density=320)  # 360 x 800 dp
    assert phone.display.layout_size == (945, 2100)
    phone.start_app(NOTES)
    assert phone.screenshot().size == (720, 1600)
    nav = node(phone, resource_id="com.android.systemui:id/navigation_bar_frame").bounds
    assert nav == (0, 1600 - round(126 * 320 / 420), 720, 1600)  # 48 dp at 320 dpi
    tap_node(phone, content_desc="New note")
    assert phone.current()[1].endswith("EditorActivity")


@pytest.mark.parametrize(
    ("size", "density"), [((720, 1600), 100), ((720, 1600), 900), ((720, 1600), 481)]
)
def test_densities_it_cannot_simulate_are_refused(size: tuple[int, int], density: int) -> None:
    with pytest.raises(ValueError, match="dpi"):
        Phone(size=size, density=density)


def test_sim_start_refuses_a_density_with_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from mobile_agent.cli import main

    assert main(["sim", "start", "--port", "0", "--size", "720x1600", "--density", "600"]) == 2
    assert "too dense for a 720-pixel-wide screen" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["sim", "start", "--density", "high"])
    assert "not a density" in capsys.readouterr().err


def _shell(serial: str, command: str) -> str:
    done = run_adb("-s", serial, "shell", command)
    assert done.returncode == 0, done
    return done.stdout.decode()


@pytest.mark.e2e
def test_sim_start_serves_the_size_and_density_to_adb_and_uiautomator2() -> None:
    import uiautomator2 as u2
    from test_sim_cli import sim_process

    port = free_port()
    serial = f"127.0.0.1:{port}"
    with sim_process(port, "--size", "720x1600", "--density", "320"):
        assert b"connected" in run_adb("connect", serial).stdout
        try:
            assert _shell(serial, "wm size").strip() == "Physical size: 720x1600"
            assert _shell(serial, "wm density").strip() == "Physical density: 320"
            assert _shell(serial, "wm size reset && wm density reset") == ""
            assert _shell(serial, "getprop ro.sf.lcd_density").strip() == "320"
            display = _shell(serial, "dumpsys display")
            assert "720 x 1600" in display and "density 320" in display
            png = run_adb("-s", serial, "exec-out", "screencap", "-p").stdout
            assert Image.open(io.BytesIO(png)).size == (720, 1600)
            d = u2.connect(serial)
            info = d.info
            assert (info["displayWidth"], info["displayHeight"]) == (720, 1600)
            assert (info["displaySizeDpX"], info["displaySizeDpY"]) == (360, 800)
            assert d.window_size() == (720, 1600)
            d(text="Notes").click()
            assert d(description="New note").wait(timeout=5)
            assert d.app_current()["package"] == NOTES
        finally:
            run_adb("disconnect", serial)
