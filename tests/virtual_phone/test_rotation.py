"""Landscape for real: rotated through `settings` (auto-rotate off) or uiautomator2, the
screen is laid out a quarter turn round, the screenshot is height × width, bounds and taps
are in landscape pixels, and every probe a harness reads says so."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from conftest import run_adb, served_phone
from PIL import Image

from virtual_phone.compositor import clock
from virtual_phone.phone import Phone
from virtual_phone.server import VirtualPhoneServer
from virtual_phone.ui.hierarchy import find_node, iter_nodes

NOTES = "com.example.notes"
BOUNDS = re.compile(r'bounds="\[(\d+),(\d+)\]\[(\d+),(\d+)\]"')


@pytest.fixture(scope="module")
def served() -> Iterator[VirtualPhoneServer]:
    with served_phone() as server:
        yield server


def sh(serial: str, command: str) -> str:
    done = run_adb("-s", serial, "shell", command)
    assert done.returncode == 0, done
    return done.stdout.decode()


def boxes(xml: str) -> list[tuple[int, ...]]:
    return [tuple(map(int, m)) for m in BOUNDS.findall(xml)]


@pytest.mark.e2e
def test_user_rotation_lays_the_screen_out_in_landscape(served: VirtualPhoneServer) -> None:
    serial, phone = served.serial, served.phone
    phone.reset()
    phone.start_app(NOTES)
    assert sh(serial, "settings get system accelerometer_rotation").strip() == "0"
    sh(serial, "settings put system user_rotation 1")
    png = run_adb("-s", serial, "exec-out", "screencap", "-p").stdout
    assert Image.open(io.BytesIO(png)).size == (2400, 1080)
    sh(serial, "uiautomator dump /sdcard/land.xml")
    xml = phone.fs.read("/sdcard/land.xml").decode()
    assert '<hierarchy rotation="1">' in xml
    found = boxes(xml)
    assert max(b[2] for b in found) == 2400 and max(b[3] for b in found) == 1080
    assert all(0 <= x1 <= x2 <= 2400 and 0 <= y1 <= y2 <= 1080 for x1, y1, x2, y2 in found)
    # a tap at a node's landscape centre reaches it
    fab = next(n for n in ET.fromstring(xml).iter("node") if n.get("content-desc") == "New note")
    x1, y1, x2, y2 = boxes(f'bounds="{fab.get("bounds")}"')[0]
    sh(serial, f"input tap {(x1 + x2) // 2} {(y1 + y2) // 2}")
    assert phone.current()[1].endswith("EditorActivity")
    # the probes
    assert sh(serial, "wm size").strip() == "Physical size: 1080x2400"  # the panel's own size
    assert "SurfaceOrientation: 1" in sh(serial, "dumpsys input")
    window = sh(serial, "dumpsys window displays")
    assert "mCurrentRotation=ROTATION_90" in window and "cur=2400x1080" in window
    assert "orientation=1" in sh(serial, "dumpsys display")
    # auto-rotate on: the upright phone's sensor wins over user_rotation
    sh(serial, "settings put system accelerometer_rotation 1")
    assert phone.rotation == 0 and phone.screenshot().size == (1080, 2400)
    sh(serial, "settings put system accelerometer_rotation 0")
    assert phone.rotation == 1
    sh(serial, "settings put system user_rotation 0")
    assert phone.screenshot().size == (1080, 2400)
    sh(serial, "wm user-rotation lock 3")  # the same through the window manager
    assert sh(serial, "wm user-rotation") == "lock 3\n"
    assert phone.rotation == 3 and phone.screenshot().size == (2400, 1080)
    sh(serial, "wm user-rotation free")
    assert phone.rotation == 0


@pytest.mark.e2e
def test_uiautomator2_set_orientation_rotates_the_layout(served: VirtualPhoneServer) -> None:
    import uiautomator2 as u2

    served.phone.reset()
    d = u2.connect(served.serial)
    d.app_start(NOTES)
    d.set_orientation("l")
    try:
        assert d.info["displayRotation"] == 1
        assert d.window_size() == (2400, 1080)
        assert d.screenshot().size == (2400, 1080)
        assert 'rotation="1"' in d.dump_hierarchy()
        d(description="New note").click()
        assert d(text="Save").wait(timeout=5)
    finally:
        d.set_orientation("n")
    assert d.window_size() == (1080, 2400)


def texts(phone: Phone, package: str) -> set[str]:
    return {n.text for n in iter_nodes(phone.nodes()) if n.package == package and n.text}


def reachable_texts(phone: Phone, package: str, wanted: set[str]) -> set[str]:
    """The texts of `wanted` an app shows, scrolling its scrollable views towards their
    ends until all are seen."""
    seen = texts(phone, package) & wanted
    while seen != wanted and scroll_once(phone, package):
        seen |= texts(phone, package) & wanted
    return seen


def scroll_once(phone: Phone, package: str) -> bool:
    """Scroll the first of the app's scrollable views that can still move."""
    scrollers = [n for n in iter_nodes(phone.nodes()) if n.scrollable and n.package == package]
    return any(phone.scroll_node(n.key, forward=True) for n in scrollers)


@pytest.fixture(scope="module")
def tall_texts() -> dict[str, set[str]]:
    """What each app shows on a screen tall enough for all of it (in layout units)."""
    tall = Phone(size=(1080, 4096))
    shown = {}
    for app in tall.launcher_apps():
        tall.start_app(app.package)
        shown[app.package] = texts(tall, app.package) - {clock()}
        tall.press_key("home")
    return shown


@pytest.mark.parametrize(
    ("size", "density", "rotation"),
    [((1080, 2400), None, 1), ((720, 1600), 320, 0), ((720, 1600), 320, 3)],
)
def test_every_app_lays_out_on_the_screen(
    size: tuple[int, int], density: int | None, rotation: int, tall_texts: dict[str, set[str]]
) -> None:
    phone = Phone(size=size, density=density)
    phone.set_rotation(rotation)
    width, height = phone.display.size_at(rotation)
    assert phone.screenshot().size == (width, height)
    for app in phone.launcher_apps():
        phone.start_app(app.package)
        assert phone.current()[0] == app.package
        nodes = list(iter_nodes(phone.nodes()))
        assert all(
            0 <= n.bounds[0] <= n.bounds[2] <= width and 0 <= n.bounds[1] <= n.bounds[3] <= height
            for n in nodes
        ), app.package
        clickable = [n for n in nodes if n.clickable and n.package == app.package]
        assert clickable, f"{app.package} shows nothing to tap at {size} r{rotation}"
        wanted = tall_texts[app.package] - {clock()}  # the clock may have moved on since
        missing = wanted - reachable_texts(phone, app.package, wanted)
        assert not missing, f"{app.package} at {size} r{rotation}: unreachable {missing}"
        phone.press_key("home")


def test_the_keyboard_takes_the_landscape_screen_in_extract_mode() -> None:
    phone = Phone()
    phone.set_rotation(1)
    phone.start_app(NOTES)
    for attrs in ({"content_desc": "New note"}, {"hint": "Title"}):
        node = find_node(phone.nodes(), **attrs)
        assert node is not None
        x1, y1, x2, y2 = node.bounds
        phone.tap((x1 + x2) / 2, (y1 + y2) / 2)
    assert phone.keyboard_shown
    phone.input_text("Landscape")
    extract = find_node(phone.nodes(), resource_id="android:id/inputExtractEditText")
    assert extract is not None and extract.text == "Landscape" and extract.focused
    x1, y1, x2, y2 = extract.bounds
    phone.tap((x1 + x2) / 2, (y1 + y2) / 2)  # a tap on the copy keeps the app field's focus
    phone.input_text("!")
    field = find_node(phone.nodes(), resource_id=f"{NOTES}:id/title")
    assert field is not None and field.text == "Landscape!"
    keys = [n for n in iter_nodes(phone.nodes()) if n.package.endswith("inputmethod.latin")]
    assert max(n.bounds[2] for n in keys) == 2400
    done = find_node(phone.nodes(), resource_id="android:id/inputExtractAction")
    assert done is not None and done.text == "Done"
    x1, y1, x2, y2 = done.bounds
    phone.tap((x1 + x2) / 2, (y1 + y2) / 2)
    assert not phone.keyboard_shown
