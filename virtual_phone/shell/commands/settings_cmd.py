"""`settings get|put|delete|list`, as AOSP's SettingsService shell command answers them."""

from __future__ import annotations

from virtual_phone.shell.commands.system import settings_value
from virtual_phone.shell.context import CommandFunc, Ctx
from virtual_phone.shell.state import DEFAULT_IME

NAMESPACES = ("system", "secure", "global")
USAGE = (
    "Settings provider (settings) commands:\n"
    "  help\n"
    "      Print this help text.\n"
    "  get [--user <USER_ID> | current] NAMESPACE KEY\n"
    "      Retrieve the current value of KEY.\n"
    "  put [--user <USER_ID> | current] NAMESPACE KEY VALUE [TAG] [default]\n"
    "      Change the contents of KEY to VALUE.\n"
    "      TAG to associate with the setting.\n"
    "      {default} to set as the default, case-insensitive only for global/secure namespace\n"
    "  delete [--user <USER_ID> | current] NAMESPACE KEY\n"
    "      Delete the entry for KEY.\n"
    "  list [--user <USER_ID> | current] NAMESPACE\n"
    "      Print all defined keys.\n"
    "      NAMESPACE is one of {system, secure, global}, case-insensitive\n"
)
_ARITY = {"get": 1, "put": 2, "delete": 1, "list": 0}


def settings_rows(ctx: Ctx, namespace: str) -> dict[str, str]:
    """Every key of a namespace with its value (what `settings list` prints)."""
    rows = ctx.phone.settings_list(namespace)
    if namespace == "secure":
        rows.setdefault("default_input_method", DEFAULT_IME)
    return rows


def _strip_user(args: list[str]) -> list[str]:
    if "--user" in args:
        index = args.index("--user")
        del args[index : index + 2]
    return args


def settings(ctx: Ctx) -> int:
    args = _strip_user(list(ctx.args))
    if args[:1] in (["help"], ["-h"]):
        ctx.out(USAGE)
        return 0
    verb = args[0] if args else ""
    namespace = args[1].lower() if len(args) > 1 else ""
    rest = args[2:]
    if verb not in _ARITY or namespace not in NAMESPACES or len(rest) < _ARITY[verb]:
        ctx.err(USAGE)
        return 1
    if verb == "get":
        value = settings_value(ctx, namespace, rest[0])
        ctx.out(f"{'null' if value is None else value}\n")
    elif verb == "put":
        ctx.phone.settings_put(namespace, rest[0], rest[1])
    elif verb == "delete":
        ctx.out(f"Deleted {int(ctx.phone.settings_delete(namespace, rest[0]))} rows\n")
    else:
        rows = settings_rows(ctx, namespace)
        ctx.out("".join(sorted(f"{key}={value}\n" for key, value in rows.items())))
    return 0


COMMANDS: dict[str, CommandFunc] = {"settings": settings}
