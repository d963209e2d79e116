"""`mobile-agent tips`: review, edit and share the tips learned from runs.

Also holds what the memory commands (`tips`, `shortcuts`, `runs`) share: the `--db` option,
opening the store, and printing tables (rich) or JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobile_agent.cli.args import positive_int_arg

if TYPE_CHECKING:
    from mobile_agent.memory import Store

STATUSES = ("proposed", "approved", "disabled", "suspect")
DONE = {"approve": "approved", "disable": "disabled", "delete": "deleted"}


# -- shared by the memory commands -------------------------------------------------------------
def common_options() -> argparse.ArgumentParser:
    """A parent parser with the options every memory command takes (`--db`)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db", type=Path, help="the memory database (default: memory.db in the data directory)"
    )
    return parent


def open_store(args: argparse.Namespace, *, create: bool = True) -> Store:
    """The store named by `--db` (or the configured one); with `create=False` a missing file
    reads as an empty store and is not created."""
    from mobile_agent.config import load_settings
    from mobile_agent.memory import Store, memory_settings

    return Store.open(args.db, settings=memory_settings(load_settings()), create=create)


def print_json(value: Any) -> None:
    """`value` as indented JSON on stdout."""
    print(json.dumps(value, indent=2, ensure_ascii=False))


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], empty: str) -> None:
    """A table on stdout (rich when available), or `empty` when there are no rows."""
    if not rows:
        print(empty)
        return
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain columns without rich
        from mobile_agent.cli.devices import format_table

        print(format_table(columns, [[str(c) for c in row] for row in rows]))
        return
    table = Table(*columns, show_edge=False, highlight=False)
    for row in rows:
        table.add_row(*(str(c) for c in row))
    Console(soft_wrap=False, width=_width()).print(table)


def _width() -> int | None:
    """The terminal's width on a terminal; a wide page when piped, so rows stay whole."""
    return None if sys.stdout.isatty() else 160


def print_fields(fields: dict[str, Any]) -> None:
    """One `name: value` line per field."""
    width = max(len(k) for k in fields)
    for key, value in fields.items():
        print(f"{key.ljust(width)}  {value if value not in (None, '') else '-'}")


def add_leaf(
    group: Any,
    name: str,
    help_text: str,
    handler: Callable[[argparse.Namespace], int],
    parent: argparse.ArgumentParser,
) -> argparse.ArgumentParser:
    """A sub-command of a memory command group, with the shared options."""
    description = help_text[0].upper() + help_text[1:] + "."
    parser: argparse.ArgumentParser = group.add_parser(
        name, help=help_text, description=description, parents=[parent]
    )
    parser.set_defaults(handler=handler)
    return parser


# -- the tips command --------------------------------------------------------------------------
def register(sub: Any) -> None:
    """Add the `tips` command group."""
    parser = sub.add_parser(
        "tips",
        help="review, edit and share learned tips",
        description="Tips are general lessons learned from runs; approved ones are given to "
        "later tasks that match them.",
    )
    group = parser.add_subparsers(dest="tips_command", metavar="SUBCOMMAND")
    common = common_options()
    listing = add_leaf(group, "list", "list the tips", _list, common)
    listing.add_argument("--status", choices=STATUSES, help="only tips with this status")
    listing.add_argument("--app", help="only tips scoped to this app")
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = add_leaf(group, "show", "show one tip", _show, common)
    show.add_argument("id", type=positive_int_arg)
    show.add_argument("--json", action="store_true", help="print JSON")
    add = add_leaf(group, "add", "write a tip yourself", _add, common)
    add.add_argument("text", help="the lesson, in one or two sentences")
    add.add_argument("--app", default="", help="the app it applies to (default: any)")
    add.add_argument("--approve", action="store_true", help="store it approved (default: proposed)")
    edit = add_leaf(group, "edit", "change a tip's text or app", _edit, common)
    edit.add_argument("id", type=positive_int_arg)
    edit.add_argument("--text", help="the new text")
    edit.add_argument("--app", help="the new app scope ('' = any app)")
    for name, verb in (("approve", "approve"), ("disable", "disable"), ("delete", "delete")):
        leaf = add_leaf(group, name, f"{verb} tips", _status_handler(name), common)
        leaf.add_argument("ids", nargs="+", type=positive_int_arg, metavar="ID")
    export = add_leaf(group, "export", "write every tip to a JSON file", _export, common)
    export.add_argument("path", type=Path, help="the file to write ('-' = standard output)")
    imp = add_leaf(group, "import", "add the tips of a JSON file (all or nothing)", _import, common)
    imp.add_argument("path", type=Path, help="a file written by `tips export`")
    imp.add_argument("--as-proposed", action="store_true", help="store them as proposed")
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def _list(args: argparse.Namespace) -> int:
    from mobile_agent.memory import Status

    with open_store(args, create=False) as store:
        status = Status(args.status) if args.status else None
        tips = store.tips.all(status=status, app=args.app)
    if args.json:
        print_json([t.model_dump(mode="json") for t in tips])
        return 0
    rows = [(t.id, t.status, t.app or "any", f"{t.successes}/{t.uses}", t.text) for t in tips]
    print_table(("id", "status", "app", "ok/used", "tip"), rows, "No tips stored.")
    return 0


def _show(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        tip = store.tips.get(args.id)
    if args.json:
        print_json(tip.model_dump(mode="json"))
        return 0
    fields = tip.model_dump(mode="json")
    fields["learned from"] = _provenance(tip.source_run, tip.source_step)
    for key in ("source_run", "source_step"):
        fields.pop(key)
    print_fields(fields)
    return 0


def _add(args: argparse.Namespace) -> int:
    from mobile_agent.memory import Status

    status = Status.APPROVED if args.approve else Status.PROPOSED
    with open_store(args) as store:
        tip = store.tips.add(args.text, app=args.app, status=status)
    print(f"tip {tip.id} ({tip.status})")
    return 0


def _edit(args: argparse.Namespace) -> int:
    from mobile_agent.cli.args import UsageError

    if args.text is None and args.app is None:
        raise UsageError("say what to change: --text TEXT and/or --app APP")
    with open_store(args) as store:
        tip = store.tips.edit(args.id, text=args.text, app=args.app)
    print(f"tip {tip.id} changed")
    return 0


def _status_handler(command: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from mobile_agent.memory import Status

        with open_store(args) as store, store.write():
            for tip_id in args.ids:
                if command == "delete":
                    store.tips.delete(tip_id)
                    continue
                if command == "approve" and store.tips.get(tip_id).status is Status.SUSPECT:
                    warn_suspect(f"tip {tip_id}", store.tips.held_reason(tip_id))
                store.tips.set_status(tip_id, Status(DONE[command]))
        print(f"{DONE[command]}: {', '.join(map(str, args.ids))}")
        return 0

    return handler


def _export(args: argparse.Namespace) -> int:
    from mobile_agent.memory import export_tips

    with open_store(args, create=False) as store:
        items = export_tips(store)
    write_items(items, args.path, "tips")
    return 0


def _import(args: argparse.Namespace) -> int:
    from mobile_agent.memory import Status, import_tips
    from mobile_agent.memory.transfer import read_items

    items = read_items(args.path)
    status = Status.PROPOSED if args.as_proposed else None
    with open_store(args) as store:
        report = import_tips(store, items, source=str(args.path), status=status)
    print(f"{len(report.added)} tips added, {len(report.unchanged)} already stored")
    print_held(report.held)
    return 0


def warn_suspect(what: str, reason: str) -> None:
    """Say on stderr that a suspect item is being approved, and why it was held."""
    why = reason or "no reason was stored"
    print(f"warning: {what} was held as suspect ({why}); approved all the same", file=sys.stderr)


def print_held(names: Sequence[str]) -> None:
    """Say which imported items were stored as suspect (nothing when none was)."""
    if names:
        print(f"held as suspect, unused until approved: {', '.join(names)}")


def write_items(items: list[dict[str, Any]], path: Path, what: str) -> None:
    """Export `items` to `path` ('-' = standard output), with a line on stderr saying so."""
    from mobile_agent.memory.transfer import write_json

    if str(path) == "-":
        print_json(items)
        return
    write_json(items, path)
    print(f"wrote {len(items)} {what} to {path}", file=sys.stderr)


def _provenance(run: str | None, step: int | None) -> str:
    if not run:
        return "-"
    return f"run {run}" + (f", step {step}" if step is not None else "")
