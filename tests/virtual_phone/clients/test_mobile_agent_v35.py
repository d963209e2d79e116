"""Mobile-Agent-v3.5's AdbTools against the virtual phone.

Source: github.com/X-PLUG/MobileAgent, `Mobile-Agent-v3.5/mobile_use/utils.py` (`AdbTools`:
`adb_path + " -s DEVICE " + args` run with `shell=True`; the screenshot is
`exec-out screencap -p > FILE`; typing goes through the ADB Keyboard input method).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from .device import LAUNCHER, NOTES, SEARCH, Client, png_size

pytestmark = pytest.mark.e2e

CLIENT = "Mobile-Agent-v3.5 (mobile_use/utils.py)"
ADB_IME = "com.android.adbkeyboard/.AdbIME"


def test_exec_out_screencap_redirected_to_a_file(client: Client, tmp_path: Path) -> None:
    # AdbTools.get_screenshot: exec-out screencap -p > FILE (raw bytes, no CRLF mangling)
    image = tmp_path / "screenshot.png"
    assert client.cmdline(f"exec-out screencap -p > {image}").status == 0
    data = image.read_bytes()
    assert png_size(data) == (1080, 2400)
    assert data.endswith(b"IEND\xaeB`\x82")
    assert Image.open(image).size == (1080, 2400)


def test_click_long_press_slide_back(client: Client) -> None:
    # AdbTools.click / long_press (800 ms) / slide (800 ms) / back (keyevent 4)
    x, y = client.centre(text="Notes", package=LAUNCHER)
    assert client.cmdline(f"shell input swipe {x} {y} {x} {y} 800").status == 0
    assert client.screen().xpath("//node[@text='App info']"), "no long-press menu"
    client.cmdline("shell input keyevent 4")
    x, y = client.centre(text="Settings", package=LAUNCHER)
    assert client.cmdline(f"shell input tap {x} {y}").status == 0
    assert client.foreground() == "com.android.settings"
    before = client.titles()
    assert client.cmdline("shell input swipe 540 1800 540 900 800").status == 0
    client.assert_scrolled(before, 600)
    assert client.cmdline("shell input keyevent 4").status == 0
    assert client.foreground() == LAUNCHER


def test_home_through_the_home_intent(client: Client) -> None:
    # AdbTools.home: am start -a android.intent.action.MAIN -c android.intent.category.HOME
    assert client.phone.start_app(NOTES)
    home = client.cmdline(
        "shell am start -a android.intent.action.MAIN -c android.intent.category.HOME"
    )
    assert home.status == 0
    assert home.out.startswith("Starting: Intent { act=android.intent.action.MAIN cat=[")
    assert client.foreground() == LAUNCHER


def test_type_through_adb_keyboard_that_is_not_installed(client: Client) -> None:
    # AdbTools.type: ime enable / ime set ADB Keyboard, ADB_INPUT_TEXT, ime disable; on a
    # phone without ADB Keyboard enable and set are refused and the broadcast types nothing
    x, y = client.open_notes_search()
    client.cmdline(f"shell input tap {x} {y}")
    hint = client.text_of(SEARCH)
    enabled = client.cmdline(f"shell ime enable {ADB_IME}")
    assert f"Unknown input method {ADB_IME} cannot be enabled for user #0" in enabled.merged
    selected = client.cmdline(f"shell ime set {ADB_IME}")
    assert f"Unknown input method {ADB_IME} cannot be selected for user #0" in selected.merged
    sent = client.cmdline('shell am broadcast -a ADB_INPUT_TEXT --es msg "你好 world"')
    assert "Broadcast completed: result=0" in sent.out
    # only `ime enable` checks that the method exists: disabling one is "already disabled"
    disabled = client.cmdline(f"shell ime disable {ADB_IME}")
    assert (disabled.status, disabled.out) == (
        0,
        f"Input method {ADB_IME}: already disabled for user #0\n",
    )
    assert client.text_of(SEARCH) == hint


def test_package_names_and_open_app(client: Client) -> None:
    # AdbTools.get_package_name (pm list packages -3) and open_app (monkey … LAUNCHER 1)
    listed = client.cmdline("shell pm list packages -3").out.splitlines()
    names = sorted({line.strip().removeprefix("package:") for line in listed if line.strip()})
    assert NOTES in names
    assert "android" not in names
    assert (
        client.cmdline(f"shell monkey -p {NOTES} -c android.intent.category.LAUNCHER 1").status == 0
    )
    assert client.foreground() == NOTES
