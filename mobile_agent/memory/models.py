"""What the store holds, as validated models: tips, shortcuts (spec, stored item, version).

A `ShortcutSpec` is what a person or an experience reflector writes: name, description,
typed parameters, the natural-language precondition, a machine-checkable `Guard` and the
steps. A `StoredShortcut` adds what the store keeps: version, status, counts, provenance.
`ShortcutSpec.to_shortcut()` gives the `actions.Shortcut` that the runner and the registry
use.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mobile_agent.memory.guards import Guard

if TYPE_CHECKING:
    from mobile_agent.actions.shortcuts import Shortcut

NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]{0,63}$"
MAX_STEPS = 30
MAX_TIP_CHARS = 2000


class Status(StrEnum):
    """Where an item stands in review."""

    PROPOSED = "proposed"  # learned or imported, waiting for a person
    APPROVED = "approved"  # used for new tasks
    DISABLED = "disabled"  # kept, never used
    # learned from a screen that carried an injection, or saying such things itself (or
    # imported so): never used until a person approves it
    SUSPECT = "suspect"


ParamType = Literal["string", "integer", "number", "boolean"]
SAMPLE_VALUES: dict[str, str] = {
    "string": "sample",
    "integer": "1",
    "number": "1.5",
    "boolean": "true",
}


def now_iso() -> str:
    """The current UTC time as ISO 8601 text (millisecond precision)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParamSpec(_Model):
    """One typed argument of a shortcut, used in its steps as `{name}`."""

    name: str = Field(..., pattern=NAME_PATTERN)
    type: ParamType = "string"
    description: str = Field("", max_length=500)


class StepSpec(_Model):
    """One atomic action of a shortcut."""

    action: str = Field(..., min_length=1, max_length=64)
    args: dict[str, Any] = Field(default_factory=dict)


class ShortcutSpec(_Model):
    """A shortcut as written: what it does, when it applies, and its steps."""

    name: str = Field(..., pattern=NAME_PATTERN)
    description: str = Field(..., min_length=1, max_length=1000)
    params: tuple[ParamSpec, ...] = ()
    precondition: str = Field("", max_length=1000)
    guard: Guard | None = None
    steps: tuple[StepSpec, ...] = Field(..., min_length=1, max_length=MAX_STEPS)

    def content(self) -> dict[str, Any]:
        """Everything a version holds (all but the name), as JSON values."""
        return self.model_dump(mode="json", exclude={"name"}, include=set(_SPEC_FIELDS))

    def same_content(self, other: ShortcutSpec) -> bool:
        """True when `other` would not make a new version of this one."""
        return _canonical(self.content()) == _canonical(other.content())

    def steps_key(self) -> str:
        """The steps as canonical JSON (two shortcuts with the same key are duplicates)."""
        return _canonical([s.model_dump(mode="json") for s in self.steps])

    def to_shortcut(self) -> Shortcut:
        """The `actions.Shortcut` the registry runs."""
        from mobile_agent.actions.shortcuts import Shortcut, ShortcutStep

        precondition = self.precondition or (self.guard.describe() if self.guard else "")
        return Shortcut(
            name=self.name,
            description=self.description,
            steps=tuple(ShortcutStep(s.action, dict(s.args)) for s in self.steps),
            params=tuple(p.name for p in self.params),
            precondition=precondition,
        )

    def spec(self) -> ShortcutSpec:
        """Only the written part (a `StoredShortcut` without its bookkeeping)."""
        return ShortcutSpec.model_validate(self.model_dump(include=set(_SPEC_FIELDS)))


_SPEC_FIELDS = tuple(ShortcutSpec.model_fields)


class StoredShortcut(ShortcutSpec):
    """A shortcut as the store keeps it."""

    version: int = Field(1, ge=1)
    status: Status = Status.PROPOSED
    uses: int = Field(0, ge=0)
    successes: int = Field(0, ge=0)
    failures: int = Field(0, ge=0)
    failure_streak: int = Field(0, ge=0)
    source_run: str | None = None
    source_step: int | None = None
    created_at: str = Field(default_factory=now_iso)
    updated_at: str = Field(default_factory=now_iso)


class ShortcutVersion(_Model):
    """One version of a shortcut, as it was written then."""

    version: int = Field(..., ge=1)
    description: str = Field(..., min_length=1, max_length=1000)
    params: tuple[ParamSpec, ...] = ()
    precondition: str = Field("", max_length=1000)
    guard: Guard | None = None
    steps: tuple[StepSpec, ...] = Field(..., min_length=1, max_length=MAX_STEPS)
    note: str = Field("", max_length=500)
    source_run: str | None = None
    source_step: int | None = None
    created_at: str = Field(default_factory=now_iso)

    def spec(self, name: str) -> ShortcutSpec:
        """This version as a spec named `name`."""
        return ShortcutSpec.model_validate(
            {"name": name, **self.model_dump(include=set(_SPEC_FIELDS))}
        )


class Tip(_Model):
    """A general lesson, optionally scoped to one app."""

    id: int | None = None
    text: str = Field(..., min_length=1, max_length=MAX_TIP_CHARS)
    app: str = Field("", max_length=200)
    status: Status = Status.PROPOSED
    source_run: str | None = None
    source_step: int | None = None
    uses: int = Field(0, ge=0)
    successes: int = Field(0, ge=0)
    created_at: str = Field(default_factory=now_iso)
    updated_at: str = Field(default_factory=now_iso)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
