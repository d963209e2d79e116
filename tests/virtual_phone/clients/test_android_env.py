"""android_env's own AdbCallParser requests against the virtual phone.

Source: github.com/google-deepmind/android_env `android_env/components/adb_call_parser.py`
(`_install_apk`, `_handle_uninstall_package`, `_push`, `_pull`, `_send_broadcast`,
`_force_stop`, `_handle_settings`, `_handle_dumpsys`). `AdbController.execute_command` runs
`adb -s SERIAL ARGS…` with `subprocess.check_output`: a failing status is an error response.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import uiautomator2

from .device import LAUNCHER, NOTES, SEARCH, Client

pytestmark = pytest.mark.e2e

CLIENT = "android_env (adb_call_parser.py)"
U2_APK = Path(str(uiautomator2.__file__)).parent / "assets" / "app-uiautomator.apk"
U2_PACKAGE = "com.github.uiautomator"


def listed_packages(client: Client) -> list[str]:
    """_handle_package_manager list packages: `package:` prefix stripped."""
    out = client.argv("shell", "pm", "list", "packages").out
    return [item[len("package:") :] for item in out.split() if item.startswith("package:")]


def test_install_then_uninstall_an_apk(client: Client) -> None:
    # _install_apk (install -r -t -g PATH), _handle_uninstall_package (list, then uninstall)
    installed = client.argv("install", "-r", "-t", "-g", str(U2_APK))
    assert installed.status == 0, installed
    assert "Success" in installed.out
    assert U2_PACKAGE in listed_packages(client)
    path = client.shell(f"pm path {U2_PACKAGE}").out
    assert path.startswith("package:/data/app/~~") and path.endswith("/base.apk\n")
    assert f"/{U2_PACKAGE}-" in path
    removed = client.argv("uninstall", U2_PACKAGE)
    assert (removed.status, removed.out) == (0, "Success\n")
    assert U2_PACKAGE not in listed_packages(client)


def test_push_and_pull_round_trip(client: Client, tmp_path: Path) -> None:
    # _push (push TMP PATH) and _pull (pull PATH TMP): the same bytes back
    data = os.urandom(70 * 1024)
    local = tmp_path / "up.bin"
    local.write_bytes(data)
    assert client.argv("push", str(local), "/sdcard/Download/up.bin").status == 0
    back = tmp_path / "down.bin"
    assert client.argv("pull", "/sdcard/Download/up.bin", str(back)).status == 0
    assert back.read_bytes() == data
    missing = client.argv("pull", "/sdcard/Download/none.bin", str(tmp_path / "none"))
    assert missing.status == 1
    assert "No such file or directory" in missing.err


def test_send_broadcast_and_force_stop(client: Client) -> None:
    # _send_broadcast (am broadcast -a ACTION) and _force_stop (am force-stop PKG)
    answer = client.argv("shell", "am", "broadcast", "-a", "android.intent.action.TIME_SET")
    assert answer.status == 0
    assert answer.out.splitlines() == [
        "Broadcasting: Intent { act=android.intent.action.TIME_SET flg=0x400000 }",
        "Broadcast completed: result=0",
    ]
    assert client.phone.start_app(NOTES)
    assert client.argv("shell", "am", "force-stop", NOTES).status == 0
    assert client.foreground() == LAUNCHER


def test_settings_get_put_delete(client: Client) -> None:
    # _handle_settings: get / put / delete_key on the system namespace
    put = client.argv("shell", "settings", "put", "system", "screen_off_timeout", "60000")
    assert (put.status, put.out) == (0, "")
    got = client.argv("shell", "settings", "get", "system", "screen_off_timeout")
    assert got.out == "60000\n"
    deleted = client.argv("shell", "settings", "delete", "system", "screen_off_timeout")
    assert deleted.out == "Deleted 1 rows\n"
    assert client.argv("shell", "settings", "get", "system", "screen_off_timeout").out == "null\n"


def test_dumpsys_list_and_timeout_options(client: Client) -> None:
    # _handle_dumpsys: dumpsys -l (list_only), dumpsys -t 5 battery (timeout_sec)
    services = client.argv("shell", "dumpsys", "-l").out.splitlines()
    assert services[0] == "Currently running services:"
    assert {"  activity", "  input", "  window", "  battery"} <= set(services)
    battery = client.argv("shell", "dumpsys", "-t", "5", "battery")
    assert battery.status == 0
    assert battery.out.startswith("Current Battery Service state:\n")


def test_input_text_non_ascii_is_an_adb_error(client: Client) -> None:
    # _tap on a field, then _input_text with the text as given (no normalisation): a phone
    # fails in InputShellCommand.sendText, so check_output raises and the parser answers
    # ADB_ERROR; nothing is typed
    x, y = client.open_notes_search()
    assert client.argv("shell", "input", "tap", str(x), str(y)).status == 0
    hint = client.text_of(SEARCH)
    typed = client.argv("shell", "input", "text", "naïve")
    assert typed.status != 0
    assert "java.lang.NullPointerException" in typed.err
    assert client.text_of(SEARCH) == hint
