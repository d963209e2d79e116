"""Built-in tips: the default guidance every run starts with, beside the tips learned before.

They are shown in the same Tips section as learned tips (the runner's `tips=` text), first,
so that the part of the prompt holding them stays the same from step to step.
"""

from __future__ import annotations

BUILTIN_TIPS: tuple[str, ...] = (
    "Pop-ups: when a dialog, banner, rating request, tutorial or ad covers what you need, "
    "dismiss it (Close, Not now, Skip, No thanks, X, or back) unless it is part of the task.",
    "Permissions: when an app asks for a permission the task needs, allow it only while "
    'using the app ("While using the app" or "Only this time"); deny what the task does '
    "not need.",
    "Accounts and money: never sign in, create an account, buy, pay, subscribe or enter "
    "card or password details unless the task asks for it; if it does and you lack the "
    "details, ask the user.",
    "Filled-in fields: a field may already hold text (an earlier entry or a default); "
    'type with "clear": true to replace it, and check the field afterwards. A field shown '
    'with hint="…" is empty.',
    "Suggestions: when typing brings up suggestions (contacts, addresses, search terms), "
    "tap the one that matches instead of typing the rest or pressing enter.",
    "Finding things: what you need may be off screen. Scroll the list (down shows what is "
    "further down), use the app's search, or open the app with open_app; never hunt for "
    "app icons.",
    "Keyboard: never tap keyboard keys. Type with type, submit with enter, hide the "
    "keyboard with back.",
    "Stuck: after two attempts that did not work, try another way (another screen, the "
    "search, the menu) instead of repeating the same action.",
)


def tips_text(learned: str = "") -> str:
    """The Tips section: the built-in tips, then the learned ones (as the memory gives them)."""
    lines = [f"- {tip}" for tip in BUILTIN_TIPS]
    learned = learned.strip()
    if learned:
        lines += ["", "Learned in earlier runs:", learned]
    return "\n".join(lines)
