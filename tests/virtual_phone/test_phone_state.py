"""State of the phone: save/restore, reset, seeds, props, settings, packages, files."""

from __future__ import annotations

import json

import pytest

from virtual_phone.contract import PhoneLike
from virtual_phone.fs import FileSystem
from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node


def test_phone_satisfies_contract() -> None:
    phone: PhoneLike = Phone(serial="127.0.0.1:7000")
    assert phone.serial == "127.0.0.1:7000"
    assert (phone.width, phone.height) == (1080, 2400)


def test_state_round_trips_through_json() -> None:
    phone = Phone(seed=1)
    phone.start_app("com.example.notes")
    phone.set_wifi(False)
    phone.settings_put("global", "stay_on_while_plugged_in", "3")
    saved = json.loads(json.dumps(phone.state()))
    other = Phone(seed=2)
    assert other.app_state("com.example.notes") != phone.app_state("com.example.notes")
    other.load_state(saved)
    assert other.state() == phone.state()
    assert not other.wifi_enabled
    assert other.settings_get("global", "stay_on_while_plugged_in") == "3"
    assert other.current()[0] == "com.android.launcher3"


def test_reset_restores_seeded_contents() -> None:
    phone = Phone(seed=5)
    initial = phone.state()
    phone.start_app("com.example.contacts")
    phone.clear_data("com.example.contacts")
    assert phone.app_state("com.example.contacts")["contacts"] == []
    phone.reset()
    assert phone.state() == initial
    assert phone.current()[0] == "com.android.launcher3"


def test_seeds_are_deterministic() -> None:
    assert Phone(seed=4).state() == Phone(seed=4).state()
    assert Phone(seed=4).app_state("com.example.contacts") != Phone(seed=9).app_state(
        "com.example.contacts"
    )
    contacts = Phone().app_state("com.example.contacts")["contacts"]
    assert len(contacts) >= 12
    assert all(c["phone"] for c in contacts)


def test_getprop() -> None:
    phone = Phone(serial="emulator-5554")
    props = phone.getprop()
    assert isinstance(props, dict)
    assert props["ro.product.model"] == "Pixel 7"
    assert props["ro.build.version.sdk"] == "34"
    assert phone.getprop("ro.serialno") == "emulator-5554"
    assert phone.getprop("no.such.prop") == ""


def test_settings_defaults_and_unknown_keys() -> None:
    phone = Phone()
    assert phone.settings_get(
        "secure",
        "default_input_method",
    ).startswith("com.google.android.inputmethod")  # type: ignore[union-attr]
    assert phone.settings_get("global", "airplane_mode_on") == "0"
    assert phone.settings_get("system", "no_such_key") is None
    phone.settings_put("global", "wifi_on", "0")
    assert not phone.wifi_enabled


def test_packages_and_app_lifecycle() -> None:
    phone = Phone()
    packages = {p.package: p for p in phone.packages()}
    assert {
        "com.android.settings",
        "com.example.notes",
        "com.example.contacts",
        "com.example.browser",
    } <= set(packages)
    assert not packages["com.example.notes"].system
    assert packages["com.android.settings"].system
    assert not phone.start_app("com.no.such.app")
    assert not phone.start_app("com.example.notes", ".NoSuchActivity")
    assert phone.start_app("com.example.notes", ".EditorActivity")
    assert phone.current() == ("com.example.notes", "com.example.notes.EditorActivity")
    assert "com.example.notes" in phone.running_packages()
    phone.force_stop("com.example.notes")
    assert phone.current()[0] == "com.android.launcher3"
    assert "com.example.notes" not in phone.running_packages()
    assert not phone.clear_data("com.no.such.app")


def test_rotation_and_screen_state() -> None:
    phone = Phone()
    phone.set_rotation(1)
    assert phone.rotation == 1
    assert '<hierarchy rotation="1">' in phone.hierarchy_xml()
    phone.set_screen_on(False)
    assert phone.screenshot().getbbox() is None
    phone.set_screen_on(True)
    assert phone.screenshot().getbbox() is not None


def test_tcp_registration() -> None:
    phone = Phone()
    assert phone.tcp_handler(9008) is None

    async def handler(stream: object) -> None:
        return None

    phone.register_tcp(9008, handler)  # type: ignore[arg-type]
    assert phone.tcp_handler(9008) is handler
    phone.register_tcp(9008, None)
    assert phone.tcp_handler(9008) is None


def test_file_system_basics() -> None:
    fs = FileSystem()
    for directory in (
        "/sdcard",
        "/sdcard/Download",
        "/sdcard/DCIM",
        "/data/local/tmp",
        "/system/bin",
    ):
        stat = fs.stat(directory)
        assert stat is not None
        assert stat[0] == 0o040755
    fs.write("/data/local/tmp/a/b.txt", b"hello", mtime=1234)
    assert fs.read("/data/local/tmp/a/b.txt") == b"hello"
    assert fs.stat("/data/local/tmp/a/b.txt") == (0o100644, 5, 1234)
    assert fs.listdir("/data/local/tmp/a") == ["b.txt"]
    assert fs.read("/storage/emulated/0/Download/readme.txt") == fs.read(
        "/sdcard/Download/readme.txt"
    )
    with pytest.raises(FileNotFoundError):
        fs.read("/nope")
    with pytest.raises(IsADirectoryError):
        fs.read("/sdcard")
    with pytest.raises(OSError, match="not empty"):
        fs.remove("/data/local/tmp/a")
    fs.remove("/data/local/tmp/a", recursive=True)
    assert fs.stat("/data/local/tmp/a") is None


def test_browser_node_found_after_restore() -> None:
    phone = Phone()
    phone.open_url("weather.example.com")
    saved = phone.state()
    phone.reset()
    phone.load_state(saved)
    phone.start_app("com.example.browser")
    assert phone.app_state("com.example.browser")["page"]["title"] == "Weather forecast"
    assert find_node(phone.nodes(), class_name="android.webkit.WebView") is not None
