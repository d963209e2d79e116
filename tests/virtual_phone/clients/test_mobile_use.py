"""minitap mobile-use's Android controller against the virtual phone.

Source: github.com/minitap-ai/mobile-use, `minitap/mobile_use/controllers/android_controller.py`
(adbutils `device.shell(...)` strings), `controllers/platform_specific_commands_controller.py`
(package list, foreground app) and `clients/ui_automator_client.py` (uiautomator2 screen data
and text entry).
"""

from __future__ import annotations

import re
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import adbutils
import pytest

from .device import LAUNCHER, NOTES, SEARCH, Client

pytestmark = pytest.mark.e2e

CLIENT = "mobile-use (android_controller.py)"
SPECIAL = ["&", "<", ">", "|", ";", "(", ")", "$", "`", "\\", '"', "'"]
RECORDING = "/sdcard/screen_recording_0.mp4"


@pytest.fixture
def device(client: Client) -> Any:
    """android_controller.py `device`: adb_client.device(serial=device_id)."""
    return adbutils.AdbClient().device(serial=client.serial)


def shell(client: Client, dev: Any, command: str) -> str:
    """self.device.shell(command), recorded."""
    client.note(f"adb shell {command}")
    return str(dev.shell(command))


def input_text_adb_fallback(client: Client, dev: Any, text: str) -> None:
    """android_controller.py _input_text_adb_fallback: spaces → %s, specials backslashed,
    the whole word in single quotes; a literal "%s" in the text becomes keyevent 62."""
    parts = text.split("%s")
    for i, part in enumerate(parts):
        to_write = "".join(
            "%s" if char == " " else f"\\{char}" if char in SPECIAL else char for char in part
        )
        if to_write:
            shell(client, dev, f"input text '{to_write}'")
        if i < len(parts) - 1:
            shell(client, dev, "input keyevent 62")


def focus_search(client: Client, dev: Any) -> None:
    """android_controller.py tap on the Notes search field."""
    x, y = client.open_notes_search()
    assert shell(client, dev, f"input tap {x} {y}") == ""


def test_tap_and_long_press(client: Client, device: Any) -> None:
    # android_controller.py tap: input tap / input swipe x y x y 1000 for a long press
    x, y = client.centre(text="Notes", package=LAUNCHER)
    assert shell(client, device, f"input swipe {x} {y} {x} {y} 1000") == ""
    assert client.screen().xpath("//node[@text='App info']"), "no long-press menu"
    client.phone.press_key("KEYCODE_HOME")
    assert shell(client, device, f"input tap {x} {y}") == ""
    assert client.foreground() == NOTES


def test_touchscreen_swipe_scrolls(client: Client, device: Any) -> None:
    # android_controller.py swipe: input touchscreen swipe x1 y1 x2 y2 400
    assert client.phone.start_app("com.android.settings")
    before = client.titles()
    assert shell(client, device, "input touchscreen swipe 540 1800 540 900 400") == ""
    client.assert_scrolled(before, 600)


def test_text_fallback_types_the_backslashes_a_phone_types(client: Client, device: Any) -> None:
    # _input_text_adb_fallback: inside single quotes the backslashes reach `input text`,
    # which turns only %s into a space (InputShellCommand.sendText): they are typed
    focus_search(client, device)
    input_text_adb_fallback(client, device, "a&b (c)")
    assert client.text_of(SEARCH) == "a\\&b \\(c\\)"


def test_text_fallback_literal_percent_s_and_erase(client: Client, device: Any) -> None:
    # _input_text_adb_fallback ("%s" in the text → keyevent 62) and erase_text (KEYCODE_DEL)
    focus_search(client, device)
    input_text_adb_fallback(client, device, "up%sdown")
    assert client.text_of(SEARCH) == "up down"
    for _ in range(4):
        assert shell(client, device, "input keyevent KEYCODE_DEL") == ""
    assert client.text_of(SEARCH) == "up "


def test_keys_back_home_enter(client: Client, device: Any) -> None:
    # android_controller.py press_back (keyevent 4), press_home (3), press_enter (66)
    assert client.phone.start_app(NOTES)
    assert shell(client, device, "input keyevent 66") == ""
    assert shell(client, device, "input keyevent 4") == ""
    assert client.foreground() == LAUNCHER
    assert client.phone.start_app(NOTES)
    assert shell(client, device, "input keyevent 3") == ""
    assert client.foreground() == LAUNCHER


def test_launch_then_terminate_the_foreground_app(client: Client, device: Any) -> None:
    # launch_app (adbutils app_start → monkey), terminate_app(None): the package parsed from
    # "dumpsys window | grep mCurrentFocus", then app_stop (am force-stop)
    client.note(f"adb shell monkey -p {NOTES} -c android.intent.category.LAUNCHER 1")
    device.app_start(NOTES)
    assert client.foreground() == NOTES
    focus = shell(client, device, "dumpsys window | grep mCurrentFocus")
    assert "=" in focus
    package = focus.split("/")[0].split()[-1]
    assert package == NOTES
    client.note(f"adb shell am force-stop {package}")
    device.app_stop(package)
    assert client.foreground() == LAUNCHER
    assert NOTES not in client.phone.running_packages()


def test_open_url_starts_the_browser(client: Client, device: Any) -> None:
    # android_controller.py open_url: am start -a android.intent.action.VIEW -d <url>
    out = shell(client, device, "am start -a android.intent.action.VIEW -d https://example.com")
    assert out.startswith("Starting: Intent { act=android.intent.action.VIEW dat=https://")
    assert client.foreground() == "com.example.browser"


def test_list_packages_with_paths_and_date(client: Client, device: Any) -> None:
    # platform_specific_commands_controller.py list_packages (pm list packages -f,
    # the name after the last "=") and get_device_date (date)
    raw = shell(client, device, "pm list packages -f")
    packages = [line.split("=")[-1].strip() for line in raw.strip().split("\n") if "=" in line]
    assert NOTES in packages
    assert all(re.fullmatch(r"[\w.]+", name) for name in packages)
    assert re.fullmatch(
        r"\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \w+ \d{4}", shell(client, device, "date")
    )


def test_uiautomator_client_screen_data_and_tap(
    client: Client, client_u2: Any, device: Any
) -> None:
    # ui_automator_client.py: maestro check (pm list packages), screenshot + compressed dump
    # parsed to elements, find_element(text=…) and its bounds, then tap
    listed = client.argv("shell", "pm", "list", "packages")
    assert "package:dev.mobile.maestro" not in listed.out.splitlines()
    assert f"package:{NOTES}" in listed.out.splitlines()
    client.note("u2: d.info, d.screenshot(), d.dump_hierarchy(compressed=True)")
    assert client_u2.info["displayWidth"] == 1080
    image = client_u2.screenshot()
    assert image.size == (1080, 2400)
    elements = [
        node.attrib
        for node in ET.fromstring(client_u2.dump_hierarchy(compressed=True)).iter("node")
    ]
    notes = [e for e in elements if e.get("text") == "Notes" or e.get("content-desc") == "Notes"]
    assert notes, "no Notes element in the compressed dump"
    match = re.match(r"\[(\d+),(\d+)\]\[(\d+),(\d+)\]", notes[0]["bounds"])
    assert match is not None
    x1, y1, x2, y2 = map(int, match.groups())
    assert shell(client, device, f"input tap {(x1 + x2) // 2} {(y1 + y2) // 2}") == ""
    assert client.foreground() == NOTES


def test_uiautomator_client_send_text_with_its_ime(
    client: Client, client_u2: Any, device: Any
) -> None:
    # ui_automator_client.py send_text: set_fastinput_ime(True), send_keys (ADB keyboard
    # broadcast, any Unicode), set_fastinput_ime(False); press_key("back")
    focus_search(client, device)
    client.note(
        "u2: d.set_fastinput_ime(True); d.send_keys('café über'); d.set_fastinput_ime(False)"
    )
    client_u2.set_fastinput_ime(True)
    try:
        client_u2.send_keys("café über")
    finally:
        client_u2.set_fastinput_ime(False)
    assert client.text_of(SEARCH) == "café über"
    # back: the keyboard, if still up, goes down first
    client.note("u2: d.press('back')")
    client_u2.press("back")
    assert client.phone.keyboard_shown is False


def test_screen_recording_segment(client: Client, device: Any, tmp_path: Path) -> None:
    # android_controller.py _start_android_segment (adb shell "screenrecord --time-limit …"),
    # stop_video_recording (pkill -2 screenrecord || true, sync.pull, rm -f)
    line = f'shell "screenrecord --time-limit 180 {RECORDING}"'
    client.note(f"adb {line} (in the background)")
    recorder = subprocess.Popen(
        f"{client.adb_path()} {line}", shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        time.sleep(1)
        shell(client, device, "pkill -2 screenrecord || true")
        recorder.communicate(timeout=5)
    finally:
        if recorder.poll() is None:
            recorder.kill()
            recorder.wait()
    local = tmp_path / "segment_0.mp4"
    client.note(f"adb pull {RECORDING} (sync)")
    device.sync.pull(RECORDING, str(local))
    assert local.read_bytes()[4:8] == b"ftyp"
    assert shell(client, device, f"rm -f {RECORDING}") == ""
    assert client.phone.fs.stat(RECORDING) is None


def test_screen_data_with_the_keyboard_up(client: Client, client_u2: Any, device: Any) -> None:
    # ui_automator_client.py get_screen_data after a tap on a field: the elements include
    # Gboard's keys as Gboard exposes them (real dumps, e.g. the corpus's
    # shop_avito_search_keyboard_open_cyrillic.xml): a clickable FrameLayout per key,
    # resource-id …:id/key_pos_ROW_COLUMN, the letter only in content-desc
    focus_search(client, device)
    client.note("u2: d.dump_hierarchy(compressed=True)")
    root = ET.fromstring(client_u2.dump_hierarchy(compressed=True))
    ime = "com.google.android.inputmethod.latin"
    keys = {n.get("content-desc"): n.attrib for n in root.iter("node") if n.get("package") == ime}
    assert "q" in keys, "no key q in the keyboard's window"
    q = keys["q"]
    assert (q["text"], q["clickable"]) == ("", "true")
    assert q["class"] == "android.widget.FrameLayout"
    assert q["resource-id"] == f"{ime}:id/key_pos_0_0"
