"""Guards: machine-checkable preconditions of a shortcut.

A guard names what must hold on the screen before a shortcut may run; every condition given
must hold::

    {"app": "com.example.notes"}                         the app in front (its package)
    {"element": {"label": "New note"}}                   an element with this text or description
    {"element": {"resource_id": "title"}}                an element with this resource id
    {"keyboard": true}                                   the keyboard is shown (false: hidden)

`check_guard(guard, observation)` is a pure function: None when the guard holds, else the
reason it does not.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mobile_agent.perception.elements import UIElement
from mobile_agent.perception.observation import Observation


class ElementSelector(BaseModel):
    """An element picked by what it says, never by its number or position."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str | None = Field(None, min_length=1, max_length=200)
    text: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1, max_length=200)
    resource_id: str | None = Field(None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _something(self) -> ElementSelector:
        if not any((self.label, self.text, self.description, self.resource_id)):
            raise ValueError("give label, text, description or resource_id")
        return self

    def matches(self, el: UIElement) -> bool:
        """True when `el` fits every part of the selector."""
        label = self.label
        if label is not None and el.named(label) is None:
            return False
        if self.text is not None and _norm(self.text) != _norm(el.text):
            return False
        if self.description is not None and _norm(self.description) != _norm(el.description):
            return False
        rid = self.resource_id
        return rid is None or rid in (el.resource_id, el.resource_id.rsplit("/", 1)[-1])

    def describe(self) -> str:
        """The selector in words, e.g. `label 'New note'`."""
        parts = self.model_dump(exclude_none=True)
        return ", ".join(f"{key.replace('_', ' ')} {value!r}" for key, value in parts.items())


class Guard(BaseModel):
    """Conditions on the screen that must all hold before a shortcut runs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    app: str | None = Field(None, min_length=1, max_length=200, description="package in front")
    element: ElementSelector | None = None
    keyboard: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> Guard:
        if self.app is None and self.element is None and self.keyboard is None:
            raise ValueError("a guard needs app, element or keyboard")
        return self

    def describe(self) -> str:
        """The guard in words."""
        parts = []
        if self.app is not None:
            parts.append(f"{self.app} is in front")
        if self.element is not None:
            parts.append(f"an element with {self.element.describe()} is on screen")
        if self.keyboard is not None:
            parts.append("the keyboard is shown" if self.keyboard else "the keyboard is hidden")
        return "; ".join(parts)


def check_guard(guard: Guard | None, observation: Observation) -> str | None:
    """None when `guard` holds on `observation` (or there is no guard), else why not."""
    if guard is None:
        return None
    if guard.app is not None and observation.package != guard.app:
        return f"{guard.app} is not in front (the screen shows {observation.package or '?'})"
    if guard.element is not None and not any(
        guard.element.matches(el) for el in observation.elements
    ):
        return f"no element with {guard.element.describe()} is on screen"
    if guard.keyboard is not None and observation.keyboard_shown != guard.keyboard:
        return "the keyboard is not shown" if guard.keyboard else "the keyboard is shown"
    return None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()
