"""The shell answers as a Pixel on Android 14 answers, failures included, through the real
`adb` binary: `uiautomator dump` (AOSP DumpCommand), `input text` / `keycombination`
(InputShellCommand), the ADB Keyboard broadcasts, `am start` and `pm grant` errors."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from apkfiles import adb_keyboard_apk, launcher_apk
from conftest import run_adb, served_phone

from virtual_phone.phone import Phone
from virtual_phone.server import VirtualPhoneServer
from virtual_phone.ui.hierarchy import find_node

pytestmark = pytest.mark.e2e

NOTES = "com.example.notes"
ADB_IME = "com.android.adbkeyboard/.AdbIME"
CLASSIC_ATTRS = [
    "index",
    "text",
    "resource-id",
    "class",
    "package",
    "content-desc",
    "checkable",
    "checked",
    "clickable",
    "enabled",
    "focusable",
    "focused",
    "scrollable",
    "long-clickable",
    "password",
    "selected",
    "bounds",
]


@pytest.fixture(scope="module")
def served() -> Iterator[VirtualPhoneServer]:
    with served_phone() as server:
        yield server


@pytest.fixture
def phone(served: VirtualPhoneServer) -> Phone:
    served.phone.reset()
    return served.phone


def sh(served: VirtualPhoneServer, command: str) -> tuple[int, str, str]:
    """`adb shell COMMAND` (the shell v2 protocol keeps stdout, stderr and the status)."""
    done = run_adb("-s", served.serial, "shell", command)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def focus_note_title(phone: Phone) -> None:
    phone.start_app(NOTES)
    for attrs in ({"content_desc": "New note"}, {"hint": "Title"}):
        node = find_node(phone.nodes(), **attrs)
        assert node is not None, attrs
        left, top, right, bottom = node.bounds
        phone.tap((left + right) / 2, (top + bottom) / 2)


def title(phone: Phone) -> str:
    node = find_node(phone.nodes(), resource_id=f"{NOTES}:id/title")
    assert node is not None
    return "" if node.text == node.hint else node.text


# -- uiautomator dump -----------------------------------------------------------------


def appagent_elements(xml: str) -> list[tuple[str, tuple[int, int, int, int]]]:
    """AppAgent's and_controller.traverse_tree: clickable nodes, their id and bounds."""
    found = []
    for _event, elem in ET.iterparse(io.StringIO(xml), ["start"]):
        if elem.attrib.get("clickable") != "true":
            continue
        left_top, right_bottom = elem.attrib["bounds"][1:-1].split("][")
        x1, y1 = map(int, left_top.split(","))
        x2, y2 = map(int, right_bottom.split(","))
        elem_id = elem.attrib["resource-id"].replace(":", ".").replace("/", "_")
        if not elem_id:
            elem_id = f"{elem.attrib['class']}_{x2 - x1}_{y2 - y1}"
        if elem.attrib.get("content-desc"):
            elem_id += "_" + elem.attrib["content-desc"]
        found.append((elem_id, (x1, y1, x2, y2)))
    return found


def test_uiautomator_dump_writes_only_the_active_window_in_the_classic_format(
    served: VirtualPhoneServer, phone: Phone
) -> None:
    phone.start_app(NOTES)
    assert sh(served, "uiautomator dump") == (
        0,
        "UI hierchary dumped to: /sdcard/window_dump.xml\n",
        "",
    )
    xml = phone.fs.read("/sdcard/window_dump.xml").decode()
    assert xml.startswith(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\"><node "
    )
    assert "\n" not in xml and xml.endswith("</hierarchy>")
    root = ET.fromstring(xml)
    nodes = list(root.iter("node"))
    assert {n.get("package") for n in nodes} == {NOTES}  # no status bar, navigation bar
    assert not {"Back", "Home", "Overview"} & {n.get("content-desc") for n in nodes}
    for node in nodes:
        assert [k for k in node.attrib if k != "NAF"] == CLASSIC_ATTRS
    elements = appagent_elements(xml)
    assert any("New note" in elem_id for elem_id, _ in elements)
    assert all(0 <= x1 < x2 <= 1080 and 0 <= y1 < y2 <= 2400 for _, (x1, y1, x2, y2) in elements)
    # the uiautomator2 dump still holds every window; root_in_active only the app's
    assert "com.android.systemui" in phone.hierarchy_xml()
    assert "com.android.systemui" not in phone.hierarchy_xml(active_only=True)


def test_uiautomator_dump_paths_tty_compressed_and_the_shade(
    served: VirtualPhoneServer, phone: Phone
) -> None:
    phone.start_app(NOTES)
    status, out, _ = sh(served, "uiautomator dump --compressed /data/local/tmp/x.xml")
    assert (status, out) == (0, "UI hierchary dumped to: /data/local/tmp/x.xml\n")
    compressed = phone.fs.read("/data/local/tmp/x.xml").decode()
    full = phone.window_dump()
    assert len(list(ET.fromstring(compressed).iter())) < len(list(ET.fromstring(full).iter()))
    status, out, _ = sh(served, "uiautomator dump /dev/tty")
    assert out == full + "UI hierchary dumped to: /dev/tty\n"
    focus_note_title(phone)  # the keyboard's window is never the active one
    assert phone.keyboard_shown
    packages = {n.get("package") for n in ET.fromstring(phone.window_dump()).iter("node")}
    assert packages == {NOTES}
    phone.open_notifications()  # the shade takes input: it is the active window
    packages = {n.get("package") for n in ET.fromstring(phone.window_dump()).iter("node")}
    assert packages == {"com.android.systemui"}


def test_unlabelled_clickables_are_marked_naf() -> None:
    xml = Phone().window_dump()  # the home screen
    for node in ET.fromstring(xml).iter("node"):
        labelled = any(n.get("text") or n.get("content-desc") for n in node.iter("node"))
        clickable = node.get("clickable") == "true"
        assert (node.get("NAF") == "true") == (clickable and not labelled)


def test_u2_root_in_active_leaves_the_system_ui_out(served: VirtualPhoneServer) -> None:
    import uiautomator2 as u2

    served.phone.reset()
    device = u2.connect(served.serial)
    served.phone.start_app(NOTES)
    assert "com.android.systemui" in device.dump_hierarchy()
    active = device.dump_hierarchy(root_in_active=True)
    assert "com.android.systemui" not in active and NOTES in active


# -- input text / keycombination -------------------------------------------------------


def test_input_text_types_ascii_and_fails_like_a_phone_on_other_text(
    served: VirtualPhoneServer, phone: Phone
) -> None:
    focus_note_title(phone)
    assert sh(served, "input text 'milk%sand%%sbread'")[0] == 0
    assert title(phone) == "milk and% bread"
    status, out, err = sh(served, "input text 'café'")
    assert (status, out) == (255, "")
    assert err.startswith(
        "Exception occurred while executing 'text':\n"
        "java.lang.NullPointerException: Attempt to get length of null array\n"
        "\tat com.android.server.input.InputShellCommand.sendText("
    )
    assert title(phone) == "milk and% bread"  # nothing typed


def test_keycombination_selects_copies_cuts_and_pastes(
    served: VirtualPhoneServer, phone: Phone
) -> None:
    focus_note_title(phone)
    sh(served, "input text hello")
    assert sh(served, "input keycombination 113 29")[0] == 0  # Ctrl+A
    sh(served, "input keycombination KEYCODE_CTRL_LEFT KEYCODE_C")
    assert phone.clipboard == "hello"
    assert title(phone) == "hello"  # not "helloac"
    sh(served, "input keycombination 113 50")  # Ctrl+V replaces the selection
    assert title(phone) == "hello"
    sh(served, "input keycombination 113 50")  # ...and then inserts at the cursor
    assert title(phone) == "hellohello"
    sh(served, "input keycombination 113 29 && input text bye")  # typing replaces a selection
    assert title(phone) == "bye"
    sh(served, "input keycombination 113 29 && input keycombination 113 52")  # Ctrl+X
    assert (title(phone), phone.clipboard) == ("", "bye")
    sh(served, "input text x && input keycombination 113 29 && input keyevent 67")
    assert title(phone) == ""
    assert sh(served, "input keycombination 113")[0] != 0  # a combination is two keys


# -- ADB Keyboard ---------------------------------------------------------------------


def test_adb_keyboard_types_only_once_installed_and_selected(
    served: VirtualPhoneServer, phone: Phone, tmp_path: Path
) -> None:
    focus_note_title(phone)
    broadcast = "am broadcast -a ADB_INPUT_TEXT --es msg 'hello'"
    status, out, _ = sh(served, broadcast)
    assert status == 0
    assert out.endswith("Broadcast completed: result=0\n")
    assert title(phone) == ""  # delivered to no one
    apk = tmp_path / "ADBKeyboard.apk"
    apk.write_bytes(adb_keyboard_apk())
    done = run_adb("-s", served.serial, "install", str(apk))
    assert done.returncode == 0 and b"Success" in done.stdout, done
    assert ADB_IME in sh(served, "ime list -s -a")[1].splitlines()
    sh(served, broadcast)
    assert title(phone) == ""  # installed, not selected
    assert sh(served, f"ime enable {ADB_IME} && ime set {ADB_IME}")[0] == 0
    sh(served, broadcast)
    assert title(phone) == "hello"
    b64 = base64.b64encode(" wörld".encode()).decode()
    sh(served, f"am broadcast -a ADB_INPUT_B64 --es msg {b64}")
    assert title(phone) == "hello wörld"
    sh(served, "am broadcast -a ADB_CLEAR_TEXT")
    assert title(phone) == ""
    assert sh(served, "pm uninstall com.android.adbkeyboard")[1] == "Success\n"
    sh(served, broadcast)
    assert title(phone) == ""


# -- am start / pm grant errors -------------------------------------------------------


def test_am_start_of_an_unresolvable_intent_reports_it(
    served: VirtualPhoneServer, phone: Phone
) -> None:
    before = phone.current()
    status, out, err = sh(served, "am start -a android.intent.action.VIEW -d 'foo://bar/x?q=1'")
    assert status == 0
    assert out == "Starting: Intent { act=android.intent.action.VIEW dat=foo://bar/x }\n"
    assert err == (
        "Error: Activity not started, unable to resolve Intent "
        "{ act=android.intent.action.VIEW dat=foo://bar/x flg=0x10000000 }\n"
    )
    status, _, err = sh(served, "am start -a com.example.NOTHING_HANDLES_THIS")
    assert "unable to resolve Intent { act=com.example.NOTHING_HANDLES_THIS" in err
    assert phone.current() == before
    status, out, err = sh(served, "am start -a android.intent.action.VIEW -d https://x.org/a?b")
    assert (status, err) == (0, "")
    assert "dat=https://x.org/..." in out


def test_pm_grant_of_an_unknown_permission_throws(served: VirtualPhoneServer) -> None:
    status, out, err = sh(served, f"pm grant {NOTES} android.permission.NOT_A_PERMISSION")
    assert (status, out) == (255, "")
    assert err.startswith(
        "Exception occurred while executing 'grant':\n"
        "java.lang.IllegalArgumentException: Unknown permission: "
        "android.permission.NOT_A_PERMISSION\n\tat "
    )
    status, _, err = sh(served, f"pm grant {NOTES} android.permission.INTERNET")
    assert status == 255 and "is not a changeable permission type" in err
    assert sh(served, f"pm grant {NOTES} android.permission.CAMERA") == (0, "", "")


# -- probes: dumpsys input / window, task ids -----------------------------------------


def test_geometry_and_focus_probes_answer_as_harnesses_grep_them(
    served: VirtualPhoneServer, phone: Phone
) -> None:
    phone.start_app(NOTES)
    status, text, _ = sh(served, "dumpsys input")
    assert status == 0 and "Can't find service" not in text
    assert re.search(r"SurfaceOrientation: 0\n", text)
    assert re.search(r"SurfaceWidth: 1080px\n\s+SurfaceHeight: 2400px", text)
    assert "orientation=0, logicalFrame=[0, 0, 1080, 2400]" in text
    window = sh(served, "dumpsys window")[1]
    assert "mCurrentRotation=ROTATION_0" in window
    assert re.search(r"cur=1080x2400 app=1080x(\d+)", window)
    focus = re.search(r"mCurrentFocus=Window\{\S+ u0 (\S+)/(\S+)\}", window)
    assert focus is not None and focus.group(1) == NOTES
    displays = sh(served, "dumpsys window displays")[1]
    assert "init=1080x2400 420dpi" in displays and "WINDOW MANAGER WINDOWS" not in displays


def test_task_ids_agree_between_am_and_dumpsys(served: VirtualPhoneServer, phone: Phone) -> None:
    phone.start_app(NOTES)
    phone.start_app("com.android.settings")
    stacks = sh(served, "am stack list")[1]
    listed = dict(re.findall(r"taskId=(\d+): ([\w.]+)/", stacks))
    assert set(listed.values()) >= {NOTES, "com.android.settings"}
    assert not {"com.android.systemui"} & set(listed.values())  # system UI has no task
    activities = sh(served, "dumpsys activity activities")[1]
    dumped = dict(re.findall(r"\* Task\{\S+ #(\d+) type=\w+ A=\d+:([\w.]+)", activities))
    assert dumped == listed
    focused = re.search(r"mFocusedApp=ActivityRecord\{\S+ u0 ([\w.]+)/\S+ t(\d+)\}", activities)
    assert focused is not None
    assert listed[focused.group(2)] == focused.group(1) == "com.android.settings"
    window = sh(served, "dumpsys window")[1]
    assert f"t{focused.group(2)}}}" in window
    recents = sh(served, "dumpsys -t 10 activity recents")[1]
    recent = re.findall(r"\* Recent #\d+: Task\{\S+ #(\d+) type=standard A=\d+:([\w.]+)", recents)
    assert dict(recent) == {k: v for k, v in listed.items() if v != "com.android.launcher3"}
    notes_task = next(task for task, package in listed.items() if package == NOTES)
    assert sh(served, f"am stack remove {notes_task}")[0] == 0  # android_world's close_recents
    assert NOTES not in sh(served, "am stack list")[1]


# -- installed APKs --------------------------------------------------------------------


def test_an_installed_apk_is_known_to_the_whole_phone(
    served: VirtualPhoneServer, phone: Phone, tmp_path: Path
) -> None:
    import uiautomator2 as u2

    package = "com.example.hello"
    path = tmp_path / "hello.apk"
    path.write_bytes(launcher_apk(package, "Hello"))
    done = run_adb("-s", served.serial, "install", str(path))
    assert done.returncode == 0 and b"Success" in done.stdout, done
    assert f"package:{package}" in sh(served, "pm list packages -3")[1].split()
    resolved = sh(served, f"cmd package resolve-activity --brief {package}")[1]
    assert resolved.splitlines()[-1] == f"{package}/.MainActivity"
    assert (package, "Hello") in [(a.package, a.label) for a in phone.launcher_apps()]
    assert sh(served, f"monkey -p {package} -c android.intent.category.LAUNCHER 1")[0] == 0
    assert phone.current() == (package, f"{package}.MainActivity")
    assert f"u0 {package}/{package}.MainActivity}}" in sh(served, "dumpsys window")[1]
    assert package in u2.connect(served.serial).app_list()
    phone.reset()  # installed apps survive the phone's reset, as APKs survive a reboot
    assert phone.start_app(package)
    assert sh(served, f"pm uninstall {package}")[1] == "Success\n"
    assert package not in [app.package for app in phone.launcher_apps()]
    assert not phone.start_app(package)
    assert package not in phone.state()["apps"]


def test_clearing_the_contacts_provider_empties_contacts_and_the_call_state_is_idle(
    served: VirtualPhoneServer, phone: Phone
) -> None:
    contacts = "com.example.contacts"
    assert phone.app_state(contacts)["contacts"]
    assert sh(served, "pm clear com.android.providers.contacts") == (0, "Success\n", "")
    assert phone.app_state(contacts)["contacts"] == []
    assert "package:com.android.providers.contacts" in sh(served, "pm list packages")[1]
    assert sh(served, "pm clear com.example.nothing")[:2] == (1, "Failed\n")
    status, out, _ = sh(served, "dumpsys telephony.registry")
    assert status == 0 and re.search(r"^\s+mCallState=0$", out, re.MULTILINE)
