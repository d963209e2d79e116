"""Android commands of the virtual phone's shell (in process, against the real phone model):
their effect on the phone and the exact output formats the client libraries parse."""

from __future__ import annotations

import asyncio
import base64
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from virtual_phone.contract import NodeInfo
from virtual_phone.phone import Phone
from virtual_phone.shell import Shell, ShellIO
from virtual_phone.shell.streams import BufferSink, BytesSource

NOTES = "com.example.notes"
# The parsers of adbutils 2.12 / uiautomator2 3.7 (adbutils/shell.py, uiautomator2/__init__.py).
FOCUSED_RE = re.compile(r"mCurrentFocus=Window{.*\s+(?P<package>[^\s]+)/(?P<activity>[^\s]+)\}")
RESUMED_RE = re.compile(
    r"mResumedActivity: ActivityRecord\{.*?\s+(?P<package>[^\s]+)/(?P<activity>[^\s]+)\s.*?\}"
)
TOP_RE = re.compile(r"ACTIVITY (?P<package>[^\s]+)/(?P<activity>[^/\s]+) \w+ pid=(?P<pid>\d+)")
U2_APK = Path(__import__("uiautomator2").__file__).parent / "assets" / "app-uiautomator.apk"


def run(shell: Shell, line: str, stdin: bytes = b"") -> tuple[int, bytes, str]:
    out, err = BufferSink(), BufferSink()

    async def go() -> int:
        return await shell.run(line, ShellIO(BytesSource(stdin), out, err))

    status = asyncio.run(go())
    return status, bytes(out.data), err.data.decode()


def out(shell: Shell, line: str) -> str:
    status, stdout, stderr = run(shell, line)
    assert status == 0, (line, stdout, stderr)
    return stdout.decode()


def find(phone: Phone, **attrs: str) -> NodeInfo:
    stack = list(phone.nodes())
    while stack:
        node = stack.pop()
        if all(getattr(node, key) == value for key, value in attrs.items()):
            return node
        stack.extend(node.children)
    raise AssertionError(f"no node with {attrs}")


def centre(node: NodeInfo) -> tuple[int, int]:
    left, top, right, bottom = node.bounds
    return (left + right) // 2, (top + bottom) // 2


@pytest.fixture
def phone() -> Phone:
    return Phone(seed=0)


@pytest.fixture
def shell(phone: Phone) -> Shell:
    return Shell(phone)


def test_getprop_and_wm(shell: Shell) -> None:
    assert out(shell, "getprop ro.product.model") == "Pixel 7\n"
    assert out(shell, "getprop no.such.prop") == "\n"
    assert out(shell, "wm size") == "Physical size: 1080x2400\n"
    assert out(shell, "wm density") == "Physical density: 420\n"


def test_first_orientation_line_is_the_rotation(shell: Shell, phone: Phone) -> None:
    phone.set_rotation(1)
    first = re.search(r"orientation=(\d+)", out(shell, "dumpsys display"))
    assert first is not None
    assert first.group(1) == "1"


def test_am_start_changes_the_focus_that_dumpsys_reports(shell: Shell, phone: Phone) -> None:
    text = out(shell, f"am start -n {NOTES}/.MainActivity")
    assert text.startswith(f"Starting: Intent {{ cmp={NOTES}/.MainActivity }}")
    assert phone.current()[0] == NOTES
    focus = FOCUSED_RE.search(out(shell, "dumpsys window windows"))
    assert focus is not None
    assert (focus["package"], focus["activity"]) == (NOTES, f"{NOTES}.MainActivity")
    resumed = RESUMED_RE.search(out(shell, "dumpsys activity activities"))
    assert resumed is not None
    assert resumed["package"] == NOTES
    top = TOP_RE.search(out(shell, "dumpsys activity top"))
    assert top is not None
    assert top["package"] == NOTES
    assert int(top["pid"]) > 0


def test_am_start_of_a_missing_activity_fails(shell: Shell, phone: Phone) -> None:
    status, stdout, stderr = run(shell, "am start -n com.nope/.Main")
    assert status == 1
    assert b"Error type 3" in stdout
    assert "does not exist" in stderr
    assert phone.current()[0] != "com.nope"


def test_monkey_and_force_stop(shell: Shell, phone: Phone) -> None:
    text = out(shell, f"monkey -p {NOTES} -c android.intent.category.LAUNCHER 1")
    assert "Events injected: 1" in text
    assert phone.current()[0] == NOTES
    assert NOTES in out(shell, "ps -A")
    out(shell, f"am force-stop {NOTES}")
    assert phone.current()[0] != NOTES
    status, _, stderr = run(shell, "monkey -p com.nope -c android.intent.category.LAUNCHER 1")
    assert status != 0
    assert "No activities found" in stderr


def test_view_intent_opens_the_browser(shell: Shell, phone: Phone) -> None:
    out(shell, "am start -a android.intent.action.VIEW -d https://example.com")
    assert phone.current()[0] == "com.example.browser"


def test_input_tap_launches_the_app_under_the_finger(shell: Shell, phone: Phone) -> None:
    x, y = centre(find(phone, text="Notes", clickable=True))
    out(shell, f"input tap {x} {y}")
    assert phone.current()[0] == NOTES


def test_input_text_and_keyevents_edit_the_focused_field(shell: Shell, phone: Phone) -> None:
    out(shell, f"am start -n {NOTES}/.MainActivity")
    x, y = centre(find(phone, resource_id=f"{NOTES}:id/search"))
    out(shell, f"input -d 0 tap {x} {y}")
    assert "mInputShown=true" in out(shell, "dumpsys input_method")
    out(shell, "input text 'milk eggs'")
    assert find(phone, resource_id=f"{NOTES}:id/search").text == "milk eggs"
    out(shell, "input keyevent KEYCODE_DEL; input keyevent 67")
    assert find(phone, resource_id=f"{NOTES}:id/search").text == "milk eg"
    out(shell, "input text %sbread")
    assert find(phone, resource_id=f"{NOTES}:id/search").text == "milk eg bread"
    out(shell, "input keyevent BACK; input keyevent HOME")
    assert phone.current()[0] == "com.android.launcher3"


def test_unknown_key_is_an_error(shell: Shell) -> None:
    status, _, stderr = run(shell, "input keyevent NO_SUCH_KEY")
    assert status == 1
    assert "Unknown keycode" in stderr
    assert run(shell, "input tap 10")[0] == 1


def test_swipe_from_the_top_edge_opens_the_shade(shell: Shell, phone: Phone) -> None:
    shade = 'resource-id="com.android.systemui:id/notification_panel"'
    assert shade not in phone.hierarchy_xml()
    out(shell, "input swipe 540 10 540 1200 300")
    assert shade in phone.hierarchy_xml()


def test_screen_power_keys_show_in_dumpsys_power(shell: Shell, phone: Phone) -> None:
    out(shell, "input keyevent 223")
    assert not phone.screen_on
    assert "mHoldingDisplaySuspendBlocker=false" in out(shell, "dumpsys power")
    out(shell, "input keyevent 224")
    power = out(shell, "dumpsys power")
    assert "mHoldingDisplaySuspendBlocker=true" in power
    assert "mWakefulness=Awake" in power


def test_package_manager(shell: Shell) -> None:
    third_party = re.findall(r"^package:(\S+)$", out(shell, "pm list packages -3"), re.M)
    everything = re.findall(r"^package:(\S+)$", out(shell, "pm list packages ''"), re.M)
    assert NOTES in third_party
    assert "com.android.settings" not in third_party
    assert set(third_party) < set(everything)
    assert out(shell, "pm list packages --user 0 -3") == out(shell, "pm list packages -3")
    assert out(shell, "pm list packages notes") == f"package:{NOTES}\n"
    assert out(shell, f"pm path {NOTES}").startswith("package:/data/app/")
    assert run(shell, "pm path com.nope")[0] == 1
    assert out(shell, f"pm clear {NOTES}") == "Success\n"
    info = out(shell, f"dumpsys package {NOTES}")
    assert re.search(r"versionName=\S+", info)
    assert re.search(r"targetSdk=\d+", info)
    assert re.search(r"firstInstallTime=[-\d]+\s+[:\d]+", info)
    resolved = out(shell, f"cmd package resolve-activity --brief {NOTES}").splitlines()
    assert resolved[-1] == f"{NOTES}/.MainActivity"


def test_pm_install_reads_the_apk_and_registers_its_input_method(
    shell: Shell, phone: Phone
) -> None:
    status, stdout, _ = run(shell, "pm install -r -t /data/local/tmp/none.apk")
    assert status == 1
    assert b"Success" not in stdout
    assert b"Unable to open file" in stdout
    phone.fs.write("/data/local/tmp/u2.apk", U2_APK.read_bytes())
    assert out(shell, "pm install -r -t /data/local/tmp/u2.apk") == "Success\n"
    assert "package:com.github.uiautomator" in out(shell, "pm list packages -3")
    ime = "com.github.uiautomator/.AdbKeyboard"
    assert ime in out(shell, "ime list -s -a").splitlines()
    out(shell, f"ime enable {ime} && ime set {ime}")
    assert out(shell, "settings get secure default_input_method") == ime + "\n"
    assert out(shell, "pm uninstall com.github.uiautomator") == "Success\n"
    assert ime not in out(shell, "ime list -s -a")
    phone.fs.write("/data/local/tmp/bad.apk", b"not a zip")
    assert b"Failure" in run(shell, "pm install /data/local/tmp/bad.apk")[1]


def test_streamed_install_reads_exactly_the_announced_size(shell: Shell) -> None:
    apk = U2_APK.read_bytes()
    status, stdout, _ = run(shell, f"cmd package 'install' -S {len(apk)}", stdin=apk)
    assert (status, stdout) == (0, b"Success\n")
    status, stdout, _ = run(shell, f"cmd package 'install' -S {len(apk) + 10}", stdin=apk)
    assert status == 1
    assert b"Failure" in stdout


def test_adb_keyboard_broadcast_types_text(shell: Shell, phone: Phone) -> None:
    phone.fs.write("/data/local/tmp/u2.apk", U2_APK.read_bytes())
    ime = "com.github.uiautomator/.AdbKeyboard"
    out(shell, f"pm install /data/local/tmp/u2.apk && ime enable {ime} && ime set {ime}")
    out(shell, f"am start -n {NOTES}/.MainActivity")
    x, y = centre(find(phone, resource_id=f"{NOTES}:id/search"))
    out(shell, f"input tap {x} {y}")
    encoded = base64.b64encode("café ☕".encode()).decode()
    text = out(shell, f"am broadcast -a ADB_KEYBOARD_INPUT_TEXT --es text {encoded}")
    assert "Broadcast completed: result=-1" in text
    assert find(phone, resource_id=f"{NOTES}:id/search").text == "café ☕"
    other = out(shell, "am broadcast -a android.intent.action.AIRPLANE_MODE --ez state false")
    assert "result=0" in other


def test_settings_svc_and_ifconfig(shell: Shell, phone: Phone) -> None:
    out(shell, "settings put system screen_brightness 77")
    assert out(shell, "settings get system screen_brightness") == "77\n"
    assert out(shell, "settings get global no_such_key") == "null\n"
    out(shell, "svc wifi disable")
    assert not phone.wifi_enabled
    assert "inet addr:" not in out(shell, "ifconfig wlan0")
    out(shell, "svc wifi enable")
    assert re.search(r"inet\s*addr:(.*?)\s", out(shell, "ifconfig wlan0"))


def test_ps_lists_processes_with_pid_in_column_two(shell: Shell, phone: Phone) -> None:
    out(shell, f"monkey -p {NOTES} -c android.intent.category.LAUNCHER 1")
    lines = out(shell, "ps -A").splitlines()
    assert lines[0].split()[1] == "PID"
    rows = [line.split() for line in lines[1:]]
    assert all(len(row) >= 9 and row[1].isdigit() for row in rows)
    names = [row[-1] for row in rows]
    assert NOTES in names
    assert "init" in names
    pid = next(row[1] for row in rows if row[-1] == NOTES)
    assert out(shell, f"pidof {NOTES}") == f"{pid}\n"


def test_battery_dump_is_key_value_lines(shell: Shell) -> None:
    out(shell, "dumpsys battery set level 42")
    values = dict(
        line.strip().split(": ", 1) for line in out(shell, "dumpsys battery").splitlines()[1:]
    )
    assert values["level"] == "42"
    assert values["present"] == "true"


def test_screencap_png_to_stdout_and_to_a_file(shell: Shell, phone: Phone) -> None:
    _, png, _ = run(shell, "screencap -p")
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (1080, 2400))
    assert image.convert("RGB").tobytes() == phone.screenshot().convert("RGB").tobytes()
    out(shell, "screencap -p /sdcard/shot.png")
    assert phone.fs.read("/sdcard/shot.png")[:8] == b"\x89PNG\r\n\x1a\n"
    _, raw, _ = run(shell, "screencap")
    assert len(raw) == 16 + 1080 * 2400 * 4


def test_uiautomator_dump_writes_the_hierarchy(shell: Shell, phone: Phone) -> None:
    text = out(
        shell, "rm -f /data/local/tmp/d.xml; uiautomator dump /data/local/tmp/d.xml && echo success"
    )
    assert text == "UI hierchary dumped to: /data/local/tmp/d.xml\nsuccess\n"
    assert phone.fs.read("/data/local/tmp/d.xml").decode() == phone.window_dump()
    assert out(shell, "uiautomator dump") == "UI hierchary dumped to: /sdcard/window_dump.xml\n"


def test_logcat_dump_and_clear(shell: Shell) -> None:
    out(shell, f"am start -n {NOTES}/.MainActivity")
    assert NOTES in out(shell, "logcat -d -v time")
    out(shell, "logcat --clear")
    assert NOTES not in out(shell, "logcat -d")


def test_logcat_follows_until_hang_up(shell: Shell) -> None:
    sink = BufferSink()

    async def go() -> int:
        io_ = ShellIO(BytesSource(), sink, BufferSink())
        task = asyncio.create_task(shell.run("logcat -v brief", io_))
        await asyncio.sleep(0)
        shell.state.log("Test", "late line")
        while b"late line" not in sink.data:
            await asyncio.sleep(0.01)
        io_.hangup.set()
        return await asyncio.wait_for(task, timeout=30)

    assert asyncio.run(go()) == 0
    assert b"I/Test(" in sink.data


def test_app_process_serves_port_9008_while_the_stream_is_open(shell: Shell, phone: Phone) -> None:
    line = "CLASSPATH=/data/local/tmp/u2.jar app_process / com.wetest.uia2.Main -p 9008"
    status, _, stderr = run(shell, line)
    assert status == 1
    assert "ClassNotFoundException" in stderr
    phone.fs.write("/data/local/tmp/u2.jar", b"jar")

    async def go() -> tuple[bool, bool]:
        io_ = ShellIO(BytesSource(), BufferSink(), BufferSink())
        task = asyncio.create_task(shell.run(line, io_))
        while phone.tcp_handler(9008) is None:
            await asyncio.sleep(0.01)
        running = "app_process" in (await _ps(shell))
        io_.hangup.set()
        await asyncio.wait_for(task, timeout=30)
        return running, phone.tcp_handler(9008) is None

    assert asyncio.run(go()) == (True, True)


async def _ps(shell: Shell) -> str:
    sink = BufferSink()
    await shell.run("ps -A", ShellIO(BytesSource(), sink, BufferSink()))
    return sink.data.decode()


LAUNCHER_INTENT = "-a android.intent.action.MAIN -c android.intent.category.LAUNCHER"


def test_query_activities_lists_launcher_apps_with_labels(shell: Shell) -> None:
    from mobile_agent.device.apps import parse_launcher_activities

    listing = out(shell, f"cmd package query-activities {LAUNCHER_INTENT}")
    apps = {app.package: app for app in parse_launcher_activities(listing)}
    assert apps[NOTES].label == "Notes"
    assert apps[NOTES].activity == f"{NOTES}.MainActivity"
    assert apps["com.android.settings"].label == "Settings"
    assert "com.android.shell" not in apps  # not a launcher app
    send = out(shell, "cmd package query-activities -a android.intent.action.SEND")
    assert send == "No activities found\n"
    brief = out(shell, f"pm query-activities --brief {LAUNCHER_INTENT}")
    assert f"    {NOTES}/.MainActivity" in brief.splitlines()
    # intent options are not mistaken for the package name
    resolved = out(shell, f"cmd package resolve-activity --brief {LAUNCHER_INTENT} {NOTES}")
    assert resolved.splitlines()[-1] == f"{NOTES}/.MainActivity"
