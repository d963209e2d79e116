"""Mobile-Agent-E's controller against the virtual phone.

Source: github.com/X-PLUG/MobileAgent, `Mobile-Agent-E/MobileAgentE/controller.py`. Every call
is `subprocess.run(adb_path + " shell …", shell=True)`; `adb_path` here is
`adb -s SERIAL` (how a user points it at one phone).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from .device import LAUNCHER, NOTES, SEARCH, Client

pytestmark = pytest.mark.e2e

CLIENT = "Mobile-Agent-E (controller.py)"
SHOT = "/sdcard/screenshot.png"
RECORDING = "/sdcard/screenrecord.mp4"
PUNCTUATION = "-.,!?@'°/:;()"


def type_like_mobile_agent_e(client: Client, text: str) -> None:
    """controller.py `type`: one adb call per character, as it sends them."""
    text = text.replace("\\n", "_").replace("\n", "_")
    for char in text:
        if char == " ":
            client.cmdline("shell input text %s")
        elif char == "_":
            client.cmdline("shell input keyevent 66")
        elif "a" <= char <= "z" or "A" <= char <= "Z" or char.isdigit():
            client.cmdline(f"shell input text {char}")
        elif char in PUNCTUATION:
            client.cmdline(f'shell input text "{char}"')
        else:
            client.cmdline(f'shell am broadcast -a ADB_INPUT_TEXT --es msg "{char}"')


def focus_search(client: Client) -> None:
    """controller.py `tap` on the Notes search field."""
    x, y = client.open_notes_search()
    assert client.cmdline(f"shell input tap {x} {y}").status == 0


def test_get_screenshot_rm_screencap_pull(client: Client, tmp_path: Path) -> None:
    # controller.py get_screenshot: rm, screencap -p to /sdcard, pull into ./screenshot
    if client.phone.fs.stat(SHOT) is not None:
        client.phone.fs.remove(SHOT)
    gone = client.cmdline(f"shell rm {SHOT}")
    assert gone.status == 1
    assert gone.err == f"rm: {SHOT}: No such file or directory\n"
    shot = client.cmdline(f"shell screencap -p {SHOT}")
    assert (shot.status, shot.out, shot.err) == (0, "", "")
    (tmp_path / "screenshot").mkdir()
    pulled = client.cmdline(f"pull {SHOT} {tmp_path / 'screenshot'}")
    assert pulled.status == 0, pulled
    assert f"{SHOT}: 1 file pulled" in pulled.merged
    image = Image.open(tmp_path / "screenshot" / "screenshot.png")
    assert image.format == "PNG"
    assert image.size == (1080, 2400)
    image.convert("RGB").save(tmp_path / "screenshot" / "screenshot.jpg", "JPEG")


def test_save_screenshot_to_file_removes_the_device_copy(client: Client, tmp_path: Path) -> None:
    # controller.py save_screenshot_to_file: screencap, pull to a file, rm on the device
    client.cmdline(f"shell rm {SHOT}")
    assert client.cmdline(f"shell screencap -p {SHOT}").status == 0
    local = tmp_path / "shots" / "step1.png"
    local.parent.mkdir()
    assert client.cmdline(f"pull {SHOT} {local}").status == 0
    assert Image.open(local).size == (1080, 2400)
    removed = client.cmdline(f"shell rm {SHOT}")
    assert (removed.status, removed.err) == (0, "")
    assert client.phone.fs.stat(SHOT) is None


def test_tap_opens_the_app_under_the_finger(client: Client) -> None:
    # controller.py tap: input tap x y on the launcher's Notes icon
    x, y = client.centre(text="Notes", package=LAUNCHER)
    tapped = client.cmdline(f"shell input tap {x} {y}")
    assert (tapped.status, tapped.out, tapped.err) == (0, "", "")
    assert client.foreground() == NOTES


def test_type_ascii_one_character_per_call(client: Client) -> None:
    # controller.py type: letters bare, space as %s, punctuation in host-shell quotes
    focus_search(client)
    type_like_mobile_agent_e(client, "Hi, me@x.io/1")
    assert client.text_of(SEARCH) == "Hi, me@x.io/1"


def test_type_non_ascii_broadcast_without_adb_keyboard(client: Client) -> None:
    # controller.py type: a non-ASCII character goes to the ADB Keyboard broadcast, which no
    # receiver handles unless that input method is installed and selected
    focus_search(client)
    hint = client.text_of(SEARCH)
    answer = client.cmdline('shell am broadcast -a ADB_INPUT_TEXT --es msg "é"')
    assert answer.status == 0
    assert answer.out.splitlines() == [
        "Broadcasting: Intent { act=ADB_INPUT_TEXT flg=0x400000 (has extras) }",
        "Broadcast completed: result=0",
    ]
    assert client.text_of(SEARCH) == hint


def test_enter_in_a_single_line_field(client: Client) -> None:
    # controller.py enter: input keyevent KEYCODE_ENTER (an IME action, not a newline)
    focus_search(client)
    type_like_mobile_agent_e(client, "ok")
    entered = client.cmdline("shell input keyevent KEYCODE_ENTER")
    assert (entered.status, entered.out, entered.err) == (0, "", "")
    assert client.text_of(SEARCH) == "ok"


def test_swipe_scrolls_a_list(client: Client) -> None:
    # controller.py swipe: input swipe x1 y1 x2 y2 500
    assert client.phone.start_app("com.android.settings")
    before = client.titles()
    swiped = client.cmdline("shell input swipe 540 1800 540 900 500")
    assert (swiped.status, swiped.out) == (0, "")
    client.assert_scrolled(before, 600)


def test_back_home_and_app_switch_keys(client: Client) -> None:
    # controller.py back (keyevent 4), home (KEYCODE_HOME), switch_app (KEYCODE_APP_SWITCH)
    assert client.phone.start_app(NOTES)
    assert client.cmdline("shell input keyevent 4").status == 0
    assert client.foreground() == LAUNCHER
    assert client.phone.start_app(NOTES)
    assert client.cmdline("shell input keyevent KEYCODE_HOME").status == 0
    assert client.foreground() == LAUNCHER
    assert client.cmdline("shell input keyevent KEYCODE_APP_SWITCH").status == 0
    assert client.foreground() == LAUNCHER
    cards = client.screen().xpath(f"//node[@package='{LAUNCHER}'][@content-desc='Notes']")
    assert cards, "the overview shows no card for Notes"


def test_screen_recording_stopped_with_pkill(client: Client, tmp_path: Path) -> None:
    # controller.py start_recording / end_recording: screenrecord in the background, stopped
    # with pkill -SIGINT, then pulled as an MP4
    client.cmdline(f"shell rm {RECORDING}")
    client.note(f"adb shell screenrecord {RECORDING} (in the background)")
    recorder = subprocess.Popen(
        f"{client.adb_path()} shell screenrecord {RECORDING}",
        shell=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(1)
        stopped = client.cmdline("shell pkill -SIGINT screenrecord")
        assert stopped.status == 0, stopped
        out, err = recorder.communicate(timeout=5)
    finally:
        if recorder.poll() is None:
            recorder.kill()
            recorder.wait()
    assert recorder.returncode == 0, (out, err)
    local = tmp_path / "screenrecord.mp4"
    assert client.cmdline(f"pull {RECORDING} {local}").status == 0
    assert local.read_bytes()[4:8] == b"ftyp"
