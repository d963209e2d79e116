"""AppAgent's Android controller against the virtual phone.

Source: github.com/mnotgod96/AppAgent, `scripts/and_controller.py` (`execute_adb` runs each
command line with `shell=True`; "ERROR" when the exit status is not 0). Its config puts the
screenshots and XML files in `/sdcard`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from .device import LAUNCHER, NOTES, SEARCH, Answer, Client, parse_bounds

pytestmark = pytest.mark.e2e

CLIENT = "AppAgent (and_controller.py)"


def execute_adb(client: Client, line: str) -> str:
    """and_controller.py execute_adb: stripped stdout, or "ERROR" on a failing status."""
    answer: Answer = client.cmdline(line)
    return answer.out.strip() if answer.status == 0 else "ERROR"


def traverse_tree(xml_path: Path, attrib: str) -> list[tuple[str, str, tuple[int, int]]]:
    """and_controller.py traverse_tree, minimally: (package, id, centre) of each element
    whose `attrib` is "true" (iterparse, bounds parsed the same way)."""
    found = []
    for _event, elem in ET.iterparse(xml_path, ["start"]):
        if elem.attrib.get(attrib) == "true":
            x1, y1, x2, y2 = parse_bounds(elem.attrib["bounds"])
            rid = elem.attrib["resource-id"].replace(":", ".").replace("/", "_")
            elem_id = rid or f"{elem.attrib['class']}_{x2 - x1}_{y2 - y1}"
            found.append((elem.attrib["package"], elem_id, ((x1 + x2) // 2, (y1 + y2) // 2)))
    return found


def test_list_all_devices_parses_adb_devices(client: Client) -> None:
    # and_controller.py list_all_devices: "adb devices", lines after the header, first word
    result = execute_adb(client, "devices")
    devices = [line.split()[0] for line in result.split("\n")[1:]]
    assert client.serial in devices


def test_get_device_size_from_wm_size(client: Client) -> None:
    # and_controller.py get_device_size: wm size → split(": ")[1].split("x")
    result = execute_adb(client, "shell wm size")
    assert tuple(map(int, result.split(": ")[1].split("x"))) == (1080, 2400)


def test_get_screenshot_to_sdcard_and_pull(client: Client, tmp_path: Path) -> None:
    # and_controller.py get_screenshot: screencap -p /sdcard/<prefix>.png, pull to save_dir
    assert execute_adb(client, "shell screencap -p /sdcard/0_before.png") == ""
    local = tmp_path / "0_before.png"
    assert execute_adb(client, f"pull /sdcard/0_before.png {local}") != "ERROR"
    assert Image.open(local).size == (1080, 2400)


def test_get_xml_dump_holds_the_app_window_only(client: Client, tmp_path: Path) -> None:
    # and_controller.py get_xml: uiautomator dump /sdcard/<prefix>.xml, pull, traverse_tree
    assert client.phone.start_app(NOTES)
    dumped = execute_adb(client, "shell uiautomator dump /sdcard/0.xml")
    assert dumped == "UI hierchary dumped to: /sdcard/0.xml"
    local = tmp_path / "0.xml"
    assert execute_adb(client, f"pull /sdcard/0.xml {local}") != "ERROR"
    clickable = traverse_tree(local, "clickable")
    focusable = traverse_tree(local, "focusable")
    assert {package for package, _, _ in clickable + focusable} == {NOTES}
    assert "com.example.notes.id_search" in [elem_id for _, elem_id, _ in focusable]
    root = ET.parse(local).getroot()
    assert (root.tag, root.attrib) == ("hierarchy", {"rotation": "0"})


def test_tap_then_text_with_spaces(client: Client) -> None:
    # and_controller.py tap (input tap x y) and text: spaces → %s, quotes dropped
    x, y = client.open_notes_search()
    assert execute_adb(client, f"shell input tap {x} {y}") == ""
    text = "don't stop me".replace(" ", "%s").replace("'", "")
    assert execute_adb(client, f"shell input text {text}") == ""
    assert client.text_of(SEARCH) == "dont stop me"


def test_text_non_ascii_is_an_error_and_types_nothing(client: Client) -> None:
    # and_controller.py text: "input text café" fails on a phone (InputShellCommand.sendText
    # dereferences the null KeyEvent array for é): status 255, NullPointerException on stderr
    x, y = client.open_notes_search()
    execute_adb(client, f"shell input tap {x} {y}")
    hint = client.text_of(SEARCH)
    answer = client.cmdline("shell input text café")
    assert answer.status == 255
    assert "java.lang.NullPointerException" in answer.err
    assert client.text_of(SEARCH) == hint


def test_back_key_leaves_the_app(client: Client) -> None:
    # and_controller.py back: input keyevent KEYCODE_BACK
    assert client.phone.start_app(NOTES)
    assert execute_adb(client, "shell input keyevent KEYCODE_BACK") == ""
    assert client.foreground() == LAUNCHER


def test_long_press_on_an_icon_opens_its_menu(client: Client) -> None:
    # and_controller.py long_press: input swipe x y x y 1000 (a press held in place)
    x, y = client.centre(text="Notes", package=LAUNCHER)
    assert execute_adb(client, f"shell input swipe {x} {y} {x} {y} 1000") == ""
    assert client.foreground() == LAUNCHER
    assert client.screen().xpath("//node[@text='App info']"), "no long-press menu"


def test_swipe_up_medium_scrolls_the_list(client: Client) -> None:
    # and_controller.py swipe(x, y, "up", "medium"): offset -2 * (width / 10 * 2), 400 ms
    assert client.phone.start_app("com.android.settings")
    x, y = 540, 1800
    unit = int(1080 / 10) * 2
    before = client.titles()
    assert execute_adb(client, f"shell input swipe {x} {y} {x} {y - 2 * unit} 400") == ""
    client.assert_scrolled(before, 300)


def dump_and_pull(client: Client, tmp_path: Path, prefix: str) -> ET.Element:
    """and_controller.py get_xml, then the pulled file parsed."""
    assert execute_adb(client, f"shell uiautomator dump /sdcard/{prefix}.xml") != "ERROR"
    local = tmp_path / f"{prefix}.xml"
    assert execute_adb(client, f"pull /sdcard/{prefix}.xml {local}") != "ERROR"
    return ET.parse(local).getroot()


def test_dump_with_the_keyboard_up_holds_the_app_only(client: Client, tmp_path: Path) -> None:
    # get_xml after a tap on a text field: the keyboard's window is not the active one
    x, y = client.open_notes_search()
    execute_adb(client, f"shell input tap {x} {y}")
    assert client.phone.keyboard_shown
    root = dump_and_pull(client, tmp_path, "1")
    assert {node.get("package") for node in root.iter("node")} == {NOTES}
    focused = [node for node in root.iter("node") if node.get("focused") == "true"]
    assert [node.get("resource-id") for node in focused] == [SEARCH]


def open_delete_dialog(client: Client, tmp_path: Path) -> ET.Element:
    """Tap a note, tap its Delete action, get_xml: the dump taken with the dialog up."""
    assert client.phone.start_app(NOTES)
    x, y = client.centre(**{"resource-id": f"{NOTES}:id/note_item"})
    execute_adb(client, f"shell input tap {x} {y}")
    x, y = client.centre(**{"content-desc": "Delete"})
    execute_adb(client, f"shell input tap {x} {y}")
    return dump_and_pull(client, tmp_path, "2")


def test_dialog_is_the_active_window_and_back_dismisses_it(client: Client, tmp_path: Path) -> None:
    # get_xml with an AlertDialog up: its window only, buttons button1/button2; back
    # (KEYCODE_BACK) dismisses it and deletes nothing
    root = open_delete_dialog(client, tmp_path)
    ids = [node.get("resource-id") for node in root.iter("node")]
    assert f"{NOTES}:id/editor" not in ids
    buttons = {
        n.get("resource-id"): n.get("text")
        for n in root.iter("node")
        if n.get("class") == "android.widget.Button"
    }
    assert buttons == {"android:id/button1": "Delete", "android:id/button2": "Cancel"}
    assert execute_adb(client, "shell input keyevent KEYCODE_BACK") == ""
    after = dump_and_pull(client, tmp_path, "3")
    assert f"{NOTES}:id/editor" in [node.get("resource-id") for node in after.iter("node")]


def test_dialog_window_is_laid_out_as_aosp_does(client: Client, tmp_path: Path) -> None:
    # get_xml with an AlertDialog up: the window's root is its DecorView (a FrameLayout),
    # then android:id/content, then parentPanel, the title inside topPanel (as in the real
    # dialog dumps of the corpus, e.g. dialog_anr_system_ui_not_responding.xml)
    root = open_delete_dialog(client, tmp_path)
    top = root.find("node")
    assert top is not None
    assert top.get("class") == "android.widget.FrameLayout"
    ids = [node.get("resource-id") for node in root.iter("node")]
    assert ids.index("android:id/content") < ids.index("android:id/parentPanel")
    assert ids.index("android:id/topPanel") < ids.index("android:id/alertTitle")
