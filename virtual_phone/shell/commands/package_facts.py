"""Package facts the shell commands print: the installed packages, component class names,
stable ids (task, uid, object hashes) and APK paths."""

from __future__ import annotations

import zlib

from virtual_phone.contract import PackageInfo
from virtual_phone.shell.context import Ctx

INSTALL_TIME = "2024-05-01 10:00:00"

# Android 14's runtime (dangerous) and development permissions: what `pm grant` can change.
GRANTABLE_PERMISSIONS = frozenset(
    "android.permission." + name
    for name in [
        "READ_CALENDAR",
        "WRITE_CALENDAR",
        "CAMERA",
        "READ_CONTACTS",
        "WRITE_CONTACTS",
        "GET_ACCOUNTS",
        "ACCESS_FINE_LOCATION",
        "ACCESS_COARSE_LOCATION",
        "ACCESS_BACKGROUND_LOCATION",
        "RECORD_AUDIO",
        "READ_PHONE_STATE",
        "READ_PHONE_NUMBERS",
        "CALL_PHONE",
        "ANSWER_PHONE_CALLS",
        "READ_CALL_LOG",
        "WRITE_CALL_LOG",
        "ADD_VOICEMAIL",
        "USE_SIP",
        "BODY_SENSORS",
        "BODY_SENSORS_BACKGROUND",
        "SEND_SMS",
        "RECEIVE_SMS",
        "READ_SMS",
        "RECEIVE_WAP_PUSH",
        "RECEIVE_MMS",
        "READ_EXTERNAL_STORAGE",
        "WRITE_EXTERNAL_STORAGE",
        "ACCESS_MEDIA_LOCATION",
        "ACTIVITY_RECOGNITION",
        "POST_NOTIFICATIONS",
        "READ_MEDIA_IMAGES",
        "READ_MEDIA_VIDEO",
        "READ_MEDIA_AUDIO",
        "READ_MEDIA_VISUAL_USER_SELECTED",
        "NEARBY_WIFI_DEVICES",
        "BLUETOOTH_SCAN",
        "BLUETOOTH_CONNECT",
        "BLUETOOTH_ADVERTISE",
        "UWB_RANGING",
        "ACCEPT_HANDOVER",
        "WRITE_SECURE_SETTINGS",
        "READ_LOGS",
        "DUMP",
        "SET_ANIMATION_SCALE",
        "CHANGE_CONFIGURATION",
    ]
)
# Install-time permissions: they exist, but `pm grant` cannot change them.
NORMAL_PERMISSIONS = frozenset(
    "android.permission." + name
    for name in [
        "INTERNET",
        "ACCESS_NETWORK_STATE",
        "ACCESS_WIFI_STATE",
        "CHANGE_WIFI_STATE",
        "VIBRATE",
        "WAKE_LOCK",
        "FOREGROUND_SERVICE",
        "RECEIVE_BOOT_COMPLETED",
        "SYSTEM_ALERT_WINDOW",
        "SET_ALARM",
        "SCHEDULE_EXACT_ALARM",
        "USE_BIOMETRIC",
        "USE_FINGERPRINT",
        "NFC",
        "BLUETOOTH",
        "BLUETOOTH_ADMIN",
        "REQUEST_INSTALL_PACKAGES",
        "PACKAGE_USAGE_STATS",
        "QUERY_ALL_PACKAGES",
    ]
)


def all_packages(ctx: Ctx) -> dict[str, PackageInfo]:
    """The phone's packages plus those installed through `pm install`."""
    found = {info.package: info for info in ctx.phone.packages()}
    for name, info in ctx.state.installed.items():
        found.setdefault(name, info)
    return found


def full_class(package: str, activity: str) -> str:
    """`.Main` → `pkg.Main`; a bare name gets the package prefix too."""
    if activity.startswith("."):
        return package + activity
    if "." not in activity:
        return f"{package}.{activity}"
    return activity


def short_class(package: str, activity: str) -> str:
    """`pkg.Main` → `.Main` (as ActivityRecord prints components)."""
    activity = full_class(package, activity)
    if activity.startswith(package + "."):
        return activity[len(package) :]
    return activity


def object_hash(*names: str) -> str:
    """A stable identity-hash-like hex string for an object named by `names`."""
    return f"{zlib.crc32('/'.join(names).encode()) & 0xFFFFFFF:07x}"


def task_id(package: str) -> int:
    """A stable task id for a package's task."""
    return 10 + zlib.crc32(package.encode()) % 90


def uid(package: str) -> int:
    """A stable app uid for a package."""
    return 10100 + zlib.crc32(package.encode()) % 200


def apk_path(info: PackageInfo) -> str:
    """Where `pm path` says a package's APK lives."""
    if info.system:
        label = "".join(ch for ch in info.label.title() if ch.isalnum()) or "App"
        return f"/system/priv-app/{label}/{label}.apk"
    tag = object_hash(info.package)
    return f"/data/app/~~{tag}==/{info.package}-{tag[::-1]}==/base.apk"
