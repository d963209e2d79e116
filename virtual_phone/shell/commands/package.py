"""`pm` (list, path, clear, install, uninstall, grant) and `cmd <service> …`."""

from __future__ import annotations

from virtual_phone.contract import PackageInfo
from virtual_phone.shell.apk import ApkError, read_apk
from virtual_phone.shell.commands.package_facts import (
    GRANTABLE_PERMISSIONS,
    NORMAL_PERMISSIONS,
    all_packages,
    apk_path,
    full_class,
    short_class,
)
from virtual_phone.shell.context import CommandFunc, Ctx
from virtual_phone.shell.streams import SourceReader

PM_USAGE = "usage: pm [subcommand] [options]\n"


def pm(ctx: Ctx) -> int:
    if not ctx.args:
        ctx.err(PM_USAGE)
        return 1
    handler = _PM.get(ctx.args[0])
    if handler is None:
        ctx.err(f"Unknown command: {ctx.args[0]}\n")
        return 1
    return handler(ctx, ctx.args[1:])


def _list(ctx: Ctx, args: list[str]) -> int:
    if not args or args[0] != "packages":
        if args and args[0] in ("features", "libraries", "permissions", "users"):
            return 0
        ctx.err(f"Error: unknown list type '{args[0] if args else ''}'\n")
        return 1
    rest = list(args[1:])
    if "--user" in rest:
        index = rest.index("--user")
        del rest[index : index + 2]
    options = {a for a in rest if a.startswith("-")}
    needle = next((a for a in rest if a and not a.startswith("-")), "")
    for name, info in sorted(all_packages(ctx).items()):
        if ("-3" in options and info.system) or ("-s" in options and not info.system):
            continue
        if needle and needle not in name:
            continue
        if "-f" in options:
            ctx.out(f"package:{apk_path(info)}={name}\n")
        else:
            ctx.out(f"package:{name}\n")
    return 0


def _path(ctx: Ctx, args: list[str]) -> int:
    name = next((a for a in args if not a.startswith("-")), "")
    info = all_packages(ctx).get(name)
    if info is None:
        return 1
    ctx.out(f"package:{apk_path(info)}\n")
    return 0


def _clear(ctx: Ctx, args: list[str]) -> int:
    name = next((a for a in args if not a.startswith("-")), "")
    if name in ctx.state.installed or ctx.phone.clear_data(name):
        ctx.out("Success\n")
        return 0
    ctx.out("Failed\n")
    return 1


def _install(ctx: Ctx, args: list[str]) -> int:
    paths = [a for a in args if not a.startswith("-")]
    if not paths:
        ctx.err("Error: must either specify a package size or an APK file\n")
        return 1
    path = ctx.path(paths[-1])
    try:
        data = ctx.phone.fs.read(path)
    except OSError:
        ctx.out(
            f"Error: Unable to open file: {paths[-1]}\n"
            "Consider using a file under /data/local/tmp/\n"
        )
        ctx.err(f"Error: Can't open file: {paths[-1]}\n")
        return 1
    return install_bytes(ctx, data)


def install_bytes(ctx: Ctx, data: bytes) -> int:
    """Install an APK given as bytes; prints `Success` or a `Failure [...]` line."""
    try:
        apk = read_apk(data)
    except ApkError as exc:
        ctx.out(f"Failure [INSTALL_PARSE_FAILED_NOT_APK: Failed to parse: {exc}]\n")
        return 1
    if any(info.package == apk.package and info.system for info in ctx.phone.packages()):
        ctx.out(
            "Failure [INSTALL_FAILED_UPDATE_INCOMPATIBLE: Existing package "
            f"{apk.package} signatures do not match newer version; ignoring!]\n"
        )
        return 1
    info = PackageInfo(
        package=apk.package,
        label=apk.label or apk.package.rsplit(".", 1)[-1],
        main_activity=apk.main_activity or "",
        version_name=apk.version_name,
        version_code=apk.version_code,
        system=False,
        launcher=bool(apk.main_activity),
    )
    ctx.state.install(info, apk.input_methods)
    ctx.phone.install_package(info)
    ctx.state.log("PackageManager", f"Installed package {apk.package}")
    ctx.out("Success\n")
    return 0


def _uninstall(ctx: Ctx, args: list[str]) -> int:
    name = next((a for a in args if not a.startswith("-")), "")
    if ctx.state.uninstall(name) | ctx.phone.uninstall_package(name):
        ctx.out("Success\n")
        return 0
    ctx.out("Failure [DELETE_FAILED_INTERNAL_ERROR]\n")
    return 1


_GRANT_TRACE = (
    "\tat com.android.server.pm.permission.PermissionManagerServiceImpl"
    ".grantRuntimePermissionInternal(PermissionManagerServiceImpl.java:1364)\n"
    "\tat com.android.server.pm.permission.PermissionManagerServiceImpl"
    ".grantRuntimePermission(PermissionManagerServiceImpl.java:1346)\n"
    "\tat com.android.server.pm.permission.PermissionManagerService"
    ".grantRuntimePermission(PermissionManagerService.java:553)\n"
    "\tat android.permission.PermissionManager"
    ".grantRuntimePermission(PermissionManager.java:597)\n"
    "\tat com.android.server.pm.PackageManagerShellCommand"
    ".runGrantRevokePermission(PackageManagerShellCommand.java:2591)\n"
    "\tat com.android.server.pm.PackageManagerShellCommand"
    ".onCommand(PackageManagerShellCommand.java:302)\n"
    "\tat com.android.modules.utils.BasicShellCommandHandler"
    ".exec(BasicShellCommandHandler.java:97)\n"
    "\tat android.os.ShellCommand.exec(ShellCommand.java:38)\n"
)


def _grant(ctx: Ctx, args: list[str]) -> int:
    """`pm grant|revoke [--user U] PACKAGE PERMISSION`: runtime and development permissions
    only; anything else throws as PermissionManagerService does (exit status 255)."""
    words = [a for a in args if not a.startswith("-")]
    if "--user" in args:
        words = words[1:]
    if len(words) < 2:
        ctx.err(f"Error: no {'package' if not words else 'permission'} specified\n")
        return 1
    name, permission = words[0], words[1]
    if name not in all_packages(ctx):
        problem = f"java.lang.IllegalArgumentException: Unknown package: {name}"
    elif permission in NORMAL_PERMISSIONS:
        problem = (
            f"java.lang.SecurityException: Permission {permission} requested by {name} "
            "is not a changeable permission type"
        )
    elif permission not in GRANTABLE_PERMISSIONS:
        problem = f"java.lang.IllegalArgumentException: Unknown permission: {permission}"
    else:
        return 0
    ctx.err(f"Exception occurred while executing '{ctx.args[0]}':\n{problem}\n{_GRANT_TRACE}")
    return 255


_OPTIONS_WITH_VALUE = {"-a", "-c", "-d", "-t", "-n", "-f", "--user", "--ei", "--es", "--ez"}


def _intent_args(args: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Intent options (`-a ACTION`, `-c CATEGORY`, …) and the remaining words."""
    options: dict[str, list[str]] = {}
    rest: list[str] = []
    words = iter(args)
    for word in words:
        if word in _OPTIONS_WITH_VALUE:
            options.setdefault(word, []).append(next(words, ""))
        elif not word.startswith("-"):
            rest.append(word)
    return options, rest


def _resolve_activity(ctx: Ctx, args: list[str]) -> int:
    brief = "--brief" in args
    _options, rest = _intent_args(args)
    name = rest[0] if rest else ""
    info = all_packages(ctx).get(name)
    if info is None or not info.main_activity or not info.launcher:
        ctx.out("No activity found\n")
        return 0
    component = f"{name}/{short_class(name, info.main_activity)}"
    if brief:
        ctx.out("priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=true\n")
        ctx.out(component + "\n")
    else:
        ctx.out(f"Activity Resolver Table:\n  {component}\n")
    return 0


def _query_activities(ctx: Ctx, args: list[str]) -> int:
    """`pm query-activities -a android.intent.action.MAIN -c android.intent.category.LAUNCHER`."""
    options, _rest = _intent_args(args)
    actions = options.get("-a", [])
    categories = options.get("-c", [])
    launcher_query = actions in ([], ["android.intent.action.MAIN"]) and categories in (
        [],
        ["android.intent.category.LAUNCHER"],
    )
    apps = [i for i in all_packages(ctx).values() if i.launcher and i.main_activity]
    if not launcher_query or not apps:
        ctx.out("No activities found\n")
        return 0
    brief = "--brief" in args
    lines = [f"{len(apps)} activities found:"]
    for number, info in enumerate(sorted(apps, key=lambda i: i.package)):
        activity = full_class(info.package, info.main_activity)
        lines.append(f"  Activity #{number}:")
        lines.append("    priority=0 preferredOrder=0 match=0x108000 specificIndex=-1")
        if brief:
            lines.append(f"    {info.package}/{short_class(info.package, info.main_activity)}")
            continue
        lines += [
            "    ActivityInfo:",
            f"      name={activity}",
            f"      packageName={info.package}",
            f"      labelRes=0x0 nonLocalizedLabel={info.label} icon=0x0 banner=0x0",
            "      enabled=true exported=true directBootAware=false",
        ]
    ctx.out("\n".join(lines) + "\n")
    return 0


_PM = {
    "list": _list,
    "path": _path,
    "clear": _clear,
    "install": _install,
    "uninstall": _uninstall,
    "grant": _grant,
    "revoke": _grant,
    "resolve-activity": _resolve_activity,
    "query-activities": _query_activities,
}


async def cmd(ctx: Ctx) -> int:
    """`cmd <service> <args>`: package → pm (plus streamed install), activity → am, …"""
    if not ctx.args or ctx.args[0] == "-l":
        ctx.out("".join(f"{name}\n" for name in sorted(_CMD_SERVICES)))
        return 0
    service, rest = ctx.args[0], ctx.args[1:]
    if service == "package" and rest[:1] == ["install"] and "-S" in rest:
        return await _install_from_stdin(ctx, rest)
    target = _CMD_SERVICES.get(service)
    if target is None:
        ctx.err(f"cmd: Can't find service: {service}\n")
        return 20
    if service == "statusbar":
        return await ctx.blocking(_statusbar, ctx, rest)
    from virtual_phone.shell.interpreter import ShellIO

    await ctx.flush()
    io = ShellIO(ctx.stdin, ctx.stdout, ctx.stderr, ctx.hangup)
    return await ctx.shell.invoke([target, *rest], ctx.env, io, ctx.session)


async def _install_from_stdin(ctx: Ctx, args: list[str]) -> int:
    size_index = args.index("-S") + 1
    if size_index >= len(args) or not args[size_index].isdigit():
        ctx.err("Error: must either specify a package size or an APK file\n")
        return 1
    try:
        data = await SourceReader(ctx.stdin).read_exactly(int(args[size_index]))
    except EOFError:
        ctx.out("Failure [INSTALL_FAILED_INVALID_APK: Incomplete data]\n")
        return 1
    return await ctx.blocking(install_bytes, ctx, data)


def _statusbar(ctx: Ctx, args: list[str]) -> int:
    action = args[0] if args else ""
    if action == "expand-notifications":
        ctx.phone.open_notifications()
    elif action == "expand-settings":
        ctx.phone.open_quick_settings()
    elif action == "collapse":
        ctx.phone.press_key("back")
    return 0


_CMD_SERVICES = {
    "package": "pm",
    "activity": "am",
    "input_method": "ime",
    "window": "wm",
    "settings": "settings",
    "statusbar": "statusbar",
    "input": "input",
}

COMMANDS: dict[str, CommandFunc] = {"pm": pm, "cmd": cmd}
