"""`mobile-agent shortcuts`: review, edit, share and replay learned shortcuts.

Every change to a shortcut's content is stored as a new version; `show` lists them.
`run` replays one without a model, as a regression check, on one device or all of them
(`mobile_agent.runner.replay`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobile_agent.cli.args import add_adb_option, shorten
from mobile_agent.cli.safety import add_safety_options
from mobile_agent.cli.tips import (
    DONE,
    STATUSES,
    add_leaf,
    common_options,
    open_store,
    print_fields,
    print_held,
    print_json,
    print_table,
    warn_suspect,
    write_items,
)

if TYPE_CHECKING:
    import threading

    from mobile_agent.memory import ShortcutSpec, Store, StoredShortcut
    from mobile_agent.runner.replay import ReplayResult
    from mobile_agent.safety import SafetyGate


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
    _register_run(group, common)
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def _register_run(group: Any, common: argparse.ArgumentParser) -> None:
    what = "replay a shortcut without a model, checking each step's effect"
    run = add_leaf(group, "run", what, _run, common)
    run.add_argument("name")
    run.add_argument(
        "--arg",
        action="append",
        default=[],
        type=_arg_pair,
        metavar="NAME=VALUE",
        help="an argument of the shortcut (repeat for each)",
    )
    run.add_argument(
        "--device",
        help="device serial, or 'all' for every attached device in parallel "
        "(default: the only attached one)",
    )
    run.add_argument("--json", action="store_true", help="print JSON, one object per device")
    add_adb_option(run)
    add_safety_options(run)


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
                    continue
                if command == "approve" and store.shortcuts.get(name).status is Status.SUSPECT:
                    warn_suspect(f"shortcut {name}", store.shortcuts.held_reason(name))
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
    print_held(report.held)
    return 0


# -- run: replay on devices --------------------------------------------------------------------
def _arg_pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE, e.g. title=Groceries")
    return name.strip(), value


def _run(args: argparse.Namespace) -> int:
    from mobile_agent.cli.args import UsageError
    from mobile_agent.runner.replay import ReplayArgumentError, shortcut_values

    given: dict[str, str] = {}
    for name, value in args.arg:
        if name in given:
            raise UsageError(f"--arg {name} is given twice")
        given[name] = value
    with open_store(args, create=False) as store:
        stored = store.shortcuts.get(args.name)
        try:
            values = shortcut_values(stored.params, given)
        except ReplayArgumentError as exc:
            raise UsageError(f"shortcut {stored.name}: {exc}") from None
        gates = _Gates(args)
        results = _replay_everywhere(store, stored.name, values, _serials(args.device), gates)
    if args.json:
        print_json([r.to_dict() for r in results])
    else:
        _print_results(results)
    for line in gates.held():
        print(line, file=sys.stderr)
    return 0 if all(r.ok for r in results) else 1


class _Gates:
    """One safety gate per device replay, all from the same options and settings."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.made: list[SafetyGate] = []

    def __call__(self) -> SafetyGate:
        from mobile_agent.cli.safety import make_gate
        from mobile_agent.config import load_settings

        gate = make_gate(self.args, load_settings(), sys.stderr)
        self.made.append(gate)
        return gate

    def held(self) -> list[str]:
        from mobile_agent.cli.safety import held_lines

        return [line for gate in self.made for line in held_lines(gate)]


def _serials(choice: str | None) -> list[str]:
    """The serials to replay on: every attached device for 'all', else the one chosen."""
    from mobile_agent.config import load_settings
    from mobile_agent.device import list_devices, resolve_serial
    from mobile_agent.errors import DeviceNotFound

    if choice != "all":
        return [resolve_serial(choice or load_settings().device or None)]
    serials = [d.serial for d in list_devices() if d.state == "device"]
    if not serials:
        raise DeviceNotFound("No device is attached and ready: nothing to replay on.")
    return serials


def _replay_everywhere(
    store: Store,
    name: str,
    values: dict[str, Any],
    serials: Sequence[str],
    gates: Callable[[], SafetyGate],
) -> list[ReplayResult]:
    """Replay on each device, one thread per device; results in the order of `serials`.
    Ctrl-C stops every replay before its next step."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    cancel = threading.Event()
    with ThreadPoolExecutor(len(serials), thread_name_prefix="replay") as pool:
        futures = [
            pool.submit(_replay_on, store, name, values, s, cancel, gates()) for s in serials
        ]
        try:
            return [f.result() for f in futures]
        except KeyboardInterrupt:
            cancel.set()
            raise


def _replay_on(
    store: Store,
    name: str,
    values: dict[str, Any],
    serial: str,
    cancel: threading.Event,
    gate: SafetyGate,
) -> ReplayResult:
    """One device's replay; a device that cannot be used gives a failed result."""
    from contextlib import ExitStack

    from mobile_agent.cli.run import lock_device
    from mobile_agent.config import home_dir
    from mobile_agent.device import connect
    from mobile_agent.errors import DeviceError
    from mobile_agent.events import FinalState
    from mobile_agent.runner.replay import ReplayResult, replay_stored

    try:
        with ExitStack() as stack:
            lock_device(stack, serial, sys.stderr)
            device = connect(serial)
            stack.callback(device.close)
            return replay_stored(store, name, values, device, home_dir(), cancel=cancel, gate=gate)
    except DeviceError as exc:
        reason = f"could not use the device: {exc}"
        return ReplayResult(name, serial, FinalState.DEVICE_LOST, reason)


def _print_results(results: Sequence[ReplayResult]) -> None:
    """One table row per device; then, for each device that failed, the whole report."""
    rows = [
        (
            r.device,
            "x".join(map(str, r.screen_size)) if r.screen_size[0] else "-",
            r.verdict,
            f"{sum(s.ok for s in r.steps)}/{r.total_steps}",
            f"{r.elapsed_s:.1f} s",
            r.run_id or "-",
            shorten(r.reason, 50) if r.reason else "",
        )
        for r in results
    ]
    columns = ("device", "screen", "result", "steps", "time", "run", "why")
    print_table(columns, rows, "No devices.")
    for r in results:
        if not r.ok:
            print(f"\n{r.device}: {r.reason}")
