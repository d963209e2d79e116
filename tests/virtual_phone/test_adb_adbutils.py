"""The virtual phone driven through adbutils (and its private adb server) over loopback."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import adbutils
import pytest

pytestmark = pytest.mark.e2e

NOTES = "com.example.notes"


@pytest.fixture
def device(connected_phone: Any) -> adbutils.AdbDevice:
    return adbutils.adb.device(connected_phone.serial)


def test_shell_and_shell2_v1_and_v2(device: adbutils.AdbDevice) -> None:
    assert device.shell("echo hello") == "hello"
    assert device.shell(["echo", "a b", "$HOME"]) == "a b $HOME"
    v1 = device.shell2("echo out; ls /missing")
    assert v1.returncode == 1
    assert "out\n" in v1.output
    assert "ls: /missing: No such file or directory" in v1.output
    v2 = device.shell2("echo out; ls /missing; exit 5", v2=True)
    assert (v2.returncode, v2.stdout) == (5, "out\n")
    assert v2.stderr == "ls: /missing: No such file or directory\n"


def test_binary_output_is_not_altered(device: adbutils.AdbDevice, connected_phone: Any) -> None:
    data = bytes(range(256)) * 40
    connected_phone.phone.fs.write("/data/local/tmp/all.bin", data)
    assert device.shell("cat /data/local/tmp/all.bin", encoding=None) == data


def test_properties(device: adbutils.AdbDevice) -> None:
    assert device.getprop("ro.product.model") == "Pixel 7"
    assert (device.prop.name, device.prop.model, device.prop.device) == (
        "panther",
        "Pixel 7",
        "panther",
    )
    assert device.getprop("ro.build.version.sdk").isdigit()


def test_window_size_rotation_and_current_app(
    device: adbutils.AdbDevice, connected_phone: Any
) -> None:
    assert tuple(device.window_size()) == (1080, 2400)
    assert device.rotation() == 0
    connected_phone.phone.set_rotation(1)
    assert device.rotation() == 1
    assert tuple(device.window_size()) == (2400, 1080)
    device.app_start(NOTES, ".MainActivity")
    current = device.app_current()
    assert (current.package, current.activity) == (NOTES, f"{NOTES}.MainActivity")
    device.app_stop(NOTES)
    assert device.app_current().package != NOTES


def test_keyevent_click_and_send_keys(device: adbutils.AdbDevice, connected_phone: Any) -> None:
    phone = connected_phone.phone
    device.app_start(NOTES)
    assert phone.current()[0] == NOTES
    device.click(540, 312)  # the search field of the notes list
    device.send_keys("hello world")
    assert 'text="hello world"' in device.dump_hierarchy()
    device.keyevent("KEYCODE_BACK")
    device.keyevent("KEYCODE_HOME")
    assert phone.current()[0] == "com.android.launcher3"


def test_screen_power(device: adbutils.AdbDevice) -> None:
    assert device.is_screen_on()
    device.switch_screen(False)
    assert not device.is_screen_on()
    device.switch_screen(True)
    assert device.is_screen_on()


def test_sync_push_pull_list_and_stat(device: adbutils.AdbDevice, tmp_path: Path) -> None:
    data = os.urandom(200_000)
    local = tmp_path / "up.bin"
    local.write_bytes(data)
    assert device.sync.push(local, "/sdcard/Download/up.bin", check=True) == len(data)
    info = device.sync.stat("/sdcard/Download/up.bin")
    assert info.size == len(data)
    assert stat.S_ISREG(info.mode)
    assert not device.sync.exists("/sdcard/Download/none.bin")
    assert device.sync.read_bytes("/sdcard/Download/up.bin") == data
    names = [entry.path for entry in device.sync.list("/sdcard/Download")]
    assert {"up.bin", "readme.txt"} <= set(names)
    target = tmp_path / "down.bin"
    assert device.sync.pull("/sdcard/Download/up.bin", target) == len(data)
    assert target.read_bytes() == data
    with pytest.raises(adbutils.AdbError):
        device.sync.read_bytes("/sdcard/Download/none.bin")


def test_push_into_a_directory_appends_the_name(
    device: adbutils.AdbDevice, tmp_path: Path, connected_phone: Any
) -> None:
    local = tmp_path / "named.txt"
    local.write_bytes(b"x")
    device.sync.push(local, "/sdcard/Documents")
    assert connected_phone.phone.fs.read("/sdcard/Documents/named.txt") == b"x"


def test_framebuffer_and_screenshot(device: adbutils.AdbDevice, connected_phone: Any) -> None:
    expected = connected_phone.phone.screenshot().convert("RGB").tobytes()
    framebuffer = device.framebuffer()
    assert framebuffer.size == (1080, 2400)
    assert framebuffer.convert("RGB").tobytes() == expected
    shot = device.screenshot()
    assert shot.size == (1080, 2400)
    assert shot.tobytes() == expected
    assert device.screenshot(display_id=0).size == (1080, 2400)


def test_packages_and_app_info(device: adbutils.AdbDevice) -> None:
    third_party = device.list_packages(["-3"])
    assert NOTES in third_party
    assert "com.android.settings" not in third_party
    info = device.app_info(NOTES)
    assert info is not None
    assert info.version_name == "1.0"
    assert info.first_install_time is not None
    assert device.app_info("com.nope") is None
    with pytest.raises(adbutils.AdbInstallError):
        device.install_remote("/data/local/tmp/missing.apk")


def test_battery_wlan_ip_and_dump(device: adbutils.AdbDevice, connected_phone: Any) -> None:
    battery = device.battery()
    assert battery.level == 85
    assert battery.present is True
    assert device.wlan_ip() == "10.0.2.16"
    assert device.dump_hierarchy() == connected_phone.phone.window_dump()


def test_reverse_list_root_and_refused_port(device: adbutils.AdbDevice) -> None:
    assert device.reverse_list() == []
    assert "cannot run as root" in device.root()
    with pytest.raises(adbutils.AdbError):
        device.create_connection(adbutils.Network.TCP, 9008)
