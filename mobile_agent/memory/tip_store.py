"""Tips in the store: add, read, edit, review, count their use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from mobile_agent.errors import StoreError, describe_validation_error
from mobile_agent.memory.models import Status, Tip, now_iso
from mobile_agent.memory.suspects import TIP, held_reason, hold

if TYPE_CHECKING:
    from mobile_agent.memory.store import Store


class Tips:
    """The tips of a store (`store.tips`)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self,
        text: str,
        *,
        app: str = "",
        status: Status = Status.PROPOSED,
        source_run: str | None = None,
        source_step: int | None = None,
        suspect_reason: str = "",
    ) -> Tip:
        """Store a new tip; the stored tip when an identical one (same text and app) exists.
        With a `suspect_reason` it is held as suspect, whatever `status` says."""
        tip = _valid(
            text=text.strip(),
            app=app.strip(),
            status=Status.SUSPECT if suspect_reason else status,
            source_run=source_run,
            source_step=source_step,
        )
        with self._store.write() as db:
            same = self.find(tip.text, tip.app)
            if same is not None:
                return same
            row = {**tip.model_dump(mode="json", exclude={"id"}), "norm": _norm(tip.text)}
            tip_id = int(db.table("tips").insert(row).last_pk)  # type: ignore[arg-type]
            if suspect_reason:
                hold(self._store, TIP, tip_id, suspect_reason)
        return self.get(tip_id)

    def put(self, tip: Tip, *, suspect_reason: str = "") -> Tip:
        """Store a complete tip record (an import): its id is kept when it is free; a tip with
        the same text and app is left as it is. With a `suspect_reason` it is held as
        suspect, whatever its status."""
        with self._store.write() as db:
            same = self.find(tip.text, tip.app)
            if same is not None:
                return same
            if suspect_reason:
                tip = tip.model_copy(update={"status": Status.SUSPECT})
            row = {**tip.model_dump(mode="json"), "norm": _norm(tip.text)}
            if tip.id is None or self._row(tip.id) is not None:
                row.pop("id")
            tip_id = int(db.table("tips").insert(row).last_pk)  # type: ignore[arg-type]
            if suspect_reason:
                hold(self._store, TIP, tip_id, suspect_reason)
        return self.get(tip_id)

    def held_reason(self, tip_id: int) -> str:
        """Why the tip was held as suspect ("" when it never was)."""
        return held_reason(self._store, TIP, tip_id)

    def find(self, text: str, app: str = "") -> Tip | None:
        """The tip with this text (spaces and case ignored) and app scope, if stored."""
        rows = self._store.query(
            "SELECT * FROM tips WHERE app = ? AND norm = ? LIMIT 1", [app, _norm(text)]
        )
        return tip_from_row(rows[0]) if rows else None

    def get(self, tip_id: int) -> Tip:
        """The tip with this id; `StoreError` when there is none."""
        row = self._row(tip_id)
        if row is None:
            raise StoreError(f"there is no tip {tip_id} (see `mobile-agent tips list`)")
        return tip_from_row(row)

    def all(self, *, status: Status | None = None, app: str | None = None) -> list[Tip]:
        """Tips, oldest first, optionally only those with `status` or scoped to `app`."""
        where, params = _filters(status, app)
        rows = self._store.query(f"SELECT * FROM tips {where} ORDER BY id", params)
        return [tip_from_row(row) for row in rows]

    def edit(self, tip_id: int, *, text: str | None = None, app: str | None = None) -> Tip:
        """Change a tip's text or app scope (its status and counts stay)."""
        with self._store.write() as db:
            tip = self.get(tip_id)
            changes = {k: v.strip() for k, v in (("text", text), ("app", app)) if v is not None}
            _valid(**{**tip.model_dump(), **changes})
            if changes:
                if "text" in changes:
                    changes["norm"] = _norm(changes["text"])
                db.table("tips").update(tip_id, {**changes, "updated_at": now_iso()})
        return self.get(tip_id)

    def set_status(self, tip_id: int, status: Status) -> Tip:
        """Approve, disable or re-propose a tip."""
        with self._store.write() as db:
            self.get(tip_id)
            db.table("tips").update(tip_id, {"status": str(status), "updated_at": now_iso()})
        return self.get(tip_id)

    def delete(self, tip_id: int) -> None:
        """Remove a tip for good."""
        with self._store.write() as db:
            self.get(tip_id)
            db.table("tips").delete(tip_id)

    def record_use(self, tip_ids: Iterable[int], succeeded: bool) -> None:
        """Count one use of each tip, and a success when the run then succeeded."""
        ids = sorted(set(tip_ids))
        if not ids:
            return
        marks = ", ".join("?" * len(ids))
        with self._store.write() as db:
            db.execute(
                f"UPDATE tips SET uses = uses + 1, successes = successes + ? WHERE id IN ({marks})",
                [int(succeeded), *ids],
            )

    def _row(self, tip_id: int) -> dict[str, Any] | None:
        rows = self._store.query("SELECT * FROM tips WHERE id = ?", [tip_id])
        return rows[0] if rows else None


def _norm(text: str) -> str:
    """The text as duplicates are found: spaces collapsed, case folded."""
    return " ".join(text.split()).casefold()


def tip_from_row(row: dict[str, Any]) -> Tip:
    """A tip from its `tips` row."""
    return Tip.model_validate({k: v for k, v in row.items() if k != "norm"})


def _valid(**fields: Any) -> Tip:
    try:
        return Tip.model_validate(fields)
    except ValidationError as exc:
        raise StoreError(f"invalid tip: {describe_validation_error(exc, 'tip')}") from None


def _filters(status: Status | None, app: str | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if status is not None:
        clauses.append("status = ?")
        params.append(str(status))
    if app is not None:
        clauses.append("app = ?")
        params.append(app)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
