"""`input`: taps, swipes, text and key events, as Android's InputShellCommand parses them."""

from __future__ import annotations

from virtual_phone.contract import NodeInfo
from virtual_phone.props import key_name
from virtual_phone.shell.context import CommandFunc, Ctx
from virtual_phone.ui.hierarchy import find_node

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
SEND_TEXT_NPE = """Exception occurred while executing 'text':
java.lang.NullPointerException: Attempt to get length of null array
\tat com.android.server.input.InputShellCommand.sendText(InputShellCommand.java:319)
\tat com.android.server.input.InputShellCommand.runText(InputShellCommand.java:291)
\tat com.android.server.input.InputShellCommand.onCommand(InputShellCommand.java:232)
\tat com.android.modules.utils.BasicShellCommandHandler.exec(BasicShellCommandHandler.java:97)
\tat android.os.ShellCommand.exec(ShellCommand.java:38)
\tat com.android.server.input.InputManagerService.onShellCommand(InputManagerService.java:3297)
\tat android.os.Binder.shellCommand(Binder.java:1068)
\tat android.os.Binder.onTransact(Binder.java:888)
\tat android.hardware.input.IInputManager$Stub.onTransact(IInputManager.java:1339)
\tat android.os.Binder.execTransactInternal(Binder.java:1344)
\tat android.os.Binder.execTransact(Binder.java:1275)
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


def unescape_text(arg: str) -> str:
    """`%s` → space, exactly as InputShellCommand.sendText scans it (a `%` arms the escape
    for the next character only, so `%%s` is `% `)."""
    out: list[str] = []
    armed = False
    for ch in arg:
        if armed and ch == "s":
            out[-1] = " "
            armed = False
            continue
        armed = ch == "%"
        out.append(ch)
    return "".join(out)


def typeable(text: str) -> bool:
    """Whether the virtual keyboard's key character map has keys for every character
    (printable ASCII, tab and newline)."""
    return all(" " <= ch <= "~" or ch in "\t\n" for ch in text)


def _text(ctx: Ctx, args: list[str]) -> int:
    if not args:
        raise ValueError("text needs a string")
    text = unescape_text(args[0])
    if not typeable(text):
        # KeyCharacterMap.getEvents() returns null and sendText reads its length.
        ctx.err(SEND_TEXT_NPE)
        return 255
    _type(ctx, text)
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
        if key_name(code) == "del" and (selected := _selected(ctx)) is not None:
            ctx.phone.set_text(selected.key, "")  # deletes the selection
            continue
        for _ in range(2 if doubletap else 1):
            if not ctx.phone.press_key(code, longpress=longpress):
                ctx.err(f"Error: Unknown keycode: {key}\n")
                status = 1
                break
    return status


CTRL_KEYS = {113, 114}
SHIFT_KEYS = {59, 60}
MODIFIER_KEYS = CTRL_KEYS | SHIFT_KEYS | {57, 58, 117, 118}  # + alt, meta
_KEYCODE_NUMBERS = {"CTRL_LEFT": 113, "CTRL_RIGHT": 114, "SHIFT_LEFT": 59, "SHIFT_RIGHT": 60}


def _keycode(word: str) -> int:
    """A key code from a number or a KEYCODE_ name (ValueError when unknown)."""
    if word.isdigit():
        return int(word)
    name = word.upper().removeprefix("KEYCODE_")
    if name in _KEYCODE_NUMBERS:
        return _KEYCODE_NUMBERS[name]
    if len(name) == 1 and name.isalpha():
        return 29 + ord(name) - ord("A")
    raise ValueError(f"unknown keycode {word}")


def _keycombination(ctx: Ctx, args: list[str]) -> int:
    """`input keycombination [-t MS] KEY KEY...`: the keys held together. With Ctrl, A
    selects all, C copies, X cuts and V pastes (the focused field and the clipboard)."""
    if args[:1] == ["-t"]:
        args = args[2:]
    codes = [_keycode(a) for a in args]
    if len(codes) < 2:
        raise ValueError("keycombination requires at least 2 keycodes")
    keys = [c for c in codes if c not in MODIFIER_KEYS]
    if CTRL_KEYS & set(codes):
        for code in keys:
            _ctrl_key(ctx, code)
        return 0
    shifted = bool(SHIFT_KEYS & set(codes))
    for code in keys:
        if shifted and 29 <= code <= 54:
            _type(ctx, chr(ord("A") + code - 29))
        else:
            ctx.phone.press_key(code)
    return 0


def _focused_field(ctx: Ctx) -> NodeInfo | None:
    return find_node(ctx.phone.nodes(), focused=True, class_name="android.widget.EditText")


def _value(node: NodeInfo) -> str:
    """The typed text of a field (an empty field reports its hint)."""
    return "" if node.text == node.hint else node.text


def _selected(ctx: Ctx) -> NodeInfo | None:
    """The focused field when all its text is selected (until anything changes)."""
    field = _focused_field(ctx)
    if field is None or ctx.state.selection != (ctx.phone.ui_version, field.key):
        return None
    return field


def _ctrl_key(ctx: Ctx, code: int) -> None:
    field = _focused_field(ctx)
    if field is None:
        return
    selected = _selected(ctx)
    if code == 29:  # A
        ctx.state.selection = (ctx.phone.ui_version, field.key) if _value(field) else None
    elif code in (31, 52) and selected is not None and not selected.password:  # C, X
        ctx.phone.clipboard = _value(selected)
        if code == 52:
            ctx.phone.set_text(selected.key, "")
    elif code == 50 and ctx.phone.clipboard:  # V
        _type(ctx, ctx.phone.clipboard)


def _type(ctx: Ctx, text: str) -> None:
    """Type into the focused field, replacing its text when all of it is selected."""
    selected = _selected(ctx)
    if selected is not None:
        ctx.phone.set_text(selected.key, "")
    ctx.phone.input_text(text)


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
    "keycombination": _keycombination,
    "motionevent": _motionevent,
    "roll": _noop,
    "press": _noop,
    "scroll": _noop,
}

COMMANDS: dict[str, CommandFunc] = {"input": input_}
