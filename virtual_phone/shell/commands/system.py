"""System settings and identity: getprop, settings, svc, wm, ifconfig, ip, ime."""

from __future__ import annotations

from virtual_phone.shell.context import CommandFunc, Ctx
from virtual_phone.shell.state import DEFAULT_IME, WLAN_IP

NAMESPACES = ("system", "secure", "global")


def getprop(ctx: Ctx) -> int:
    names = [a for a in ctx.args if not a.startswith("-")]
    if not names:
        props = ctx.phone.getprop()
        assert isinstance(props, dict)
        ctx.out("".join(f"[{key}]: [{value}]\n" for key, value in sorted(props.items())))
        return 0
    value = ctx.phone.getprop(names[0])
    ctx.out(f"{value if value else (names[1] if len(names) > 1 else '')}\n")
    return 0


def settings_value(ctx: Ctx, namespace: str, key: str) -> str | None:
    """A setting, with the device defaults the shell knows about."""
    value = ctx.phone.settings_get(namespace, key)
    if value is None and (namespace, key) == ("secure", "default_input_method"):
        return DEFAULT_IME
    return value


def settings(ctx: Ctx) -> int:
    args = list(ctx.args)
    if "--user" in args:
        index = args.index("--user")
        del args[index : index + 2]
    if len(args) < 2 or args[1] not in NAMESPACES:
        ctx.err(
            "usage:  settings [--user <USER_ID> | current] get namespace key\n"
            "        settings [--user <USER_ID> | current] put namespace key value\n"
            "'namespace' is one of {system, secure, global}, case-insensitive\n"
        )
        return 1
    verb, namespace, rest = args[0], args[1], args[2:]
    if verb == "get" and len(rest) == 1:
        value = settings_value(ctx, namespace, rest[0])
        ctx.out(f"{'null' if value is None else value}\n")
        return 0
    if verb == "put" and len(rest) >= 2:
        ctx.phone.settings_put(namespace, rest[0], rest[1])
        return 0
    if verb == "delete" and len(rest) == 1:
        ctx.out("Deleted 0 rows\n")
        return 0
    ctx.err(f"Invalid command: {' '.join(ctx.args)}\n")
    return 1


def svc(ctx: Ctx) -> int:
    if len(ctx.args) < 2:
        ctx.out(
            "Available commands:\n    help\n    power\n    data\n    wifi\n    usb\n"
            "    nfc\n    bluetooth\n    system-server\n"
        )
        return 0
    service, action = ctx.args[0], ctx.args[1]
    if service == "wifi" and action in ("enable", "disable"):
        ctx.phone.set_wifi(action == "enable")
        return 0
    if service in ("data", "power", "usb", "nfc", "bluetooth"):
        return 0
    ctx.err(f"svc: unknown command '{service} {action}'\n")
    return 1


def wm(ctx: Ctx) -> int:
    sub = ctx.args[0] if ctx.args else ""
    if sub == "size" and len(ctx.args) == 1:
        ctx.out(f"Physical size: {ctx.phone.width}x{ctx.phone.height}\n")
        return 0
    if sub == "density" and len(ctx.args) == 1:
        ctx.out(f"Physical density: {ctx.phone.density_dpi}\n")
        return 0
    if sub in ("size", "density") and ctx.args[1:] == ["reset"]:
        return 0  # there is no override to take back
    if sub in ("size", "density"):
        ctx.err(f"Error: changing the display {sub} is not supported on this device\n")
        return 1
    if sub == "user-rotation":
        rest = ctx.args[1:]
        words = [a for a in rest if not a.isdigit() and a != "-d"]
        return _user_rotation(ctx, words, [a for a in rest if a.isdigit()])
    ctx.err("usage: wm [size|density|user-rotation] …\n")
    return 1


def _user_rotation(ctx: Ctx, words: list[str], numbers: list[str]) -> int:
    """`wm user-rotation [free|lock] [ROTATION]`: as `settings put system` would set it."""
    mode = words[0] if words else ""
    if not mode:
        locked = settings_value(ctx, "system", "accelerometer_rotation") in (None, "0")
        current = settings_value(ctx, "system", "user_rotation") or "0"
        ctx.out(f"lock {current}\n" if locked else "free\n")
        return 0
    if mode not in ("free", "lock"):
        ctx.err(f"Error: lock mode needs to be either free or lock: {mode}\n")
        return 255
    if mode == "lock" and numbers:
        ctx.phone.settings_put("system", "user_rotation", str(int(numbers[-1]) % 4))
    ctx.phone.settings_put("system", "accelerometer_rotation", "1" if mode == "free" else "0")
    return 0


def _wlan0(ctx: Ctx) -> str:
    lines = ["wlan0     Link encap:UNSPEC    Driver wlan\n"]
    if ctx.phone.wifi_enabled:
        lines.append(
            f"          inet addr:{WLAN_IP}  Bcast:10.0.2.255  Mask:255.255.255.0 \n"
            "          inet6 addr: fe80::15:b2ff:fe00:0/64 Scope: Link\n"
            "          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n"
        )
    else:
        lines.append("          BROADCAST MULTICAST  MTU:1500  Metric:1\n")
    lines.append(
        "          RX packets:3842 errors:0 dropped:0 overruns:0 frame:0 \n"
        "          TX packets:2110 errors:0 dropped:0 overruns:0 carrier:0 \n"
        "          collisions:0 txqueuelen:3000 \n"
        "          RX bytes:4123456 TX bytes:345678 \n\n"
    )
    return "".join(lines)


_LO = (
    "lo        Link encap:Local Loopback  \n"
    "          inet addr:127.0.0.1  Mask:255.0.0.0 \n"
    "          inet6 addr: ::1/128 Scope: Host\n"
    "          UP LOOPBACK RUNNING  MTU:65536  Metric:1\n\n"
)


def ifconfig(ctx: Ctx) -> int:
    names = [a for a in ctx.args if not a.startswith("-")]
    if not names:
        ctx.out(_LO + _wlan0(ctx))
        return 0
    if names[0] == "wlan0":
        ctx.out(_wlan0(ctx))
    elif names[0] == "lo":
        ctx.out(_LO)
    else:
        ctx.err(f"ifconfig: {names[0]}: No such device\n")
        return 1
    return 0


def ip(ctx: Ctx) -> int:
    words = [a for a in ctx.args if not a.startswith("-") and a not in ("inet", "dev")]
    if not words or words[0] not in ("addr", "address", "a"):
        ctx.err("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n")
        return 1
    state = "UP" if ctx.phone.wifi_enabled else "DOWN"
    ctx.out(
        f"30: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state {state} "
        "group default qlen 3000\n    link/ether 02:15:b2:00:00:00 brd ff:ff:ff:ff:ff:ff\n"
    )
    if ctx.phone.wifi_enabled:
        ctx.out(
            f"    inet {WLAN_IP}/24 brd 10.0.2.255 scope global wlan0\n"
            "       valid_lft forever preferred_lft forever\n"
        )
    return 0


def ime(ctx: Ctx) -> int:
    if not ctx.args:
        ctx.err("ime <command>:\n  list [-a] [-s]\n  enable <ID>\n  disable <ID>\n  set <ID>\n")
        return 1
    sub, rest = ctx.args[0], ctx.args[1:]
    state = ctx.state
    target = next((a for a in rest if not a.startswith("-")), "")
    if sub == "list":
        ids = (
            state.all_imes()
            if "-a" in rest
            else [i for i in state.all_imes() if i in state.enabled_imes]
        )
        if "-s" in rest:
            ctx.out("".join(f"{i}\n" for i in ids))
        else:
            ctx.out("".join(f"{i}:\n  mId={i} mSettingsActivity=null\n" for i in ids))
        return 0
    if sub in ("enable", "set") and target not in state.all_imes():
        done = "enabled" if sub == "enable" else "selected"
        ctx.err(f"Unknown input method {target} cannot be {done} for user #0\n")
        return 255
    if sub in ("enable", "disable"):
        _enable_ime(ctx, target, sub == "enable")
    elif sub == "set":
        state.enabled_imes.add(target)
        ctx.phone.settings_put("secure", "default_input_method", target)
        ctx.out(f"Input method {target} selected for user #0\n")
    elif sub == "reset":
        ctx.phone.settings_put("secure", "default_input_method", DEFAULT_IME)
        ctx.out(f"Reset input methods for user #0\n  Selected: {DEFAULT_IME}\n")
    else:
        ctx.err(f"Unknown command: {sub}\n")
        return 1
    return 0


def _enable_ime(ctx: Ctx, target: str, enable: bool) -> None:
    """`ime enable|disable`: "now" when it changed, "already" when it did not."""
    enabled = ctx.state.enabled_imes
    change = "already" if (target in enabled) == enable else "now"
    if enable:
        enabled.add(target)
    else:
        enabled.discard(target)
        if settings_value(ctx, "secure", "default_input_method") == target:
            ctx.phone.settings_put("secure", "default_input_method", DEFAULT_IME)
    ctx.out(f"Input method {target}: {change} {'enabled' if enable else 'disabled'} for user #0\n")


COMMANDS: dict[str, CommandFunc] = {
    "getprop": getprop,
    "settings": settings,
    "svc": svc,
    "wm": wm,
    "ifconfig": ifconfig,
    "ip": ip,
    "ime": ime,
}
