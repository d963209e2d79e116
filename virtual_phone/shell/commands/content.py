"""`content query|insert|update|delete` on the settings provider, as AOSP's
ContentShellCommand prints it (`Row: N col=value, …`, `No result found.`)."""

from __future__ import annotations

import re

from virtual_phone.shell.commands.settings_cmd import NAMESPACES, settings_rows
from virtual_phone.shell.context import CommandError, CommandFunc, Ctx

USAGE = (
    "usage: adb shell content [subcommand] [options]\n"
    "\n"
    "usage: adb shell content insert --uri <URI> [--user <USER_ID>] --bind <BINDING> "
    "[--bind <BINDING>...]\n"
    "usage: adb shell content delete --uri <URI> [--user <USER_ID>] --where <WHERE>\n"
    "usage: adb shell content query --uri <URI> [--user <USER_ID>] [--projection <PROJECTION>]"
    " [--where <WHERE>] [--sort <SORT_ORDER>]\n"
)
_WHERE = re.compile(r"""^\s*(\w+)\s*=\s*(?:'([^']*)'|"([^"]*)"|(\S+))\s*$""")
_COLUMNS = ("_id", "name", "value")


class _Options:
    def __init__(self, ctx: Ctx, args: list[str]) -> None:
        self.uri = ""
        self.projection: list[str] = list(_COLUMNS)
        self.where: tuple[str, str] | None = None
        self.binds: dict[str, str] = {}
        pairs = iter(args)
        for option in pairs:
            value = next(pairs, None)
            if value is None:
                raise ctx.fail(f"Error: No value for {option} argument")
            if option == "--uri":
                self.uri = value
            elif option == "--projection":
                self.projection = [c for c in value.split(":") if c]
            elif option == "--where":
                self.where = _parse_where(ctx, value)
            elif option == "--bind":
                column, _, typed = value.partition(":")
                self.binds[column] = typed.partition(":")[2]
            elif option not in ("--user", "--sort"):
                raise ctx.fail(f"Error: Unsupported argument: {option}")
        if not self.uri:
            raise ctx.fail(
                "Error: Content provider URI not specified. Did you specify --uri argument?"
            )


def _parse_where(ctx: Ctx, text: str) -> tuple[str, str]:
    match = _WHERE.match(text)
    if match is None:
        raise ctx.fail(f"Error: unsupported where clause: {text}")
    column = match.group(1)
    return column, next(g for g in match.groups()[1:] if g is not None)


def _table(ctx: Ctx, uri: str) -> tuple[str, str | None]:
    """(namespace, single key or None) of a content://settings/… URI."""
    match = re.fullmatch(r"content://([^/]+)/?([^/]*)/?([^/]*)", uri)
    authority = match.group(1) if match else uri
    if match is None or authority != "settings":
        ctx.err(f"Error while accessing provider:{authority}\n")
        raise CommandError(f"java.lang.IllegalArgumentException: Unknown authority {authority}")
    namespace = match.group(2)
    if namespace not in NAMESPACES:
        ctx.err("Error while accessing provider:settings\n")
        raise CommandError(f"java.lang.IllegalArgumentException: Invalid URI: {uri}")
    return namespace, match.group(3) or None


def _rows(ctx: Ctx, options: _Options) -> tuple[str, list[dict[str, str]]]:
    namespace, key = _table(ctx, options.uri)
    rows = [
        {"_id": str(number), "name": name, "value": value}
        for number, (name, value) in enumerate(settings_rows(ctx, namespace).items(), 1)
    ]
    if key is not None:
        rows = [row for row in rows if row["name"] == key]
    if options.where is not None:
        column, wanted = options.where
        rows = [row for row in rows if row.get(column) == wanted]
    return namespace, rows


def query(ctx: Ctx, options: _Options) -> int:
    _, rows = _rows(ctx, options)
    if not rows:
        ctx.out("No result found.\n")
    for number, row in enumerate(rows):
        cells = ", ".join(f"{column}={row.get(column, 'NULL')}" for column in options.projection)
        ctx.out(f"Row: {number} {cells}\n")
    return 0


def insert(ctx: Ctx, options: _Options) -> int:
    namespace, _ = _table(ctx, options.uri)
    if "name" not in options.binds:
        raise ctx.fail("Error: Bindings not specified. Did you specify --bind argument(s)?")
    ctx.phone.settings_put(namespace, options.binds["name"], options.binds.get("value", ""))
    return 0


def update(ctx: Ctx, options: _Options) -> int:
    namespace, rows = _rows(ctx, options)
    for row in rows:
        ctx.phone.settings_put(namespace, row["name"], options.binds.get("value", ""))
    return 0


def delete(ctx: Ctx, options: _Options) -> int:
    namespace, rows = _rows(ctx, options)
    for row in rows:
        ctx.phone.settings_delete(namespace, row["name"])
    return 0


_VERBS = {"query": query, "insert": insert, "update": update, "delete": delete}


def content(ctx: Ctx) -> int:
    """`content VERB --uri content://settings/NAMESPACE[/KEY] [options]`."""
    verb = _VERBS.get(ctx.args[0]) if ctx.args else None
    if verb is None:
        ctx.out(USAGE)
        return 0 if not ctx.args else 1
    return verb(ctx, _Options(ctx, ctx.args[1:]))


COMMANDS: dict[str, CommandFunc] = {"content": content}
