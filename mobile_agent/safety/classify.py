"""Which actions are consequential, decided from the action and the screen alone.

`concern(call, ctx, scope)` names what a call would do that the user must confirm — send,
pay, delete, call, install, grant a permission, type into a password field, or act outside
the task's apps — from the target element's text, description and resource id, the dialog
it sits in, its package and the field it types into. What the model says about the call
(its thought, its description, any "the user confirmed") is never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mobile_agent.perception.elements import FOLD_SEPARATOR, UIElement

# The kinds of consequential action, each with what it means (shown to the user).
KINDS: dict[str, str] = {
    "send": "send, post or share something",
    "pay": "buy, pay or place an order",
    "delete": "delete, remove, cancel an order, uninstall or reset",
    "call": "place a phone call",
    "install": "install an app",
    "permission": "grant a permission",
    "password": "type into a password field",
    "scope": "act in an app outside the task",
}

_WORDS: dict[str, tuple[str, ...]] = {
    "send": ("send", "post", "publish", "share", "tweet", "submit", "forward", "broadcast"),
    "pay": (
        "buy",
        "pay",
        "pay now",
        "purchase",
        "place order",
        "order now",
        "confirm order",
        "subscribe",
        "donate",
        "book now",
        "confirm payment",
        "complete purchase",
    ),
    "delete": (
        "delete",
        "remove",
        "uninstall",
        "erase",
        "reset",
        "wipe",
        "clear data",
        "clear storage",
        "clear all",
        "trash",
        "discard",
        "factory",
        "cancel order",
        "cancel my order",
        "cancel subscription",
        "cancel booking",
        "cancel reservation",
        "unsubscribe",
    ),
    "call": ("call", "dial", "call now", "voice call", "video call"),
    "install": ("install", "get app", "download app", "unknown sources"),
    "permission": ("allow", "grant", "while using the app", "only this time", "permit"),
}
# Words of a dialog's title or message that say what its yes-button does.
_DIALOG_WORDS: dict[str, tuple[str, ...]] = {  # in this order: "Cancel this order?" deletes
    "delete": ("delete", "remove", "erase", "uninstall", "reset", "wipe", "discard", "cancel"),
    "pay": ("pay", "payment", "order", "buy", "purchase", "charge", "charged", "subscribe"),
    "send": ("send", "post", "share", "publish"),
    "call": ("call", "dial"),
    "install": ("install",),
    "permission": ("allow", "permission", "access"),
}
# Buttons that say yes to whatever the dialog around them asks.
_AFFIRMATIVE = {
    "ok",
    "okay",
    "yes",
    "confirm",
    "continue",
    "accept",
    "proceed",
    "agree",
    "i agree",
    "done",
    "go",
    "sure",
    "approve",
    "got it",
}
_YES = {"yes", "ok", "okay", "sure"}
DIALOG_TEXTS = 3  # a dialog's title and message: the plain texts nearest above its buttons
# Buttons that say no: never consequential, whatever the dialog asks.
_NEGATIVE = {
    "cancel",
    "no",
    "not now",
    "keep",
    "close",
    "dismiss",
    "deny",
    "don't allow",
    "never",
    "later",
    "back",
    "skip",
    "no thanks",
    "undo",
    "navigate up",
}
# Packages every task may touch: the home screen, the system UI and keyboards.
SYSTEM_PACKAGES = (
    "com.android.launcher",
    "com.google.android.apps.nexuslauncher",
    "com.android.systemui",
    "android",
    "com.google.android.inputmethod",
    "com.android.inputmethod",
)
_SPLIT = re.compile(r"[^a-z0-9']+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_COMPOSE = ("message", "compose", "reply", "comment", "chat", "tweet", "post")


@dataclass(frozen=True)
class Concern:
    """What a call would do that needs the user: its kind and, in words, the action."""

    kind: str
    what: str  # e.g. 'tap "Send" in Messages'
    package: str = ""
    label: str = ""  # the target's words ("delete event"), "" for a yes-button of a dialog

    @property
    def meaning(self) -> str:
        return KINDS[self.kind]

    def confirms(self, approved: Concern) -> bool:
        """Whether this is the next step of the act `approved` (same kind, same app): a
        dialog's yes-button, or a button that says the same and more or less ("Call" then
        "Call now", "Delete event" then "Delete") — not the same act on another item."""
        if (self.kind, self.package) != (approved.kind, approved.package):
            return False
        if not self.label:
            return True
        mine, theirs = self.label.split(), approved.label.split()
        shorter, longer = sorted((mine, theirs), key=len)
        return len(shorter) < len(longer) and longer[: len(shorter)] == shorter


def words(text: str) -> str:
    """`text` (a label or a resource id) as lower-case words separated by single spaces."""
    text = _CAMEL.sub(" ", text.rsplit("/", 1)[-1] if ":id/" in text else text)
    return " ".join(w for w in _SPLIT.split(text.replace("_", " ").casefold()) if w)


def _has(phrase_words: str, phrases: Iterable[str]) -> str | None:
    padded = f" {phrase_words} "
    return next((p for p in phrases if f" {p} " in padded), None)


def kind_of_label(label: str) -> str | None:
    """The kind of consequential action a button labelled `label` does, if any."""
    said = words(label)
    if not said or said in _NEGATIVE:
        return None
    for kind, phrases in _WORDS.items():
        if _has(said, phrases):
            return kind
    return None


def is_system(package: str) -> bool:
    """Whether `package` is the home screen, the system UI or a keyboard."""
    return package == "android" or any(
        package.startswith(p) for p in SYSTEM_PACKAGES if p != "android"
    )


def element_kind(el: UIElement, screen: Sequence[UIElement]) -> str | None:
    """The kind of consequential action a tap on `el` does: from what it says (its text,
    description and resource id), or, for a yes-button of a dialog, from the dialog's text."""
    folded = FOLD_SEPARATOR in el.text or FOLD_SEPARATOR in el.description
    # a list row's texts are its content (a note titled "Pay rent"), not a command
    labels = [el.resource_id] if folded else [el.text, el.description, el.resource_id]
    for label in labels:
        found = kind_of_label(label) if label else None
        if found:
            return found
    return _dialog_kind(el, screen) if is_yes_button(el) else None


def is_yes_button(el: UIElement) -> bool:
    """ "OK", "Confirm", or a yes that names the act ("Yes, cancel"): a button that says yes
    to whatever its dialog asks."""
    said = words(el.text or el.description)
    return said in _AFFIRMATIVE or said.split(" ", 1)[0] in _YES


def _dialog_kind(button: UIElement, screen: Sequence[UIElement]) -> str | None:
    """What the dialog around a yes-button asks: the kind named by its title or message —
    the plain texts of the button's app nearest above it (a dialog's), not the page behind."""
    near = sorted(
        (
            el
            for el in screen
            if el is not button
            and not (el.clickable or el.editable)
            and el.package == button.package
            and el.bounds.y1 <= button.bounds.y1
        ),
        key=lambda el: button.bounds.y1 - el.bounds.y2,
    )[:DIALOG_TEXTS]
    said = {w for el in near for w in words(el.text or el.description).split()}
    return next((kind for kind, verbs in _DIALOG_WORDS.items() if said & set(verbs)), None)
