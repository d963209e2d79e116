"""The focused text field of a hierarchy dump, as far as typing into it cares."""

from __future__ import annotations

from dataclasses import dataclass

from mobile_agent.errors import ParseError
from mobile_agent.perception.hierarchy import is_editable
from mobile_agent.perception.xmltree import load_hierarchy


@dataclass(frozen=True, slots=True)
class FocusedField:
    """The focused node of a hierarchy dump, as far as text input cares."""

    text: str
    hint: str
    class_name: str
    password: bool

    @property
    def current_text(self) -> str:
        """The text the user typed (an empty field reports its hint as its text)."""
        if self.hint and self.text == self.hint:
            return ""
        return self.text


def focused_field(xml: str) -> FocusedField | None:
    """The focused text field of a hierarchy dump; None when none has focus or the dump is
    unreadable.

    Several windows may each report a focused node (status bar, keyboard keys): only a
    focused text field counts (the last one in document order).
    """
    try:
        nodes = load_hierarchy(xml).nodes()
    except ParseError:
        return None
    fields = [node for node in nodes if node.flag("focused") and is_editable(node)]
    if not fields:
        return None
    found = fields[-1]
    return FocusedField(
        text=found.get("text"),
        hint=found.get("hint"),
        class_name=found.class_name,
        password=found.flag("password"),
    )
