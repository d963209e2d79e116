"""`mobile-agent shortcuts`: review, edit and share learned shortcuts.

Every change to a shortcut's content is stored as a new version; `show` lists them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobile_agent.cli.tips import (
    DONE,
    STATUSES,
    add_leaf,
    common_options,
    open_store,
    print_fields,
    print_json,
    print_table,
    write_items,
)

if TYPE_CHECKING:
    from mobile_agent.memory import ShortcutSpec, StoredShortcut


def register(sub: Any) -> None:
    """Add the `shortcuts` command group."""
    parser = sub.add_parser(
        "shortcuts",
        help="review, edit and share learned shortcuts",
        description="Shortcuts are named sequences of actions with a precondition; approved "
        "ones are offered to later tasks that match them.",
    )
    group = parser.add_subparsers(dest="shortcuts_command", metavar="SUBCOMMAND")
    common = common_options()
    listing = add_leaf(group, "list", "list the shortcuts", _list, common)
    listing.add_argument("--status", choices=STATUSES, help="only shortcuts with this status")
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = add_leaf(group, "show", "show a shortcut and its versions", _show, common)
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="print JSON")
    edit = add_leaf(group, "edit", "store a changed shortcut as a new version", _edit, common)
    edit.add_argument("name")
    edit.add_argument("--description", help="what it does")
    edit.add_argument("--precondition", help="when to use it, in words")
    edit.add_argument("--guard", help='what must be on screen, as JSON, e.g. \'{"app": "…"}\'')
    edit.add_argument("--no-guard", action="store_true", help="remove the guard")
    edit.add_argument("--file", type=Path, help="the whole shortcut as a JSON object")
    edit.add_argument("--note", default="", help="why it changed (kept with the version)")
    for name in ("approve", "disable", "delete"):
        leaf = add_leaf(group, name, f"{name} shortcuts", _status_handler(name), common)
        leaf.add_argument("names", nargs="+", metavar="NAME")
    export = add_leaf(group, "export", "write shortcuts to a JSON file", _export, common)
    export.add_argument("path", type=Path, help="the file to write ('-' = standard output)")
    export.add_argument("names", nargs="*", metavar="NAME", help="only these (default: all)")
    what = "add the shortcuts of a JSON file (all or nothing)"
    imp = add_leaf(group, "import", what, _import, common)
    imp.add_argument("path", type=Path, help="a file written by `shortcuts export`")
    imp.add_argument("--as-proposed", action="store_true", help="store them as proposed")
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def _list(args: argparse.Namespace) -> int:
    from mobile_agent.memory import Status

    with open_store(args, create=False) as store:
        found = store.shortcuts.all(status=Status(args.status) if args.status else None)
    if args.json:
        print_json([s.model_dump(mode="json") for s in found])
        return 0
    rows = [
        (s.name, s.status, s.version, len(s.steps), f"{s.successes}/{s.uses}", s.description)
        for s in found
    ]
    columns = ("name", "status", "version", "steps", "ok/used", "description")
    print_table(columns, rows, "No shortcuts stored.")
    return 0


def _show(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        shortcut = store.shortcuts.get(args.name)
        versions = store.shortcuts.versions(args.name)
    if args.json:
        history = [v.model_dump(mode="json") for v in versions]
        print_json({**shortcut.model_dump(mode="json"), "versions": history})
        return 0
    print_fields(_summary(shortcut))
    print("\nsteps:")
    for number, step in enumerate(shortcut.steps, start=1):
        print(f"  {number}. {step.action} {json.dumps(step.args, ensure_ascii=False)}")
    print("\nversions:")
    for v in versions:
        print(f"  v{v.version}  {v.created_at}  {v.note or ''}".rstrip())
    return 0


def _summary(s: StoredShortcut) -> dict[str, Any]:
    params = ", ".join(f"{p.name}: {p.type}" for p in s.params)
    learned = f"run {s.source_run}, step {s.source_step}" if s.source_run else ""
    return {
        "name": s.name,
        "description": s.description,
        "arguments": params,
        "precondition": s.precondition,
        "guard": s.guard.describe() if s.guard else "",
        "status": s.status,
        "version": s.version,
        "used": f"{s.uses} times: {s.successes} worked, {s.failures} failed",
        "learned from": learned,
        "created": s.created_at,
        "updated": s.updated_at,
    }


def _edit(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        current = store.shortcuts.get(args.name)
        spec = _changed(current.spec(), args)
        stored = store.shortcuts.update(spec, note=args.note)
    if stored.version == current.version:
        print(f"{args.name}: nothing changed (still version {stored.version})")
    else:
        print(f"{args.name}: stored as version {stored.version}")
    return 0


def _changed(spec: ShortcutSpec, args: argparse.Namespace) -> ShortcutSpec:
    """`spec` with the changes the options ask for (or made in an editor)."""
    from mobile_agent.cli.args import UsageError

    data = spec.model_dump(mode="json")
    if args.file is not None:
        from mobile_agent.memory.transfer import read_object

        data = {"name": spec.name, **read_object(args.file)}
    for key in ("description", "precondition"):
        if getattr(args, key) is not None:
            data[key] = getattr(args, key)
    if args.guard is not None:
        data["guard"] = _json_arg(args.guard, "--guard")
    if args.no_guard:
        data["guard"] = None
    if data == spec.model_dump(mode="json") and args.file is None:
        if not (sys.stdin.isatty() and os.environ.get("EDITOR")):
            raise UsageError(
                "say what to change: --description, --precondition, --guard, --no-guard or "
                "--file SPEC.json (or set EDITOR to edit it in an editor)"
            )
        data = _in_editor(data)
    if data.get("name", spec.name) != spec.name:
        raise UsageError("the name of a shortcut cannot change; export it and import a copy")
    return _valid_spec(data)


def _json_arg(text: str, option: str) -> Any:
    from mobile_agent.cli.args import UsageError

    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{option} takes JSON: {exc}") from None


def _valid_spec(data: dict[str, Any]) -> ShortcutSpec:
    from pydantic import ValidationError

    from mobile_agent.errors import StoreError, describe_validation_error
    from mobile_agent.memory import ShortcutSpec

    try:
        return ShortcutSpec.model_validate(data)
    except ValidationError as exc:
        raise StoreError(
            f"invalid shortcut: {describe_validation_error(exc, 'shortcut')}"
        ) from None


def _in_editor(data: dict[str, Any]) -> dict[str, Any]:
    """The shortcut as edited by the user in $EDITOR."""
    import shlex

    from mobile_agent.memory.transfer import read_object

    fd, name = tempfile.mkstemp(prefix="shortcut-", suffix=".json")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        command = [*shlex.split(os.environ["EDITOR"]), str(path)]
        if subprocess.run(command, check=False).returncode != 0:
            from mobile_agent.cli.args import UsageError

            raise UsageError("the editor failed; nothing was changed")
        return read_object(path)
    finally:
        path.unlink(missing_ok=True)


def _status_handler(command: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from mobile_agent.memory import Status

        with open_store(args) as store, store.write():
            for name in args.names:
                if command == "delete":
                    store.shortcuts.delete(name)
                else:
                    store.shortcuts.set_status(name, Status(DONE[command]))
        print(f"{DONE[command]}: {', '.join(args.names)}")
        return 0

    return handler


def _export(args: argparse.Namespace) -> int:
    from mobile_agent.memory import export_shortcuts

    with open_store(args, create=False) as store:
        items = export_shortcuts(store, args.names)
    write_items(items, args.path, "shortcuts")
    return 0


def _import(args: argparse.Namespace) -> int:
    from mobile_agent.memory import Status, import_shortcuts
    from mobile_agent.memory.transfer import read_items

    items = read_items(args.path)
    status = Status.PROPOSED if args.as_proposed else None
    with open_store(args) as store:
        report = import_shortcuts(store, items, source=str(args.path), status=status)
    print(
        f"{len(report.added)} shortcuts added, {len(report.updated)} given a new version, "
        f"{len(report.unchanged)} already stored"
    )
    return 0
