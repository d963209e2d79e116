"""System properties, `settings` defaults and key codes of the virtual phone."""

from __future__ import annotations

LATIN_IME = "com.google.android.inputmethod.latin/com.android.inputmethod.latin.LatinIME"


def default_props(serial: str, density_dpi: int = 420) -> dict[str, str]:
    """`getprop` values of a Pixel 7 on Android 14 (with the screen's density)."""
    return {
        "ro.product.model": "Pixel 7",
        "ro.product.name": "panther",
        "ro.product.device": "panther",
        "ro.product.board": "panther",
        "ro.product.brand": "google",
        "ro.product.manufacturer": "Google",
        "ro.product.cpu.abi": "arm64-v8a",
        "ro.product.cpu.abilist": "arm64-v8a,armeabi-v7a,armeabi",
        "ro.product.locale": "en-US",
        "ro.build.version.release": "14",
        "ro.build.version.sdk": "34",
        "ro.build.version.security_patch": "2024-02-05",
        "ro.build.version.incremental": "11228894",
        "ro.build.id": "UQ1A.240205.004",
        "ro.build.display.id": "UQ1A.240205.004",
        "ro.build.type": "user",
        "ro.build.tags": "release-keys",
        "ro.build.fingerprint": (
            "google/panther/panther:14/UQ1A.240205.004/11228894:user/release-keys"
        ),
        "ro.build.characteristics": "nosdcard",
        "ro.hardware": "panther",
        "ro.boot.hardware": "panther",
        "ro.serialno": serial,
        "ro.boot.serialno": serial,
        "ro.sf.lcd_density": str(density_dpi),
        "ro.debuggable": "0",
        "ro.secure": "1",
        "ro.adb.secure": "1",
        "persist.sys.timezone": "Europe/London",
        "persist.sys.locale": "en-US",
        "sys.boot_completed": "1",
        "dev.bootcomplete": "1",
        "init.svc.adbd": "running",
        "service.adb.tcp.port": "5555",
        "net.hostname": "Pixel-7",
        "gsm.operator.alpha": "Virtual Mobile",
        "wifi.interface": "wlan0",
    }


def default_settings() -> dict[str, dict[str, str]]:
    """`settings` namespaces with realistic defaults (phone-backed keys live elsewhere)."""
    return {
        "system": {
            "screen_off_timeout": "60000",
            "screen_brightness_mode": "0",
            "font_scale": "1.0",
            "accelerometer_rotation": "0",
            "user_rotation": "0",
            "haptic_feedback_enabled": "1",
            "sound_effects_enabled": "0",
        },
        "secure": {
            "default_input_method": LATIN_IME,
            "enabled_input_methods": LATIN_IME,
            "android_id": "8f3c2a1b9d4e5f60",
            "location_mode": "3",
            "show_ime_with_hard_keyboard": "1",
            "accessibility_enabled": "0",
        },
        "global": {
            "adb_enabled": "1",
            "development_settings_enabled": "1",
            "stay_on_while_plugged_in": "0",
            "mobile_data": "1",
            "data_roaming": "0",
            "auto_time": "1",
            "auto_time_zone": "1",
            "window_animation_scale": "1.0",
            "transition_animation_scale": "1.0",
            "animator_duration_scale": "1.0",
            "package_verifier_enable": "1",
        },
    }


KEYCODES: dict[int, str] = {
    3: "home",
    4: "back",
    5: "call",
    6: "endcall",
    19: "dpad_up",
    20: "dpad_down",
    21: "dpad_left",
    22: "dpad_right",
    23: "dpad_center",
    24: "volume_up",
    25: "volume_down",
    26: "power",
    27: "camera",
    61: "tab",
    62: "space",
    66: "enter",
    67: "del",
    82: "menu",
    84: "search",
    111: "escape",
    112: "forward_del",
    122: "move_home",
    123: "move_end",
    164: "volume_mute",
    187: "app_switch",
    220: "brightness_down",
    221: "brightness_up",
    223: "sleep",
    224: "wakeup",
    276: "soft_sleep",
}
for _code in range(7, 17):
    KEYCODES[_code] = str(_code - 7)
for _code in range(29, 55):
    KEYCODES[_code] = chr(ord("a") + _code - 29)
KEYCODES.update(
    {55: "comma", 56: "period", 69: "minus", 70: "equals", 76: "slash", 77: "at", 81: "plus"}
)

ALIASES = {
    "recent": "app_switch",
    "recents": "app_switch",
    "recent_apps": "app_switch",
    "overview": "app_switch",
    "delete": "del",
    "backspace": "del",
    "wake_up": "wakeup",
    "volumeup": "volume_up",
    "volumedown": "volume_down",
    "volumemute": "volume_mute",
    "return": "enter",
    "center": "dpad_center",
    "up": "dpad_up",
    "down": "dpad_down",
    "left": "dpad_left",
    "right": "dpad_right",
}

TYPED = {
    "space": " ",
    "comma": ",",
    "period": ".",
    "minus": "-",
    "equals": "=",
    "slash": "/",
    "at": "@",
    "plus": "+",
    "tab": "\t",
}
KNOWN = set(KEYCODES.values()) | set(ALIASES)


def key_name(key: str | int) -> str | None:
    """Normalise a key name or code ("KEYCODE_HOME", "Home", 3 → "home"); None if unknown."""
    if isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit()):
        return KEYCODES.get(int(key))
    name = key.strip().lower()
    if name.startswith("keycode_"):
        name = name[len("keycode_") :]
    name = ALIASES.get(name, name)
    return name if name in KNOWN else None
