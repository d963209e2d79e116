"""Shortcuts in the store: validated on the way in, versioned, counted, demoted.

A changed shortcut is a new version, never an overwrite: the `shortcuts` row holds the
current version (and the counts), `shortcut_versions` every version ever stored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mobile_agent.errors import StoreError
from mobile_agent.memory.models import (
    ShortcutSpec,
    ShortcutVersion,
    Status,
    StoredShortcut,
    now_iso,
)
from mobile_agent.memory.suspects import SHORTCUT, held_reason, hold
from mobile_agent.memory.validation import shortcut_problems

if TYPE_CHECKING:
    from mobile_agent.memory.store import Store

_JSON = ("params", "guard", "steps")
_DEMOTED = {Status.APPROVED: Status.PROPOSED, Status.PROPOSED: Status.DISABLED}


class Shortcuts:
    """The shortcuts of a store (`store.shortcuts`)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- checks ---------------------------------------------------------------------------
    def problems(self, spec: ShortcutSpec, *, allow_coordinates: bool = False) -> list[str]:
        """Why `spec` cannot be stored (empty when it can): registry checks, and no other
        shortcut may have the same steps."""
        problems = shortcut_problems(spec, allow_coordinates=allow_coordinates)
        twin = self.duplicate_of(spec)
        if twin is not None:
            problems.append(f"it has the same steps as the shortcut {twin!r}")
        return problems

    def duplicate_of(self, spec: ShortcutSpec) -> str | None:
        """The name of another stored shortcut with exactly the same steps, if any."""
        rows = self._store.query(
            "SELECT name FROM shortcuts WHERE steps = ? AND name != ?",
            [spec.steps_key(), spec.name],
        )
        return str(rows[0]["name"]) if rows else None

    def _check(self, spec: ShortcutSpec, allow_coordinates: bool) -> None:
        problems = self.problems(spec, allow_coordinates=allow_coordinates)
        if problems:
            raise StoreError(f"shortcut {spec.name!r}: " + "; ".join(problems))

    # -- writing --------------------------------------------------------------------------
    def add(
        self,
        spec: ShortcutSpec,
        *,
        status: Status = Status.PROPOSED,
        source_run: str | None = None,
        source_step: int | None = None,
        allow_coordinates: bool = False,
        suspect_reason: str = "",
    ) -> StoredShortcut:
        """Store a new shortcut (version 1). `StoreError` when it is invalid, a duplicate,
        or its name is taken. With a `suspect_reason` it is held as suspect."""
        stored = StoredShortcut.model_validate(
            {
                **spec.model_dump(),
                "status": status,
                "source_run": source_run,
                "source_step": source_step,
            }
        )
        return self.put(
            stored, (), allow_coordinates=allow_coordinates, suspect_reason=suspect_reason
        )

    def put(
        self,
        stored: StoredShortcut,
        history: Sequence[ShortcutVersion] = (),
        *,
        allow_coordinates: bool = False,
        suspect_reason: str = "",
    ) -> StoredShortcut:
        """Store a complete shortcut record with its earlier versions (an import); without
        `history`, its current content is its only version. With a `suspect_reason` it is
        held as suspect, whatever its status."""
        self._check(stored.spec(), allow_coordinates)
        if suspect_reason:
            stored = stored.model_copy(update={"status": Status.SUSPECT})
        with self._store.write() as db:
            if self._row(stored.name) is not None:
                raise StoreError(
                    f"a shortcut named {stored.name!r} already exists; "
                    f"change it with `mobile-agent shortcuts edit {stored.name}`"
                )
            row = _row(stored)
            shortcut_id = db.table("shortcuts").insert(row).last_pk
            versions = list(history) or [_version_of(stored)]
            for version in versions:
                db.table("shortcut_versions").insert(_version_row(version, shortcut_id))
            if suspect_reason:
                hold(self._store, SHORTCUT, int(shortcut_id), suspect_reason)  # type: ignore[arg-type]
        return self.get(stored.name)

    def update(
        self,
        spec: ShortcutSpec,
        *,
        note: str = "",
        status: Status | None = None,
        source_run: str | None = None,
        source_step: int | None = None,
        allow_coordinates: bool = False,
        suspect_reason: str = "",
    ) -> StoredShortcut:
        """Store `spec` as the next version of the shortcut of the same name (nothing changes
        when its content is the same). `status` None keeps the current status; with a
        `suspect_reason` the shortcut is held as suspect."""
        status = Status.SUSPECT if suspect_reason else status
        with self._store.write() as db:
            current = self.get(spec.name)
            if current.same_content(spec) and status in (None, current.status):
                return current
            self._check(spec, allow_coordinates)
            version = ShortcutVersion.model_validate(
                {
                    **spec.content(),
                    "version": current.version + 1,
                    "note": note,
                    "source_run": source_run,
                    "source_step": source_step,
                }
            )
            shortcut_id = self._row(spec.name)["id"]  # type: ignore[index]
            db.table("shortcut_versions").insert(_version_row(version, shortcut_id))
            head = {**_content_row(spec), "version": version.version, "failure_streak": 0}
            head["status"] = str(status or current.status)
            head["updated_at"] = version.created_at
            db.table("shortcuts").update(shortcut_id, head)
            if suspect_reason:
                hold(self._store, SHORTCUT, shortcut_id, suspect_reason)
        return self.get(spec.name)

    def set_status(self, name: str, status: Status) -> StoredShortcut:
        """Approve, disable or re-propose a shortcut (approving also clears its failure
        streak)."""
        with self._store.write() as db:
            row = self._existing(name)
            changes: dict[str, Any] = {"status": str(status), "updated_at": now_iso()}
            if status is Status.APPROVED:
                changes["failure_streak"] = 0
            db.table("shortcuts").update(row["id"], changes)
        return self.get(name)

    def delete(self, name: str) -> None:
        """Remove a shortcut and all its versions."""
        with self._store.write() as db:
            row = self._existing(name)
            db.table("shortcuts").delete(row["id"])

    def record_result(self, name: str, ok: bool) -> StoredShortcut | None:
        """Count one use of the shortcut `name` and whether it worked; after
        `demote_after` failures in a row it is demoted one level (approved → proposed →
        disabled). None when no stored shortcut has this name."""
        limit = self._store.settings.demote_after
        with self._store.write() as db:
            row = self._row(name)
            if row is None:
                return None
            streak = 0 if ok else row["failure_streak"] + 1
            changes: dict[str, Any] = {
                "uses": row["uses"] + 1,
                "successes": row["successes"] + int(ok),
                "failures": row["failures"] + int(not ok),
                "failure_streak": streak,
            }
            status = Status(row["status"])
            if streak >= limit and status in _DEMOTED:
                changes |= {"status": str(_DEMOTED[status]), "failure_streak": 0}
                changes["updated_at"] = now_iso()
            db.table("shortcuts").update(row["id"], changes)
        return self.get(name)

    # -- reading --------------------------------------------------------------------------
    def get(self, name: str) -> StoredShortcut:
        """The shortcut named `name`; `StoreError` when there is none."""
        return shortcut_from_row(self._existing(name))

    def find(self, name: str) -> StoredShortcut | None:
        """The shortcut named `name`, if stored."""
        row = self._row(name)
        return shortcut_from_row(row) if row is not None else None

    def all(self, *, status: Status | None = None) -> list[StoredShortcut]:
        """Shortcuts by name, optionally only those with `status`."""
        where, params = ("WHERE status = ?", [str(status)]) if status else ("", [])
        rows = self._store.query(f"SELECT * FROM shortcuts {where} ORDER BY name", params)
        return [shortcut_from_row(row) for row in rows]

    def held_reason(self, name: str) -> str:
        """Why the shortcut was held as suspect ("" when it never was)."""
        return held_reason(self._store, SHORTCUT, self._existing(name)["id"])

    def versions(self, name: str) -> list[ShortcutVersion]:
        """Every version of the shortcut, oldest first."""
        row = self._existing(name)
        rows = self._store.query(
            "SELECT * FROM shortcut_versions WHERE shortcut_id = ? ORDER BY version", [row["id"]]
        )
        return [_version(r) for r in rows]

    def _row(self, name: str) -> dict[str, Any] | None:
        rows = self._store.query("SELECT * FROM shortcuts WHERE name = ?", [name])
        return rows[0] if rows else None

    def _existing(self, name: str) -> dict[str, Any]:
        row = self._row(name)
        if row is None:
            raise StoreError(f"there is no shortcut named {name!r} (see `shortcuts list`)")
        return row


def _content_row(spec: ShortcutSpec) -> dict[str, Any]:
    content = spec.content()
    return {
        "description": content["description"],
        "params": _dumps(content["params"]),
        "precondition": content["precondition"],
        "guard": _dumps(content["guard"]) if content["guard"] is not None else None,
        "steps": spec.steps_key(),
    }


def _row(stored: StoredShortcut) -> dict[str, Any]:
    columns = set(StoredShortcut.model_fields) - set(_JSON) - {"description", "precondition"}
    row = stored.model_dump(mode="json", include=columns)
    return {**row, **_content_row(stored)}


def _version_of(stored: StoredShortcut) -> ShortcutVersion:
    return ShortcutVersion.model_validate(
        {
            **stored.content(),
            "version": stored.version,
            "source_run": stored.source_run,
            "source_step": stored.source_step,
            "created_at": stored.created_at,
        }
    )


def _version_row(version: ShortcutVersion, shortcut_id: Any) -> dict[str, Any]:
    spec = version.spec("x")
    row = version.model_dump(mode="json", exclude=set(_JSON) | {"description", "precondition"})
    return {**row, **_content_row(spec), "shortcut_id": shortcut_id}


def shortcut_from_row(row: dict[str, Any]) -> StoredShortcut:
    """A stored shortcut from its `shortcuts` row."""
    return StoredShortcut.model_validate(_decoded(row, drop=("id",)))


def _version(row: dict[str, Any]) -> ShortcutVersion:
    return ShortcutVersion.model_validate(_decoded(row, drop=("id", "shortcut_id")))


def _decoded(row: dict[str, Any], drop: tuple[str, ...]) -> dict[str, Any]:
    data = {k: v for k, v in row.items() if k not in drop}
    for name in _JSON:
        if isinstance(data.get(name), str):
            data[name] = json.loads(data[name])
    return data


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
