"""System-wide UI state: toasts, notifications, the shade, a few quick-settings toggles."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .ui.systemui import Notification

_SEED_NOTIFICATIONS = (
    ("Android System", "android", "USB debugging connected", "Tap to turn off USB debugging"),
    ("Notes", "com.example.notes", "Reminder", "Check your shopping list before 6 pm"),
)


class SystemState:
    """Toasts (with expiry), posted notifications, shade level (0 closed, 1, 2 expanded)."""

    def __init__(self) -> None:
        self.shade = 0
        self.battery = 85
        self.flashlight = False
        self.dnd = False
        self.last_toast: str | None = None
        self._toast: tuple[str, float] | None = None
        self._next_key = 1
        self.notifications: list[Notification] = []
        for label, package, title, text in _SEED_NOTIFICATIONS:
            self.notify(label, package, title, text)

    # -- toasts ---------------------------------------------------------------------
    def show_toast(self, text: str, until: float) -> None:
        """Show `text` until the monotonic time `until`."""
        self._toast = (text, until)
        self.last_toast = text

    def toast_text(self) -> str | None:
        """The toast on screen, if any."""
        return self._toast[0] if self._toast else None

    def expire_toast(self, now: float) -> bool:
        """Hide an expired toast; True when the screen changed."""
        if self._toast is not None and now >= self._toast[1]:
            self._toast = None
            return True
        return False

    # -- notifications --------------------------------------------------------------
    def notify(self, app_label: str, package: str, title: str, text: str) -> None:
        """Post a notification (newest first)."""
        self.notifications.insert(0, Notification(package, app_label, title, text, self._next_key))
        self._next_key += 1

    def dismiss(self, note: Notification) -> None:
        """Remove one notification."""
        self.notifications = [n for n in self.notifications if n.key != note.key]

    def clear_notifications(self) -> None:
        """Remove all notifications."""
        self.notifications = []

    def dump_notifications(self) -> list[dict[str, Any]]:
        """Notifications as JSON data."""
        return [asdict(n) for n in self.notifications]

    def load_notifications(self, items: list[dict[str, Any]]) -> None:
        """Replace notifications from JSON data."""
        self.notifications = [Notification(**item) for item in items]
        self._next_key = max((n.key for n in self.notifications), default=0) + 1

    # -- toggles --------------------------------------------------------------------
    def toggle_flashlight(self) -> None:
        """Flip the flashlight tile."""
        self.flashlight = not self.flashlight

    def toggle_dnd(self) -> None:
        """Flip Do Not Disturb."""
        self.dnd = not self.dnd
