"""android_world's `adb_utils` through android_env's call parser, against the virtual phone.

Sources: github.com/google-research/android_world `android_world/env/adb_utils.py` (which
builds `AdbRequest`s or generic argument lists) and github.com/google-deepmind/android_env
`android_env/components/adb_call_parser.py` (which turns them into argument lists for
`adb -s SERIAL …`; `AdbController.execute_command` runs them without a host shell, so adb
joins the words with spaces and the phone's shell parses the line: `|` pipes on the phone).
A generic request given as one string is split on single spaces, as `issue_generic_request`
does.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest

from .device import LAUNCHER, NOTES, SEARCH, Answer, Client, png_size

pytestmark = pytest.mark.e2e

CLIENT = "android_world (adb_utils.py via android_env)"
NOTES_MAIN = f"{NOTES}/.MainActivity"
TO_ESCAPE = ["\\", ";", "|", "`", "\r", " ", "'", '"', "&", "<", ">", "(", ")", "#", "$"]
TASK_LINE = re.compile(
    r"^\ *taskId=(?P<id>[0-9]*): (?P<base_activity>[^\s]*) .*visible=true"
    r".*topActivity=ComponentInfo{(?P<top_activity>[^\s]*)}$"
)


def generic(client: Client, args: str | list[str]) -> Answer:
    """adb_utils.issue_generic_request: a string is split on single spaces."""
    return client.argv(*(args.split(" ") if isinstance(args, str) else args))


def adb_text_format(text: str) -> str:
    """adb_utils._adb_text_format: backslash the shell's specials, drop non-ASCII."""
    for char in TO_ESCAPE:
        text = text.replace(char, "\\" + char)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def type_text(client: Client, text: str) -> None:
    """adb_utils.type_text: word by word, "%s" between words, Enter for a newline."""
    for i, line in enumerate(text.split("\n")):
        if i:
            client.argv("shell", "input", "keyevent", "KEYCODE_ENTER")
        words = line.split(" ")
        for j, word in enumerate(words):
            if word:
                client.argv("shell", "input", "text", adb_text_format(word))
            if j < len(words) - 1:
                client.argv("shell", "input", "text", "%s")


def start_activity(client: Client, activity: str) -> Answer:
    """adb_call_parser._start_activity (force_stop unset: an empty word), then its check."""
    return client.argv("shell", "am", "start", "", "-W", "-n", activity)


def start_failed(answer: Answer) -> bool:
    """adb_call_parser._start_activity: `.*Error.*` matched on str(command_output)."""
    return re.match(r".*Error.*", str(answer.out.encode())) is not None


def focus_search(client: Client) -> None:
    """adb_call_parser._tap on the Notes search field."""
    x, y = client.open_notes_search()
    assert client.argv("shell", "input", "tap", str(x), str(y)).status == 0


def test_start_activity_and_current_activity(client: Client) -> None:
    # adb_call_parser._start_activity, then _get_current_activity:
    # "am stack list | grep -E visible=true", `.*\{(.*)\}` on the visible task
    started = start_activity(client, NOTES_MAIN)
    assert started.status == 0
    assert not start_failed(started)
    assert client.foreground() == NOTES
    visible = client.argv("shell", "am", "stack", "list", "|", "grep", "-E", "visible=true")
    match = re.compile(r".*\{(.*)\}").search(visible.out)
    assert match is not None, visible
    assert match.group(1) == f"{NOTES}/{NOTES}.MainActivity"


def test_task_id_of_the_visible_activity(client: Client) -> None:
    # adb_call_parser._fetch_current_task_id (screen pinning): its regex over am stack list
    start_activity(client, NOTES_MAIN)
    lines = client.argv("shell", "am", "stack", "list").out.splitlines()
    tasks = [m.groupdict() for line in lines if (m := TASK_LINE.search(line))]
    assert [t["top_activity"] for t in tasks] == [f"{NOTES}/{NOTES}.MainActivity"]
    assert int(tasks[0]["id"]) > 0


def test_start_activity_that_does_not_exist_reports_an_error(client: Client) -> None:
    # adb_call_parser._start_activity: a phone prints "Error: Activity class {…} does not
    # exist." and the parser reports an error; nothing starts
    # (android_env sees a failure either way: a failing status makes check_output raise)
    answer = start_activity(client, "com.nope.app/.Main")
    assert answer.status != 0 or start_failed(answer), answer
    assert "Error type 3" in answer.merged
    assert "Error: Activity class {com.nope.app/com.nope.app.Main} does not exist." in answer.merged
    assert client.foreground() == LAUNCHER


def test_launch_by_package_with_monkey_and_close(client: Client) -> None:
    # adb_utils.launch_app (monkey -p PKG 1) and close_app (am force-stop)
    assert generic(client, ["shell", "monkey", "-p", NOTES, "1"]).status == 0
    assert client.foreground() == NOTES
    assert generic(client, ["shell", "am", "force-stop", NOTES]).status == 0
    assert client.foreground() == LAUNCHER


def test_view_intent_with_quoted_data(client: Client) -> None:
    # adb_utils.send_android_intent: -d "<uri>" (the quotes go to the phone's shell)
    answer = generic(
        client,
        ["shell", "am", "start", "-a", "android.intent.action.VIEW", "-d", '"https://example.com"'],
    )
    assert answer.status == 0
    assert client.foreground() == "com.example.browser"


def test_tap_and_buttons(client: Client) -> None:
    # adb_call_parser._tap and _press_button (KEYCODE_HOME / KEYCODE_BACK / KEYCODE_ENTER)
    x, y = client.centre(text="Notes", package=LAUNCHER)
    assert client.argv("shell", "input", "tap", str(x), str(y)).out == ""
    assert client.foreground() == NOTES
    for key in ("KEYCODE_ENTER", "KEYCODE_BACK"):
        assert client.argv("shell", "input", "keyevent", key).status == 0
    assert client.foreground() == LAUNCHER


def test_type_text_word_by_word_with_escapes(client: Client) -> None:
    # adb_utils.type_text: backslash escapes survive the phone's shell, %s is a space
    focus_search(client)
    type_text(client, "it's 5$ (ok) café")
    assert client.text_of(SEARCH) == "it's 5$ (ok) cafe"


def test_long_press_swipe_and_drag(client: Client) -> None:
    # adb_utils.long_press (input swipe x y x y 1000); generate_swipe_command and
    # generate_drag_and_drop_command without a duration (an empty last word)
    x, y = client.centre(text="Notes", package=LAUNCHER)
    generic(client, ["shell", "input", "swipe", str(x), str(y), str(x), str(y), "1000"])
    assert client.screen().xpath("//node[@text='App info']"), "no long-press menu"
    assert client.phone.start_app("com.android.settings")
    before = client.titles()
    swipe = generic(client, ["shell", "input", "swipe", "540", "1800", "540", "900", ""])
    assert (swipe.status, swipe.out) == (0, "")
    client.assert_scrolled(before, 600)
    drag = generic(client, ["shell", "input", "draganddrop", "540", "900", "540", "1500", ""])
    assert (drag.status, drag.err) == (0, "")


def test_screen_size_and_api_level(client: Client) -> None:
    # adb_utils.get_screen_size (wm size) and get_api_level (getprop as one word)
    size = generic(client, ["shell", "wm size"]).out
    match = re.search(r"Physical size: (\d+)x(\d+)", size)
    assert match is not None and tuple(map(int, match.groups())) == (1080, 2400)
    assert int(generic(client, ["shell", "getprop ro.build.version.sdk"]).out) == 34


def test_logical_size_and_physical_frame_from_dumpsys_input(client: Client) -> None:
    # adb_utils.get_logical_screen_size / get_physical_frame_boundary: dumpsys input | grep
    logical = generic(client, "shell dumpsys input | grep logicalFrame").out
    sizes = re.findall(r"logicalFrame=\[0, 0, (\d+), (\d+)\]", logical)
    assert [s for s in sizes if s != ("0", "0")][:1] == [("1080", "2400")]
    physical = generic(client, "shell dumpsys input | grep physicalFrame").out
    frames = re.findall(r"physicalFrame=\[(\d+), (\d+), (\d+), (\d+)\]", physical)
    assert [f for f in frames if f != ("0", "0", "0", "0")][:1] == [("0", "0", "1080", "2400")]


def orientation(client: Client) -> int:
    """adb_utils.get_orientation: dumpsys window | grep mCurrentRotation."""
    raw = generic(client, "shell dumpsys window | grep mCurrentRotation").out
    matches = re.findall(r"mCurrentRotation=ROTATION_(\d+)", raw)
    assert matches, f"no mCurrentRotation in {raw!r}"
    return int(matches[0]) // 90


def surface_orientation(client: Client) -> int:
    """adb_call_parser._get_orientation: the first valid (Surface|InputDevice)Orientation."""
    skip = False
    for line in generic(client, ["shell", "dumpsys", "input"]).out.split("\n"):
        width = re.match(r"\s+PhysicalWidth:\s+(-?\d+)px", line)
        if width:
            skip = int(width.group(1)) < 0
        found = re.match(r"\s+(SurfaceOrientation|InputDeviceOrientation):\s+.*(\d)", line)
        if found and not skip:
            return int(found.group(2))
    raise AssertionError("no SurfaceOrientation/InputDeviceOrientation in dumpsys input")


def test_change_orientation_to_landscape(client: Client) -> None:
    # adb_utils.change_orientation: accelerometer_rotation 0, user_rotation 1; then both
    # orientation probes, and a screenshot laid out in landscape
    assert (orientation(client), surface_orientation(client)) == (0, 0)
    put = ["shell", "settings", "put", "system"]
    generic(client, [*put, "accelerometer_rotation", "0"])
    generic(client, [*put, "user_rotation", "1"])
    assert (orientation(client), surface_orientation(client)) == (1, 1)
    assert png_size(client.phone.screenshot_png()) == (2400, 1080)
    assert "Physical size: 1080x2400" in generic(client, ["shell", "wm size"]).out


def test_uiautomator_dump_then_cat(client: Client) -> None:
    # adb_utils.uiautomator_dump: dump to /sdcard/window_dump.xml, then cat it
    start_activity(client, NOTES_MAIN)
    generic(client, "shell uiautomator dump /sdcard/window_dump.xml")
    xml = generic(client, "shell cat /sdcard/window_dump.xml").out
    root = ET.fromstring(xml)
    packages = {node.get("package") for node in root.iter("node")}
    assert packages == {NOTES}
    assert all("visible-to-user" not in node.attrib for node in root.iter("node"))


def test_get_all_settings_lines_are_key_value(client: Client) -> None:
    # adb_utils.get_all_settings: settings list secure|global|system, line.split("=", 1)
    settings = {}
    for command in (
        "shell settings list secure",
        "shell settings list global",
        "shell settings list system",
    ):
        answer = generic(client, command)
        assert answer.status == 0, answer
        for line in answer.out.split("\n"):
            if line:
                key, value = line.split("=", 1)
                settings[key] = value
    assert {"default_input_method", "airplane_mode_on", "screen_brightness"} <= set(settings)


def test_airplane_mode_and_wifi(client: Client) -> None:
    # adb_utils.toggle_airplane_mode / check_airplane_mode, _toggle_svc("wifi", "off")
    generic(client, ["shell", "settings", "put", "global", "airplane_mode_on", "1"])
    out = generic(client, ["shell", "settings", "get", "global", "airplane_mode_on"]).out
    assert out.replace("\r", "").strip("\n") == "1"
    assert generic(client, ["shell", "svc", "wifi", "disable"]).status == 0
    assert client.phone.wifi_enabled is False


def test_package_manager_list_clear_and_bogus_grant(client: Client) -> None:
    # adb_call_parser._handle_package_manager: pm list packages (prefix stripped), pm clear,
    # pm grant of a permission that does not exist (a phone: an exception, status 255)
    out = generic(client, ["shell", "pm", "list", "packages"]).out
    items = [x[len("package:") :] for x in out.split() if x.startswith("package:")]
    assert NOTES in items
    assert generic(client, ["shell", "pm", "clear", NOTES]).out == "Success\n"
    grant = generic(client, ["shell", "pm", "grant", NOTES, "android.permission.NO_SUCH_THING"])
    assert grant.status == 255
    assert (
        "java.lang.IllegalArgumentException: Unknown permission: android.permission.NO_SUCH_THING"
        in grant.merged
    )


def test_close_recents_reads_dumpsys_activity_recents(client: Client) -> None:
    # adb_utils.close_recents: dumpsys activity recents, then am stack remove per id
    start_activity(client, NOTES_MAIN)
    out = generic(client, "shell dumpsys activity recents").out
    assert out.splitlines()[0] == "ACTIVITY MANAGER RECENT TASKS (dumpsys activity recents)"
    assert re.search(r"\* Recent #0: Task\{\w+ #\d+ type=standard A=\d+:com\.example\.notes", out)


def physical_frame_boundary(client: Client) -> tuple[int, int, int, int]:
    """adb_utils.get_physical_frame_boundary: the first non-empty physicalFrame, given in
    portrait (swapped back when the orientation is 1 or 3)."""
    raw = generic(client, "shell dumpsys input | grep physicalFrame").out
    for m in re.findall(r"physicalFrame=\[(\d+), (\d+), (\d+), (\d+)\]", raw):
        if m != ("0", "0", "0", "0"):
            a, b, c, e = map(int, m)
            return (a, b, c, e) if orientation(client) in (0, 2) else (b, a, e, c)
    raise AssertionError("no physicalFrame in dumpsys input")


def test_landscape_geometry_and_dump(client: Client) -> None:
    # in landscape: logicalFrame is landscape, get_physical_frame_boundary gives the portrait
    # frame back, and uiautomator_dump says rotation="1" with landscape bounds
    generic(client, ["shell", "settings", "put", "system", "user_rotation", "1"])
    logical = generic(client, "shell dumpsys input | grep logicalFrame").out
    assert re.findall(r"logicalFrame=\[0, 0, (\d+), (\d+)\]", logical)[0] == ("2400", "1080")
    assert physical_frame_boundary(client) == (0, 0, 1080, 2400)
    generic(client, "shell uiautomator dump /sdcard/window_dump.xml")
    root = ET.fromstring(generic(client, "shell cat /sdcard/window_dump.xml").out)
    assert root.get("rotation") == "1"
    rights = [int(n.get("bounds", "").split("][")[1].split(",")[0]) for n in root.iter("node")]
    assert max(rights) == 2400


def test_call_state_from_telephony_registry(client: Client) -> None:
    # adb_utils.get_call_state: dumpsys telephony.registry, `mCallState=(\d)` (a phone has
    # the service; TelephonyRegistry.dump prints mCallState per phone id): 0 is IDLE
    out = generic(client, ["shell", "dumpsys", "telephony.registry"]).out
    state = re.search(r"mCallState=(\d)", out)
    assert state is not None, out[:200]
    assert state.group(1) == "0"


def test_default_app_heads_up_and_brightness_settings(client: Client) -> None:
    # adb_utils.set_default_app, disable_headsup_notifications, set_brightness("max")
    sms = "com.google.android.apps.messaging"
    for namespace, key, value in (
        ("secure", "sms_default_application", sms),
        ("global", "heads_up_notifications_enabled", "0"),
        ("system", "screen_brightness", "255"),
    ):
        assert generic(client, ["shell", "settings", "put", namespace, key, value]).status == 0
        got = generic(client, ["shell", "settings", "get", namespace, key]).out
        assert got == f"{value}\n"


def test_delete_contacts_clears_the_contacts_provider(client: Client) -> None:
    # adb_utils.delete_contacts: pm clear com.android.providers.contacts (every phone has
    # the contacts provider's package; clearing it answers Success)
    answer = generic(client, ["shell", "pm", "clear", "com.android.providers.contacts"])
    assert (answer.status, answer.out) == (0, "Success\n")
