"""droidrun's ADB driver and Portal checks against the virtual phone.

Source: github.com/droidrun/droidrun (package `mobilerun`): `tools/driver/android.py`
(AndroidDriver), `portal.py` (setup_keyboard, ensure_portal_ready, accessibility checks) and
`tools/android/portal_client.py` (content-provider fallback). It drives the phone through
async_adbutils, whose device methods send the same shell strings as adbutils' (used here).
The phone has no Portal app, as a phone before `droidrun setup`: the Portal's provider and
input method must be missing, not silently accepted.
"""

from __future__ import annotations

import base64
import http.client
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

import adbutils
import pytest
import uiautomator2

from .device import LAUNCHER, NOTES, SEARCH, Client

pytestmark = pytest.mark.e2e

CLIENT = "droidrun (driver/android.py, portal.py)"
PORTAL = "com.mobilerun.portal"
PORTAL_IME = f"{PORTAL}/.input.MobilerunKeyboardIME"
PORTAL_A11Y = f"{PORTAL}/{PORTAL}.service.MobilerunAccessibilityService"


@pytest.fixture
def device(client: Client) -> Any:
    """android.py connect: adb.device(serial=…) whose state must be "device"."""
    client.note("adb.device(serial).get_state()")
    dev = adbutils.AdbClient().device(serial=client.serial)
    assert dev.get_state() == "device"
    return dev


def shell(client: Client, dev: Any, command: str) -> str:
    """device.shell(command) (a v1 shell: stdout and stderr merged), recorded."""
    client.note(f"adb shell {command}")
    return str(dev.shell(command))


def test_portal_health_checks_see_no_portal(client: Client, device: Any) -> None:
    # portal.py ensure_portal_ready: pm list packages, content query …/version, a11y setting
    client.note("adb shell pm list packages")
    packages = device.list_packages()
    assert NOTES in packages
    assert PORTAL not in packages
    version = shell(client, device, f"content query --uri content://{PORTAL}/version")
    assert f"Error while accessing provider:{PORTAL}" in version
    assert "Row: 0 result=" not in version
    services = shell(client, device, "settings get secure enabled_accessibility_services")
    assert services == "null"


def test_enable_and_check_portal_accessibility(client: Client, device: Any) -> None:
    # portal.py enable_portal_accessibility then check_portal_accessibility
    services = "settings {} secure enabled_accessibility_services"
    assert shell(client, device, services.format("put") + f" {PORTAL_A11Y}") == ""
    assert shell(client, device, "settings put secure accessibility_enabled 1") == ""
    assert PORTAL_A11Y in shell(client, device, services.format("get"))
    assert shell(client, device, "settings get secure accessibility_enabled") == "1"


def test_setup_keyboard_of_a_missing_ime_is_refused(client: Client, device: Any) -> None:
    # portal.py setup_keyboard: ime enable / ime set of the Portal's input method
    before = shell(client, device, "settings get secure default_input_method")
    enabled = shell(client, device, f"ime enable {PORTAL_IME}")
    assert f"Unknown input method {PORTAL_IME} cannot be enabled for user #0" in enabled
    selected = shell(client, device, f"ime set {PORTAL_IME}")
    assert f"Unknown input method {PORTAL_IME} cannot be selected for user #0" in selected
    assert shell(client, device, "settings get secure default_input_method") == before


def test_content_provider_state_and_input_fail_without_portal(client: Client, device: Any) -> None:
    # portal_client.py _get_state_content_provider and _input_text_content_provider
    x, y = client.open_notes_search()
    client.note(f"adb shell input tap {x} {y}")
    device.click(x, y)
    hint = client.text_of(SEARCH)
    state = shell(client, device, f"content query --uri content://{PORTAL}/state_full")
    assert f"Error while accessing provider:{PORTAL}" in state
    encoded = base64.b64encode(b"hello").decode()
    typed = shell(
        client,
        device,
        f'content insert --uri "content://{PORTAL}/keyboard/input" '
        f'--bind base64_text:s:"{encoded}" --bind clear:b:false',
    )
    assert f"Error while accessing provider:{PORTAL}" in typed
    assert client.text_of(SEARCH) == hint


def test_start_app_resolves_the_launcher_activity(client: Client, device: Any) -> None:
    # android.py start_app: cmd package resolve-activity --brief, line 2 after "/", app_start
    out = shell(client, device, f"cmd package resolve-activity --brief {NOTES}")
    activity = out.splitlines()[1].split("/")[1]
    assert activity == ".MainActivity"
    client.note(f"adb shell am start -n {NOTES}/{activity}")
    device.app_start(NOTES, activity)
    assert client.foreground() == NOTES


def test_start_app_of_an_unknown_package_finds_no_activity(client: Client, device: Any) -> None:
    # android.py start_app: the same probe for a package that is not installed
    out = shell(client, device, "cmd package resolve-activity --brief com.nope.app")
    assert out.splitlines() == ["No activity found"]
    assert client.foreground() == LAUNCHER


def test_tap_swipe_and_buttons(client: Client, device: Any) -> None:
    # android.py tap (device.click), swipe (duration in s → ms), press_button (keyevent 4/3/66)
    x, y = client.centre(text="Settings", package=LAUNCHER)
    client.note(f"adb shell input tap {x} {y}")
    device.click(x, y)
    assert client.foreground() == "com.android.settings"
    before = client.titles()
    client.note("adb shell input swipe 540 1800 540 900 1000")
    device.swipe(540, 1800, 540, 900, 1.0)
    client.assert_scrolled(before, 600)
    for code in (66, 4):
        client.note(f"adb shell input keyevent {code}")
        device.keyevent(code)
    assert client.foreground() == LAUNCHER
    assert client.phone.start_app(NOTES)
    client.note("adb shell input keyevent 3")
    device.keyevent(3)
    assert client.foreground() == LAUNCHER


def test_list_packages_third_party_only(client: Client, device: Any) -> None:
    # android.py list_packages(include_system=False): pm list packages -3
    client.note("adb shell pm list packages -3")
    packages = device.list_packages(["-3"])
    assert NOTES in packages
    assert "com.android.settings" not in packages
    assert all(name and " " not in name for name in packages)


def test_get_date_and_screenshot_fallback(client: Client, device: Any) -> None:
    # android.py get_date (shell "date") and portal_client.py _take_screenshot_adb
    date = shell(client, device, "date").strip()
    assert datetime.strptime(date, "%a %b %d %H:%M:%S %Z %Y").year >= 2024
    client.note("adb shell screencap -p")
    assert device.screenshot().size == (1080, 2400)


def test_install_app_then_start_it(client: Client, device: Any) -> None:
    # android.py install_app (device.install(path, nolaunch=True, flags=["-g"]): push to
    # /data/local/tmp, pm install -r -t -g, rm), then start_app(package): resolve-activity
    # finds the APK's launcher activity and am start brings it to the front
    apk = Path(str(uiautomator2.__file__)).parent / "assets" / "app-uiautomator.apk"
    client.note("adbutils install: push /data/local/tmp/unknown.apk; pm install -r -t -g …; rm")
    device.install(str(apk), nolaunch=True, uninstall=False, flags=["-g"], silent=True)
    client.note("adb shell pm list packages -3")
    assert "com.github.uiautomator" in device.list_packages(["-3"])
    out = shell(client, device, "cmd package resolve-activity --brief com.github.uiautomator")
    activity = out.splitlines()[1].split("/")[1]
    assert activity == ".MainActivity"
    client.note(f"adb shell am start -n com.github.uiautomator/{activity}")
    device.app_start("com.github.uiautomator", activity)
    assert client.foreground() == "com.github.uiautomator"


def test_tcp_mode_forward_reaches_no_portal_server(client: Client, device: Any) -> None:
    # portal_client.py _try_enable_tcp: forward_list, forward_port(8080), GET /ping on the
    # forward; nothing listens on the phone's port 8080, so the adb server accepts the local
    # connection and closes it: the client falls back to the content provider
    client.note("adb forward --list; adb forward tcp:0 tcp:8080; GET http://localhost:PORT/ping")
    assert not any(f.remote == "tcp:8080" for f in device.forward_list())
    local = device.forward_port(8080)
    try:
        assert any(
            f.remote == "tcp:8080" and f.serial == client.serial for f in device.forward_list()
        )
        with pytest.raises((ConnectionError, http.client.HTTPException, urllib.error.URLError)):
            urllib.request.urlopen(f"http://127.0.0.1:{local}/ping", timeout=5)
    finally:
        client.argv("forward", "--remove", f"tcp:{local}")
