"""Runs and their steps in the store: written by `RunRecorder`, read by `runs` and reports.

A run row is written when the run starts and completed when it ends; each step is written
with its screens and model calls in one transaction, so a step is stored whole or not at all.
Rows come back as dicts, with JSON columns decoded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from mobile_agent.errors import StoreError

if TYPE_CHECKING:
    from mobile_agent.memory.store import Store

_JSON = {
    "runs": ("models", "settings", "plan", "tips", "shortcuts"),
    "steps": ("plan", "action", "timings"),
    "screens": ("elements", "timings"),
    "model_calls": (),
}


class Runs:
    """The runs of a store (`store.runs`)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- writing (the recorder) ----------------------------------------------------------
    def start(self, run: dict[str, Any]) -> None:
        """Store a new run row (`id`, `task`, `started_at` at least)."""
        with self._store.write() as db:
            if self._store.query("SELECT 1 FROM runs WHERE id = ?", [run["id"]]):
                raise StoreError(f"a run with id {run['id']!r} is already stored")
            db.table("runs").insert(_encoded("runs", run))

    def add_step(
        self,
        step: dict[str, Any],
        screens: Sequence[dict[str, Any]] = (),
        calls: Sequence[dict[str, Any]] = (),
        shortcut: tuple[str, bool] | None = None,
    ) -> None:
        """Store one step with its screens and model calls, in one transaction; `shortcut`
        (name, worked) also counts the use of a stored shortcut."""
        with self._store.write() as db:
            db.table("steps").insert(_encoded("steps", step))
            for screen in screens:
                db.table("screens").insert(_encoded("screens", screen))
            for call in calls:
                db.table("model_calls").insert(_encoded("model_calls", call))
            if shortcut is not None:
                self._store.shortcuts.record_result(*shortcut)

    def finish(
        self,
        run_id: str,
        fields: dict[str, Any],
        tip_ids: Iterable[int] = (),
        succeeded: bool = False,
    ) -> None:
        """Complete the run row; count one use of each tip it was given."""
        with self._store.write() as db:
            db.table("runs").update(run_id, _encoded("runs", fields))
            self._store.tips.record_use(tip_ids, succeeded)

    # -- reading --------------------------------------------------------------------------
    def all(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Runs, newest first."""
        sql = "SELECT * FROM runs ORDER BY started_at DESC, rowid DESC"
        rows = self._store.query(sql + (" LIMIT ?" if limit else ""), [limit] if limit else [])
        return [_decoded("runs", row) for row in rows]

    def get(self, run_id: str) -> dict[str, Any]:
        """The run with this id, or the only one whose id starts with it."""
        rows = self._store.query("SELECT * FROM runs WHERE id = ?", [run_id])
        if not rows and run_id:
            pattern = run_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            rows = self._store.query(
                "SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2", [pattern + "%"]
            )
        if len(rows) != 1:
            how = "no run" if not rows else "more than one run"
            raise StoreError(f"{how} matches {run_id!r} (see `mobile-agent runs list`)")
        return _decoded("runs", rows[0])

    def steps(self, run_id: str) -> list[dict[str, Any]]:
        """The stored steps of a run, in order."""
        rows = self._store.query("SELECT * FROM steps WHERE run_id = ? ORDER BY number", [run_id])
        return [_decoded("steps", row) for row in rows]

    def screens(self, run_id: str) -> list[dict[str, Any]]:
        """The screens of a run's stored steps, in order."""
        rows = self._store.query(
            "SELECT * FROM screens WHERE run_id = ? ORDER BY step, seq", [run_id]
        )
        return [_decoded("screens", row) for row in rows]

    def calls(self, run_id: str) -> list[dict[str, Any]]:
        """The model calls of a run's stored steps, in order."""
        rows = self._store.query(
            "SELECT * FROM model_calls WHERE run_id = ? ORDER BY step, id", [run_id]
        )
        return [_decoded("model_calls", row) for row in rows]


def _encoded(table: str, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for name in _JSON[table]:
        if out.get(name) is not None:
            out[name] = json.dumps(out[name], ensure_ascii=False, separators=(",", ":"))
    return out


def _decoded(table: str, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for name in _JSON[table]:
        if isinstance(out.get(name), str):
            out[name] = json.loads(out[name])
    return out
