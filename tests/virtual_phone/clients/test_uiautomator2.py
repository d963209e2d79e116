"""uiautomator2's public Python API against the virtual phone.

Source: github.com/openatx/uiautomator2 (the installed 3.7.1: `uiautomator2/__init__.py`,
`_selector.py`, `_input.py`, `xpath.py`): the calls agents make on `u2.connect(serial)`, each
answered by the phone's u2 server over `tcp:9008` or by its shell.
"""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from .device import LAUNCHER, NOTES, SEARCH, Client

pytestmark = pytest.mark.e2e

CLIENT = "uiautomator2 (public API)"
SETTINGS = "com.android.settings"
LIST = "androidx.recyclerview.widget.RecyclerView"


@pytest.fixture
def d(client: Client, client_u2: Any) -> Any:
    """The package's uiautomator2 device, its phone freshly reset."""
    return client_u2


def test_info_window_size_and_device_info(client: Client, d: Any) -> None:
    # d.info (deviceInfo), d.window_size() (wm size), d.device_info (getprop)
    client.note("u2: d.info; d.window_size(); d.device_info")
    info = d.info
    assert (info["displayWidth"], info["displayHeight"], info["sdkInt"]) == (1080, 2400, 34)
    assert info["currentPackageName"] == LAUNCHER
    assert d.window_size() == (1080, 2400)
    assert d.device_info["model"] == "Pixel 7"


def test_app_start_current_and_stop(client: Client, d: Any) -> None:
    # d.app_start (monkey), d.app_current (dumpsys window), d.app_stop (am force-stop)
    client.note("u2: d.app_start(pkg); d.app_current(); d.app_stop(pkg); d.app_list('-3')")
    d.app_start(NOTES)
    assert d.app_current()["package"] == NOTES
    assert d.app_current()["activity"] == f"{NOTES}.MainActivity"
    d.app_stop(NOTES)
    assert client.foreground() == LAUNCHER
    assert NOTES in d.app_list("-3")


def test_click_by_selector_and_xpath(client: Client, d: Any) -> None:
    # d(text=…).click() (waitForExists, objInfo, click) and d.xpath(…).click() (dump + click)
    client.note(
        "u2: d(text='Settings').click(); d.press('home'); d.xpath('//*[@text=\"Notes\"]').click()"
    )
    d(text="Settings").click()
    assert client.foreground() == SETTINGS
    d.press("home")
    d.xpath('//*[@text="Notes"]').click()
    assert client.foreground() == NOTES


def test_set_text_get_text_and_clear(client: Client, d: Any) -> None:
    # d(resourceId=…).set_text / get_text / clear_text (setText, getText, clearTextField)
    client.note("u2: d(resourceId=search).set_text('milk'); .get_text(); .clear_text()")
    d.app_start(NOTES)
    search = d(resourceId=SEARCH)
    search.set_text("milk")
    assert search.get_text() == "milk"
    assert client.text_of(SEARCH) == "milk"
    search.clear_text()
    assert client.text_of(SEARCH) == "Search notes"  # an empty field shows its hint


def test_send_keys_unicode_through_its_ime(client: Client, d: Any) -> None:
    # d.send_keys: installs and selects its AdbKeyboard, then the base64 broadcast
    client.note("u2: d(resourceId=search).click(); d.send_keys('Grüße 東京')")
    d.app_start(NOTES)
    d(resourceId=SEARCH).click()
    d.send_keys("Grüße 東京")
    assert client.text_of(SEARCH) == "Grüße 東京"


def test_swipe_scrolls_and_press_back(client: Client, d: Any) -> None:
    # d.swipe (swipe RPC), d.swipe_ext("up"), d.press("back")
    client.note("u2: d.swipe(540, 1800, 540, 900); d.swipe_ext('up', 0.3); d.press('back')")
    d.app_start(SETTINGS)
    before = client.titles()
    d.swipe(540, 1800, 540, 900, steps=20)
    client.assert_scrolled(before, 600)
    before = client.titles()
    d.swipe_ext("up", scale=0.3)
    client.assert_scrolled(before, 300)
    d.press("back")
    assert client.foreground() == LAUNCHER


def test_screenshot_and_dumps(client: Client, d: Any) -> None:
    # d.screenshot() (takeScreenshot), d.dump_hierarchy() (every window, system UI too),
    # d.dump_hierarchy(root_in_active=True) (the active window only)
    client.note("u2: d.screenshot(); d.dump_hierarchy(); d.dump_hierarchy(root_in_active=True)")
    d.app_start(NOTES)
    assert d.screenshot().size == (1080, 2400)
    everything = etree.fromstring(d.dump_hierarchy().encode())
    packages = {node.get("package") for node in everything.iter("node")}
    assert {NOTES, "com.android.systemui"} <= packages
    active = etree.fromstring(d.dump_hierarchy(root_in_active=True).encode())
    assert {node.get("package") for node in active.iter("node")} == {NOTES}


def test_orientation_landscape_lays_out_the_screen(client: Client, d: Any) -> None:
    # d.set_orientation("l") (setOrientation), d.orientation, d.window_size, d.screenshot
    client.note("u2: d.set_orientation('l'); d.orientation; d.window_size(); d.screenshot()")
    d.app_start(SETTINGS)
    d.set_orientation("l")
    assert d.orientation == "left"
    assert d.info["displayRotation"] == 1
    assert d.window_size() == (2400, 1080)
    assert d.screenshot().size == (2400, 1080)
    right = max(
        int(node.get("bounds").split("][")[1].split(",")[0])
        for node in etree.fromstring(d.dump_hierarchy().encode()).iter("node")
    )
    assert right == 2400


def test_notification_shade_and_toast(client: Client, d: Any) -> None:
    # d.open_notification(), d.toast.show / get_message
    client.note("u2: d.open_notification(); d.toast.show('hello'); d.toast.get_message()")
    d.open_notification()
    assert d(resourceId="com.android.systemui:id/notification_panel").wait(timeout=3)
    d.toast.show("hello", 1.0)
    assert d.toast.get_message(wait_timeout=2) == "hello"


def test_child_by_text_description_and_instance(client: Client, d: Any) -> None:
    # d(…).child_by_text / child_by_description / child_by_instance (childBy* RPCs)
    client.note(
        "u2: d(className=list).child_by_text(…); .child_by_instance(…);"
        " d(…).child_by_description(…)"
    )
    d.app_start(SETTINGS)
    listing = d(className=LIST)
    assert listing.child_by_text("Battery", resourceId="android:id/title").get_text() == "Battery"
    assert (
        listing.child_by_instance(0, resourceId="android:id/title").get_text()
        == "Network & internet"
    )
    d.press("home")
    workspace = d(resourceId=f"{LAUNCHER}:id/workspace")
    assert workspace.child_by_description("Notes", className="android.widget.TextView").exists


def test_pinch_and_gesture_rpcs_are_answered(client: Client, d: Any) -> None:
    # d(…).pinch_in / pinch_out / gesture (pinchIn, pinchOut, gesture RPCs)
    client.note("u2: d(scrollable=True).pinch_in(); .pinch_out(); .gesture(…)")
    d.app_start(SETTINGS)
    target = d(scrollable=True)
    target.pinch_in(percent=50, steps=10)
    target.pinch_out(percent=50, steps=10)
    target.gesture((400, 1200), (680, 1200), (200, 1200), (880, 1200), steps=10)
    assert client.foreground() == SETTINGS


def test_shell_through_u2(client: Client, d: Any) -> None:
    # d.shell(…): output and exit code (adbutils shell2 with "; echo X4EXIT:$?")
    client.note("u2: d.shell('getprop ro.product.model'); d.shell('ls /nope')")
    out = d.shell("getprop ro.product.model")
    assert (out.output, out.exit_code) == ("Pixel 7\n", 0)
    missing = d.shell("ls /nope")
    assert (missing.output, missing.exit_code) == ("ls: /nope: No such file or directory\n", 1)


def test_long_click_and_recent_apps(client: Client, d: Any) -> None:
    # d.long_click(x, y) (click with a duration) on an icon, d.press("recent")
    client.note("u2: d.long_click(x, y); d.press('home'); d.app_start(pkg); d.press('recent')")
    x, y = client.centre(text="Notes", package=LAUNCHER)
    d.long_click(x, y)
    assert d(text="App info").wait(timeout=3)
    d.press("home")
    d.app_start(NOTES)
    d.press("recent")
    assert client.foreground() == LAUNCHER
    assert d(description="Notes", packageName=LAUNCHER).wait(timeout=3)


def test_screen_off_on_and_clipboard(client: Client, d: Any) -> None:
    # d.screen_off() / d.screen_on() (sleep, wakeUp), d.clipboard (setClipboard/getClipboard)
    client.note("u2: d.screen_off(); d.info['screenOn']; d.screen_on(); d.clipboard = …")
    d.screen_off()
    assert d.info["screenOn"] is False
    d.screen_on()
    assert d.info["screenOn"] is True
    d.clipboard = "copied ✓"
    assert d.clipboard == "copied ✓"


def test_app_wait_and_running_apps(client: Client, d: Any) -> None:
    # d.app_start(wait=True) (monkey, then ps -A for the pid), d.app_list_running()
    client.note("u2: d.app_start(pkg, wait=True); d.app_list_running()")
    d.app_start(NOTES, wait=True)
    assert NOTES in d.app_list_running()
    assert client.foreground() == NOTES


def test_scroll_to_and_xpath_text(client: Client, d: Any) -> None:
    # d(scrollable=True).scroll.to(text=…) (scrollTo RPC), d.xpath(…).get_text()
    client.note("u2: d(scrollable=True).scroll.to(text='About phone'); d.xpath(…).get_text()")
    d.app_start(SETTINGS)
    assert d(scrollable=True).scroll.to(text="About phone")
    assert "About phone" in client.titles()
    assert d.xpath('//*[@text="About phone"]').get_text() == "About phone"
