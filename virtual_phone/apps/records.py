"""`IdRecords`: records with integer ids in an app's JSON state (contacts, notes)."""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]


class IdRecords:
    """The list `state[key]` of records, each with a unique "id", numbered from
    `state["next_id"]`. A view on the state dict it is given: apps make a new one per use,
    since they replace their state when data is loaded or cleared."""

    def __init__(self, state: dict[str, Any], key: str) -> None:
        self._state = state
        self._key = key

    def all(self) -> list[Record]:
        """Every record, in insertion order."""
        return list(self._state[self._key])

    def find(self, record_id: int | None) -> Record | None:
        """The record with this id."""
        return next((r for r in self._state[self._key] if r["id"] == record_id), None)

    def save(self, record_id: int | None, **fields: Any) -> int:
        """Update the record with this id, or add one under a new id; returns its id."""
        record = self.find(record_id)
        if record is None:
            record = {"id": int(self._state["next_id"])}
            self._state["next_id"] = record["id"] + 1
            self._state[self._key].append(record)
        record.update(fields)
        return int(record["id"])

    def delete(self, record_id: int | None) -> None:
        """Remove the record with this id (if any)."""
        self._state[self._key] = [r for r in self._state[self._key] if r["id"] != record_id]
