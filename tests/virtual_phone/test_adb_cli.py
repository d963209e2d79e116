"""The virtual phone driven by the real `adb` binary (from the adbutils wheel) over loopback."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import adb_bin, run_adb
from PIL import Image

pytestmark = pytest.mark.e2e

NOTES = "com.example.notes"
U2_APK = Path(__import__("uiautomator2").__file__).parent / "assets" / "app-uiautomator.apk"


def adb(phone: Any, *args: str, stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
    if stdin is None:
        result = run_adb("-s", phone.serial, *args)
    else:
        result = subprocess.run(
            [adb_bin(), "-s", phone.serial, *args],
            input=stdin,
            capture_output=True,
            timeout=30,
            check=False,
        )
    return result.returncode, result.stdout, result.stderr


def centre_of(xml: str, **attrs: str) -> tuple[int, int]:
    for node in re.findall(r"<node [^>]*>", xml):
        if all(f'{key}="{value}"' in node for key, value in attrs.items()):
            match = re.search(r'bounds="\[(\d+),(\d+)\]\[(\d+),(\d+)\]"', node)
            assert match is not None
            left, top, right, bottom = map(int, match.groups())
            return (left + right) // 2, (top + bottom) // 2
    raise AssertionError(f"no node with {attrs}")


def test_connect_and_devices_list(virtual_phone: Any) -> None:
    result = run_adb("connect", virtual_phone.serial)
    assert b"connected to " + virtual_phone.serial.encode() in result.stdout
    try:
        listing = run_adb("devices", "-l").stdout.decode()
        line = next(row for row in listing.splitlines() if row.startswith(virtual_phone.serial))
        fields = line.split()
        assert fields[1] == "device"
        assert {"product:panther", "model:Pixel_7", "device:panther"} <= set(fields)
    finally:
        run_adb("disconnect", virtual_phone.serial)


def test_shell_exit_code_and_separate_stderr(connected_phone: Any) -> None:
    status, out, err = adb(connected_phone, "shell", "echo out; echo err >&2; exit 3")
    assert (status, out, err) == (3, b"out\n", b"err\n")
    status, _, err = adb(connected_phone, "shell", "nosuchcommand")
    assert status == 127
    assert err == b"/system/bin/sh: nosuchcommand: inaccessible or not found\n"


def test_shell_reads_stdin_lines_without_a_command(connected_phone: Any) -> None:
    status, out, _ = adb(
        connected_phone, "shell", stdin=b"echo one\ngetprop ro.product.model\nexit 4\n"
    )
    assert (status, out) == (4, b"one\nPixel 7\n")


def test_push_and_pull_are_byte_identical(connected_phone: Any, tmp_path: Path) -> None:
    data = os.urandom(300 * 1024)
    local = tmp_path / "random.bin"
    local.write_bytes(data)
    status, _, err = adb(connected_phone, "push", str(local), "/sdcard/Download/random.bin")
    assert status == 0, err
    assert connected_phone.phone.fs.read("/sdcard/Download/random.bin") == data
    back = tmp_path / "back.bin"
    status, _, err = adb(connected_phone, "pull", "/sdcard/Download/random.bin", str(back))
    assert status == 0, err
    assert back.read_bytes() == data


def test_pull_of_a_missing_file_fails(connected_phone: Any, tmp_path: Path) -> None:
    status, _, err = adb(connected_phone, "pull", "/sdcard/none.txt", str(tmp_path / "x"))
    assert status == 1
    assert b"No such file or directory" in err


def test_exec_out_screencap_is_the_screen_as_png(connected_phone: Any) -> None:
    status, png, _ = adb(connected_phone, "exec-out", "screencap", "-p")
    assert status == 0
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (1080, 2400))
    expected = connected_phone.phone.screenshot().convert("RGB").tobytes()
    assert image.convert("RGB").tobytes() == expected


def test_uiautomator_dump_then_pull(connected_phone: Any, tmp_path: Path) -> None:
    status, out, _ = adb(connected_phone, "shell", "uiautomator", "dump")
    assert (status, out) == (0, b"UI hierchary dumped to: /sdcard/window_dump.xml\n")
    target = tmp_path / "dump.xml"
    assert adb(connected_phone, "pull", "/sdcard/window_dump.xml", str(target))[0] == 0
    xml = target.read_text()
    assert xml.startswith("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>")
    assert xml == connected_phone.phone.window_dump()


def test_input_commands_drive_the_phone(connected_phone: Any) -> None:
    phone = connected_phone.phone
    x, y = centre_of(phone.hierarchy_xml(), text="Notes", clickable="true")
    assert adb(connected_phone, "shell", "input", "tap", str(x), str(y))[0] == 0
    assert phone.current()[0] == NOTES
    x, y = centre_of(phone.hierarchy_xml(), **{"resource-id": f"{NOTES}:id/search"})
    adb(connected_phone, "shell", "input", "tap", str(x), str(y))
    adb(connected_phone, "shell", "input text 'pancakes'")
    assert 'text="pancakes"' in phone.hierarchy_xml()
    adb(connected_phone, "shell", "input keyevent KEYCODE_HOME")
    assert phone.current()[0] == "com.android.launcher3"
    shade = "com.android.systemui:id/notification_panel"
    adb(connected_phone, "shell", "input swipe 540 10 540 1400 200")
    assert shade in phone.hierarchy_xml()


def test_am_start_then_window_focus(connected_phone: Any) -> None:
    status, out, _ = adb(connected_phone, "shell", "am", "start", "-n", f"{NOTES}/.MainActivity")
    assert status == 0
    assert out.startswith(b"Starting: Intent")
    _, dump, _ = adb(connected_phone, "shell", "dumpsys window windows")
    assert re.search(
        rf"mCurrentFocus=Window\{{\w+ u0 {NOTES}/{NOTES}.MainActivity\}}".encode(), dump
    )


def test_wm_size_and_package_list(connected_phone: Any) -> None:
    assert adb(connected_phone, "shell", "wm", "size")[1] == b"Physical size: 1080x2400\n"
    _, listing, _ = adb(connected_phone, "shell", "pm", "list", "packages")
    packages = re.findall(rb"^package:(\S+)$", listing, re.M)
    assert NOTES.encode() in packages
    assert b"com.android.settings" in packages


def test_adb_install_streams_the_apk(connected_phone: Any) -> None:
    status, out, err = adb(connected_phone, "install", str(U2_APK))
    assert status == 0, err
    assert b"Success" in out
    _, listing, _ = adb(connected_phone, "shell", "pm list packages -3")
    assert b"package:com.github.uiautomator\n" in listing
