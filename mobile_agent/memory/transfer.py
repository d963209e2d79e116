"""Export and import of tips and shortcuts as JSON files, for sharing and review.

A file is a JSON array of items, exactly as `tips export` / `shortcuts export` write them.
An import is all or nothing: every item is checked first (the schema, then for shortcuts the
registry and duplicate checks), and one bad item rejects the whole file with a message that
names each bad item and why, leaving the store as it was. Items already stored with the same
content are left alone; a shortcut stored under the same name with other content gets the
imported content as a new version. An item whose text carries an injection (or that the
file marks suspect) is stored as `suspect`, whatever the file or `--as-proposed` says.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import Field, ValidationError, model_validator

from mobile_agent.errors import StoreError, describe_validation_error
from mobile_agent.memory.models import ShortcutVersion, Status, StoredShortcut, Tip
from mobile_agent.memory.suspects import shortcut_reason, tip_reason
from mobile_agent.memory.validation import unknown_actions

if TYPE_CHECKING:
    from mobile_agent.memory.store import Store

MAX_REPORTED = 10  # problems listed in one error message
_Item = TypeVar("_Item", bound=Tip | StoredShortcut)


class ShortcutRecord(StoredShortcut):
    """A shortcut in an export file: the stored shortcut with its version history."""

    versions: tuple[ShortcutVersion, ...] = Field(default=())

    @model_validator(mode="after")
    def _history(self) -> ShortcutRecord:
        numbers = [v.version for v in self.versions]
        if numbers and (numbers != sorted(set(numbers)) or numbers[-1] != self.version):
            raise ValueError("versions must be in order, each once, the last one `version`")
        if self.versions and not self.versions[-1].spec(self.name).same_content(self):
            raise ValueError("the last of `versions` differs from the shortcut itself")
        return self


@dataclass
class ImportReport:
    """What an import did, item by item."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # shortcuts given a new version
    unchanged: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # those stored (or updated) as suspect


# -- export -----------------------------------------------------------------------------------
def export_tips(store: Store) -> list[dict[str, Any]]:
    """Every tip as an export item."""
    return [tip.model_dump(mode="json") for tip in store.tips.all()]


def export_shortcuts(store: Store, names: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Every shortcut (or those named) as an export item, with its versions."""
    chosen = [store.shortcuts.get(n) for n in names] if names else store.shortcuts.all()
    items = []
    for shortcut in chosen:
        versions = [v.model_dump(mode="json") for v in store.shortcuts.versions(shortcut.name)]
        items.append({**shortcut.model_dump(mode="json"), "versions": versions})
    return items


def write_json(items: list[dict[str, Any]], path: Path) -> None:
    """Write `items` to `path` as indented JSON (temporary file, then rename)."""
    write_text(json.dumps(items, indent=2, ensure_ascii=False) + "\n", path)


def write_text(text: str, path: Path) -> None:
    """Write `text` to `path` through a temporary file renamed over it."""
    target = path.expanduser()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None


# -- import -----------------------------------------------------------------------------------
def read_items(path: Path) -> list[Any]:
    """The JSON array in the file at `path`; `StoreError` saying what is wrong with it."""
    data = _read_json(path)
    if not isinstance(data, list):
        raise StoreError(f"{path} must hold a JSON array of items, not {type(data).__name__}")
    return data


def read_object(path: Path) -> dict[str, Any]:
    """The JSON object in the file at `path`; `StoreError` saying what is wrong with it."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise StoreError(f"{path} must hold a JSON object, not {type(data).__name__}")
    return data


def _read_json(path: Path) -> Any:
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise StoreError(f"cannot read {path}: {reason or exc}") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise StoreError(f"{path} is not valid JSON: it is nested too deeply") from None
    except ValueError as exc:
        raise StoreError(f"{path} is not valid JSON: {exc}; nothing was changed") from None


def import_tips(
    store: Store, items: list[Any], *, source: str = "the file", status: Status | None = None
) -> ImportReport:
    """Import tips (the items of a file read by `read_items`), all or nothing; `status`
    overrides theirs (but suspect ones stay suspect); `source` names the file in messages."""
    tips, problems = [], []
    for number, item in enumerate(items, start=1):
        try:
            tip = Tip.model_validate(item)
        except ValidationError as exc:
            problems.append(f"item {number}: {describe_validation_error(exc, 'item')}")
            continue
        tips.append(_with_status(tip, status))
    _refuse(source, problems)
    report = ImportReport()
    with store.write():
        for tip in tips:
            known = store.tips.find(tip.text, tip.app) is not None
            held = _held(source, tip.status, tip_reason(tip.text))
            stored = store.tips.put(tip, suspect_reason=held)
            (report.unchanged if known else report.added).append(f"tip {stored.id}")
            if held and not known:
                report.held.append(f"tip {stored.id}")
    return report


def import_shortcuts(
    store: Store, items: list[Any], *, source: str = "the file", status: Status | None = None
) -> ImportReport:
    """Import shortcuts (the items of a file read by `read_items`), all or nothing; `status`
    overrides theirs (but suspect ones stay suspect); `source` names the file in messages."""
    records, problems = _shortcut_records(store, items, status)
    _refuse(source, problems)
    report = ImportReport()
    with store.write():
        for record in records:
            current = store.shortcuts.find(record.name)
            held = _held(source, record.status, _record_reason(record))
            if current is not None and current.same_content(record):
                report.unchanged.append(record.name)
                continue
            if current is None:
                store.shortcuts.put(record, record.versions, suspect_reason=held)
                report.added.append(record.name)
            else:
                note = f"imported from {source}"
                store.shortcuts.update(record.spec(), note=note, suspect_reason=held)
                report.updated.append(record.name)
            if held:
                report.held.append(record.name)
    return report


def _with_status(item: _Item, status: Status | None) -> _Item:
    """`item` with the status an import gives it: `status`, unless it is suspect."""
    if status is None or item.status is Status.SUSPECT:
        return item
    return item.model_copy(update={"status": status})  # type: ignore[return-value]


def _held(source: str, status: Status, reason: str) -> str:
    """Why an imported item is held as suspect ("" when it is not)."""
    if reason:
        return f"imported from {source}, where {reason}"
    if status is Status.SUSPECT:
        return f"imported from {source}, which marks it suspect"
    return ""


def _record_reason(record: ShortcutRecord) -> str:
    """Why a shortcut of a file is suspect: its current content or any of its versions."""
    versions = (version.spec(record.name) for version in record.versions)
    return next((r for spec in (record.spec(), *versions) if (r := shortcut_reason(spec))), "")


def _shortcut_records(
    store: Store, items: list[Any], status: Status | None
) -> tuple[list[ShortcutRecord], list[str]]:
    records: list[ShortcutRecord] = []
    problems: list[str] = []
    names: set[str] = set()
    steps: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        name = item.get("name") if isinstance(item, dict) else None
        where = f"item {number} ({name})" if isinstance(name, str) and name else f"item {number}"
        try:
            record = ShortcutRecord.model_validate(item)
        except ValidationError as exc:
            problems.append(f"{where}: {describe_validation_error(exc, 'item')}")
            problems.extend(f"{where}: {p}" for p in unknown_actions(item))
            continue
        found = store.shortcuts.problems(record.spec())
        if record.name in names:
            found.append("the file holds this name twice")
        twin = steps.setdefault(record.steps_key(), record.name)
        if twin != record.name:
            found.append(f"it has the same steps as {twin!r} in the same file")
        names.add(record.name)
        problems.extend(f"{where}: {problem}" for problem in found)
        records.append(_with_status(record, status))
    return records, problems


def _refuse(source: str, problems: list[str]) -> None:
    if not problems:
        return
    shown = problems[:MAX_REPORTED]
    more = len(problems) - len(shown)
    listing = "\n  ".join(shown) + (f"\n  … and {more} more" if more else "")
    raise StoreError(f"{source} was not imported (nothing changed):\n  {listing}")
