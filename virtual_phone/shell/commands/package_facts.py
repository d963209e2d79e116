"""Package facts the shell commands print: the installed packages, component class names,
stable ids (task, uid, object hashes) and APK paths."""

from __future__ import annotations

import zlib

from virtual_phone.contract import PackageInfo
from virtual_phone.shell.context import Ctx

INSTALL_TIME = "2024-05-01 10:00:00"


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
