"""`am` (start, force-stop, broadcast, kill) and `monkey` (launch an app)."""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass, field

from virtual_phone.shell.commands.dumpsys_screen import stack_list, task_package
from virtual_phone.shell.commands.package_facts import all_packages, full_class, short_class
from virtual_phone.shell.commands.system import settings_value
from virtual_phone.shell.context import CommandFunc, Ctx

U2_IME = "com.github.uiautomator/.AdbKeyboard"
ADB_KEYBOARD_IME = "com.android.adbkeyboard/.AdbIME"
FLAG_RECEIVER_FROM_SHELL = 0x400000  # `am broadcast` adds it
ADB_KEYBOARD_ACTIONS = {
    "ADB_INPUT_TEXT",
    "ADB_INPUT_B64",
    "ADB_INPUT_CHARS",
    "ADB_INPUT_CODE",
    "ADB_EDITOR_CODE",
    "ADB_CLEAR_TEXT",
}
U2_KEYBOARD_ACTIONS = {
    "ADB_KEYBOARD_INPUT_TEXT",
    "ADB_KEYBOARD_CLEAR_TEXT",
    "ADB_KEYBOARD_HIDE",
    "ADB_KEYBOARD_EDITOR_CODE",
    "ADB_KEYBOARD_SMART_ENTER",
    "ADB_KEYBOARD_INPUT_KEYCODE",
}
VALUE_OPTIONS = {
    "-a",
    "-d",
    "-t",
    "-c",
    "-n",
    "-f",
    "-p",
    "--user",
    "-P",
    "--start-profiler",
    "--sampling",
    "--attach-agent",
    "--display",
    "--windowingMode",
    "--activityType",
    "-R",
    "--receiver-permission",
}
EXTRA_OPTIONS = {
    "-e",
    "--es",
    "--ez",
    "--ei",
    "--el",
    "--ef",
    "--eu",
    "--ecn",
    "--esa",
    "--eia",
    "--ela",
    "--efa",
    "--esal",
    "--eial",
}


@dataclass
class Intent:
    action: str | None = None
    data: str | None = None
    component: str | None = None
    package: str | None = None
    mime: str | None = None
    categories: list[str] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)  # -W, -S, --activity-clear-task…

    def describe(self, flags: int = 0) -> str:
        """`Intent.toString()`: data as `Uri.toSafeString()`, flags in hex when set."""
        parts = []
        if self.action:
            parts.append(f"act={self.action}")
        if self.categories:
            parts.append(f"cat=[{','.join(self.categories)}]")
        if self.data:
            parts.append(f"dat={safe_uri(self.data)}")
        if self.mime:
            parts.append(f"typ={self.mime}")
        if flags:
            parts.append(f"flg={flags:#x}")
        if self.package:
            parts.append(f"pkg={self.package}")
        if self.component:
            parts.append(f"cmp={self.component}")
        if self.extras:
            parts.append("(has extras)")
        return "Intent { " + " ".join(parts) + " }"


_REDACTED_SCHEMES = ("tel", "sip", "sms", "smsto", "mailto", "nfc")
_HOST_SCHEMES = ("http", "https", "ftp", "rtsp")


def safe_uri(uri: str) -> str:
    """Android's `Uri.toSafeString()`: no query or fragment; for web schemes only the host;
    for phone numbers and addresses every character but `-@.` becomes `x`."""
    scheme, colon, rest = uri.partition(":")
    if not colon:
        return uri.split("?")[0].split("#")[0]
    part = rest.split("#")[0]
    if scheme.lower() in _REDACTED_SCHEMES:
        return scheme + ":" + "".join(c if c in "-@." else "x" for c in part)
    if scheme.lower() in _HOST_SCHEMES:
        host = part.removeprefix("//").split("/")[0].split("?")[0].rsplit("@", 1)[-1]
        return f"{scheme}://{host}/..."
    return f"{scheme}:{part.split('?')[0]}"


def parse_intent(args: list[str]) -> Intent:
    """Intent options as `am` reads them (unknown flags are remembered, not rejected)."""
    intent = Intent()
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in EXTRA_OPTIONS or arg == "--esn":
            key = args[index + 1] if index + 1 < len(args) else ""
            has_value = arg != "--esn" and index + 2 < len(args)
            intent.extras[key] = args[index + 2] if has_value else ""
            index += 3 if has_value else 2
            continue
        if arg in VALUE_OPTIONS and index + 1 < len(args):
            value = args[index + 1]
            index += 2
            if arg == "-a":
                intent.action = value
            elif arg == "-d":
                intent.data = value
            elif arg == "-t":
                intent.mime = value
            elif arg == "-c":
                intent.categories.append(value)
            elif arg == "-n":
                intent.component = value
            elif arg == "-p":
                intent.package = value
            continue
        if arg.startswith("-"):
            intent.flags.add(arg)
        elif "/" in arg and intent.component is None and intent.data is None:
            intent.component = arg
        elif intent.data is None and ":" in arg:
            intent.data = arg
        index += 1
    return intent


def am(ctx: Ctx) -> int:
    if not ctx.args:
        ctx.err("usage: am [subcommand] [options]\n")
        return 1
    sub, rest = ctx.args[0], ctx.args[1:]
    handler = _AM.get(sub)
    if handler is None:
        ctx.err(f"Unknown command: {sub}\n")
        return 1
    return handler(ctx, rest)


FLAG_ACTIVITY_NEW_TASK = 0x10000000
WEB_SCHEMES = ("http", "https")


def _start(ctx: Ctx, args: list[str]) -> int:
    intent = parse_intent(args)
    ctx.out(f"Starting: {intent.describe()}\n")
    started = time.monotonic()
    if intent.component:
        status, target = _start_component(ctx, intent)
    elif intent.data and intent.data.split(":")[0].lower() in WEB_SCHEMES:
        target = ctx.phone.current() if ctx.phone.open_url(intent.data) else None
        status = 0 if target else _unresolved(ctx, intent)
    elif "android.intent.category.HOME" in intent.categories:
        ctx.phone.press_key("home")
        status, target = 0, ctx.phone.current()
    elif intent.package and not intent.data and ctx.phone.start_app(intent.package):
        status, target = 0, ctx.phone.current()
    else:
        return _unresolved(ctx, intent)
    if status == 0 and target is not None:
        package, activity = target
        ctx.state.log("ActivityTaskManager", f"START u0 {intent.describe()} from uid 2000")
        if "-W" in intent.flags:
            elapsed = max(1, int((time.monotonic() - started) * 1000))
            ctx.out(
                "Status: ok\nLaunchState: WARM\n"
                f"Activity: {package}/{short_class(package, activity)}\n"
                f"TotalTime: {elapsed}\nWaitTime: {elapsed + 2}\nComplete\n"
            )
    return status


def _unresolved(ctx: Ctx, intent: Intent) -> int:
    """START_INTENT_NOT_RESOLVED: `am` reports it and still exits 0."""
    flags = intent.describe(FLAG_ACTIVITY_NEW_TASK)
    ctx.err(f"Error: Activity not started, unable to resolve {flags}\n")
    return 0


def _start_component(ctx: Ctx, intent: Intent) -> tuple[int, tuple[str, str] | None]:
    package, _, activity = (intent.component or "").partition("/")
    if "-S" in intent.flags:
        ctx.phone.force_stop(package)
    info = all_packages(ctx).get(package)
    cls = full_class(package, activity) if activity else None
    if info is None or not ctx.phone.start_app(package, cls):
        ctx.out("Error type 3\n")
        ctx.err(f"Error: Activity class {{{package}/{cls or ''}}} does not exist.\n")
        return 1, None
    return 0, ctx.phone.current()


def _force_stop(ctx: Ctx, args: list[str]) -> int:
    packages = [a for a in args if not a.startswith("-")]
    for package in packages[-1:]:
        ctx.phone.force_stop(package)
        ctx.state.forget_pid(package)
        ctx.state.log("ActivityManager", f"Force stopping {package} appid=10000 user=0: from pid 0")
    return 0


def _kill(ctx: Ctx, args: list[str]) -> int:
    return 0


def _broadcast(ctx: Ctx, args: list[str]) -> int:
    intent = parse_intent(args)
    ctx.out(f"Broadcasting: {intent.describe(FLAG_RECEIVER_FROM_SHELL)}\n")
    result = 0
    if intent.action in U2_KEYBOARD_ACTIONS and _ime_running(ctx, U2_IME):
        result = _u2_keyboard(ctx, intent)
    elif intent.action in ADB_KEYBOARD_ACTIONS and _ime_running(ctx, ADB_KEYBOARD_IME):
        _adb_keyboard(ctx, intent)  # its receiver leaves the result code alone
    ctx.out(f"Broadcast completed: result={result}\n")
    return 0


def _ime_running(ctx: Ctx, ime: str) -> bool:
    """Whether an input method's service runs (installed and selected): the keyboards
    register their broadcast receivers from the service itself."""
    current = settings_value(ctx, "secure", "default_input_method")
    return current == ime and ime in ctx.state.installed_imes


def _u2_keyboard(ctx: Ctx, intent: Intent) -> int:
    """The broadcasts uiautomator2's AdbKeyboard input method understands (result -1 = OK)."""
    action = intent.action
    if action == "ADB_KEYBOARD_INPUT_TEXT":
        text = _b64_text(intent.extras.get("text", ""))
        if text is None:
            return 0
        ctx.phone.input_text(text)
    elif action == "ADB_KEYBOARD_CLEAR_TEXT":
        ctx.phone.clear_focused_text()
    elif action == "ADB_KEYBOARD_HIDE":
        ctx.phone.hide_keyboard()
    elif action in ("ADB_KEYBOARD_EDITOR_CODE", "ADB_KEYBOARD_SMART_ENTER"):
        ctx.phone.press_key("enter")
    elif action == "ADB_KEYBOARD_INPUT_KEYCODE":
        code = intent.extras.get("code", "")
        if code.isdigit():
            ctx.phone.press_key(int(code))
    return -1


def _adb_keyboard(ctx: Ctx, intent: Intent) -> None:
    """ADB Keyboard's (com.android.adbkeyboard) broadcasts: text as `msg` (plain or
    base64), key codes as `code`, characters as `chars`, and clearing the field."""
    action, extras = intent.action, intent.extras
    if action == "ADB_INPUT_TEXT":
        ctx.phone.input_text(extras.get("msg", ""))
    elif action == "ADB_INPUT_B64":
        ctx.phone.input_text(_b64_text(extras.get("msg", "")) or "")
    elif action == "ADB_INPUT_CHARS":
        codes = [c for c in extras.get("chars", "").split(",") if c.strip().isdigit()]
        ctx.phone.input_text("".join(chr(int(c)) for c in codes))
    elif action in ("ADB_INPUT_CODE", "ADB_EDITOR_CODE") and extras.get("code", "").isdigit():
        ctx.phone.press_key(int(extras["code"]))
    elif action == "ADB_CLEAR_TEXT":
        ctx.phone.clear_focused_text()


def _b64_text(value: str) -> str | None:
    try:
        return base64.b64decode(value, validate=False).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None


def _stack(ctx: Ctx, args: list[str]) -> int:
    """`am stack list` and `am stack remove ID` (a task off the recents list)."""
    if args[:1] == ["remove"] and len(args) == 2 and args[1].isdigit():
        package = task_package(ctx, int(args[1]))
        if package is not None:
            ctx.phone.force_stop(package)
        return 0
    if args[:1] not in ([], ["list"]):
        ctx.err(f"Error: unknown command '{args[0]}'\n")
        return 255
    ctx.out(stack_list(ctx))
    return 0


def _current_user(ctx: Ctx, args: list[str]) -> int:
    ctx.out("0\n")
    return 0


_AM = {
    "start": _start,
    "start-activity": _start,
    "force-stop": _force_stop,
    "stop-app": _force_stop,
    "kill": _kill,
    "kill-all": _kill,
    "broadcast": _broadcast,
    "stack": _stack,
    "get-current-user": _current_user,
}


def monkey(ctx: Ctx) -> int:
    packages: list[str] = []
    args = ctx.args
    count = 0
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in (
            "-p",
            "-c",
            "-s",
            "--throttle",
            "--pct-touch",
            "--pct-motion",
        ) and index + 1 < len(args):
            if arg == "-p":
                packages.append(args[index + 1])
            index += 2
            continue
        if arg.isdigit():
            count = int(arg)
        index += 1
    for arg in args:
        ctx.out(f"  bash arg: {arg}\n")
    known = all_packages(ctx)
    launchable = [p for p in packages if p in known and known[p].launcher]
    if not launchable:
        ctx.err("** No activities found to run, monkey aborted.\n")
        return 251
    if count >= 1:
        ctx.phone.start_app(launchable[0])
        ctx.state.log("ActivityTaskManager", f"START u0 {{cmp={launchable[0]}}} from uid 2000")
    ctx.out(
        f"Events injected: {count}\n"
        "## Network stats: elapsed time=12ms (0ms mobile, 0ms wifi, 12ms not connected)\n"
    )
    return 0


COMMANDS: dict[str, CommandFunc] = {"am": am, "monkey": monkey}
