"""`content query|insert|update|delete`, as AOSP's ContentShellCommand prints it
(`Row: N col=value, …`, `No result found.`), on the providers of `providers.py`."""

from __future__ import annotations

import re

from virtual_phone.shell.commands.providers import Row, Table, resolve
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


class _Options:
    def __init__(self, ctx: Ctx, args: list[str]) -> None:
        self.uri = ""
        self.projection: list[str] | None = None
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


def _select(ctx: Ctx, options: _Options) -> tuple[Table, list[Row]]:
    table = resolve(ctx, options.uri)
    rows = table.rows
    if options.where is not None:
        column, wanted = options.where
        _check_columns(table, [column])
        rows = [row for row in rows if row.get(column) == wanted]
    return table, rows


def _check_columns(table: Table, columns: list[str]) -> None:
    for column in columns:
        if column not in table.columns:
            raise CommandError(f"java.lang.IllegalArgumentException: Invalid column: {column}")


def _writable(table: Table, rows: list[Row] | None = None) -> str:
    """The settings namespace to write; a read-only table may only be written to no rows."""
    if table.namespace is None and (rows is None or rows):
        raise CommandError("java.lang.UnsupportedOperationException: the provider is read-only")
    return table.namespace or ""


def query(ctx: Ctx, options: _Options) -> int:
    table, rows = _select(ctx, options)
    columns = options.projection or list(table.columns)
    _check_columns(table, columns)
    if not rows:
        ctx.out("No result found.\n")
    for number, row in enumerate(rows):
        cells = ", ".join(f"{column}={_cell(row.get(column))}" for column in columns)
        ctx.out(f"Row: {number} {cells}\n")
    return 0


def _cell(value: str | None) -> str:
    return "NULL" if value is None else value


def insert(ctx: Ctx, options: _Options) -> int:
    namespace = _writable(resolve(ctx, options.uri))
    if "name" not in options.binds:
        raise ctx.fail("Error: Bindings not specified. Did you specify --bind argument(s)?")
    ctx.phone.settings_put(namespace, options.binds["name"], options.binds.get("value", ""))
    return 0


def update(ctx: Ctx, options: _Options) -> int:
    table, rows = _select(ctx, options)
    namespace = _writable(table, rows)
    for row in rows:
        ctx.phone.settings_put(namespace, str(row["name"]), options.binds.get("value", ""))
    return 0


def delete(ctx: Ctx, options: _Options) -> int:
    table, rows = _select(ctx, options)
    namespace = _writable(table, rows)
    for row in rows:
        ctx.phone.settings_delete(namespace, str(row["name"]))
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
