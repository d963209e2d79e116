"""`input`: taps, swipes, text and key events, as Android's InputShellCommand parses them."""

from __future__ import annotations

from virtual_phone.shell.context import CommandFunc, Ctx

SOURCES = {
    "keyboard",
    "mouse",
    "joystick",
    "touchnavigation",
    "touchpad",
    "trackball",
    "dpad",
    "stylus",
    "gamepad",
    "touchscreen",
    "rotaryencoder",
}
MOTION_ACTIONS = {"DOWN": 0, "UP": 1, "MOVE": 2, "CANCEL": 3}
USAGE = """Usage: input [<source>] [-d DISPLAY_ID] <command> [<arg>...]

The commands and default sources are:
      text <string> (Default: keyboard)
      keyevent [--longpress|--doubletap] <key code number or name> ... (Default: keyboard)
      tap <x> <y> (Default: touchscreen)
      swipe <x1> <y1> <x2> <y2> [duration(ms)] (Default: touchscreen)
      draganddrop <x1> <y1> <x2> <y2> [duration(ms)] (Default: touchscreen)
      press (Default: trackball)
      roll <dx> <dy> (Default: trackball)
      motionevent <DOWN|UP|MOVE|CANCEL> <x> <y> (Default: touchscreen)
"""


def input_(ctx: Ctx) -> int:
    args = list(ctx.args)
    while args and (args[0] in SOURCES or args[0] == "-d"):
        del args[: 2 if args[0] == "-d" else 1]
    if not args:
        ctx.err(USAGE)
        return 1
    command, rest = args[0], args[1:]
    handler = _HANDLERS.get(command)
    if handler is None:
        ctx.err(f"Error: Unknown command: {command}\n{USAGE}")
        return 1
    try:
        return handler(ctx, rest)
    except (ValueError, IndexError):
        ctx.err(f"Error: Invalid arguments for command: {command}\n{USAGE}")
        return 1


def _floats(values: list[str], count: int) -> list[float]:
    if len(values) < count:
        raise ValueError("too few arguments")
    return [float(v) for v in values[:count]]


def _tap(ctx: Ctx, args: list[str]) -> int:
    if len(args) != 2:
        raise ValueError("tap takes two coordinates")
    x, y = _floats(args, 2)
    ctx.phone.tap(x, y)
    return 0


def _swipe(ctx: Ctx, args: list[str]) -> int:
    if len(args) not in (4, 5):
        raise ValueError("swipe takes four coordinates and a duration")
    x1, y1, x2, y2 = _floats(args, 4)
    duration = int(float(args[4])) if len(args) == 5 else 300
    if (x1, y1) == (x2, y2):  # the usual long-press idiom
        ctx.phone.long_press(x1, y1, max(duration, 1))
    else:
        ctx.phone.swipe(x1, y1, x2, y2, max(duration, 1))
    return 0


def _drag(ctx: Ctx, args: list[str]) -> int:
    if len(args) not in (4, 5):
        raise ValueError("draganddrop takes four coordinates and a duration")
    x1, y1, x2, y2 = _floats(args, 4)
    duration = int(float(args[4])) if len(args) == 5 else 300
    ctx.phone.touch(0, x1, y1)
    steps = max(2, duration // 50)
    for step in range(1, steps + 1):
        ctx.phone.touch(2, x1 + (x2 - x1) * step / steps, y1 + (y2 - y1) * step / steps)
    ctx.phone.touch(1, x2, y2)
    return 0


def _text(ctx: Ctx, args: list[str]) -> int:
    if not args:
        raise ValueError("text needs a string")
    ctx.phone.input_text(args[0].replace("%s", " "))
    return 0


def _keyevent(ctx: Ctx, args: list[str]) -> int:
    longpress = doubletap = False
    keys: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--longpress":
            longpress = True
        elif arg == "--doubletap":
            doubletap = True
        elif arg == "--duration":
            index += 1
            longpress = True
        else:
            keys.append(arg)
        index += 1
    if not keys:
        raise ValueError("keyevent needs a key")
    status = 0
    for key in keys:
        code: str | int = int(key) if key.isdigit() else key
        for _ in range(2 if doubletap else 1):
            if not ctx.phone.press_key(code, longpress=longpress):
                ctx.err(f"Error: Unknown keycode: {key}\n")
                status = 1
                break
    return status


def _motionevent(ctx: Ctx, args: list[str]) -> int:
    action = MOTION_ACTIONS[args[0].upper()]
    x, y = _floats(args[1:], 2)
    ctx.phone.touch(min(action, 1) if action == 3 else action, x, y)
    return 0


def _noop(ctx: Ctx, args: list[str]) -> int:
    return 0


_HANDLERS = {
    "tap": _tap,
    "swipe": _swipe,
    "draganddrop": _drag,
    "text": _text,
    "keyevent": _keyevent,
    "keycombination": _keyevent,
    "motionevent": _motionevent,
    "roll": _noop,
    "press": _noop,
    "scroll": _noop,
}

COMMANDS: dict[str, CommandFunc] = {"input": input_}
