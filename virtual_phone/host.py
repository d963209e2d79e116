"""`AppHost`: the phone as its apps see it (the `apps.base.Host` interface, nothing more)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .contract import FileSystemLike

if TYPE_CHECKING:
    from .apps.base import Activity
    from .system_server import SystemServer


class AppHost:
    """Toasts, activity starts and finishes, app launches, the keyboard, files and a
    read-only view of other apps' data."""

    def __init__(self, system: SystemServer, files: FileSystemLike) -> None:
        self._system = system
        self._files = files

    def toast(self, text: str) -> None:
        """Show a short toast."""
        self._system.toast(text)

    def start_activity(self, activity: Activity) -> None:
        """Open `activity` on top of its app's task."""
        self._system.start_activity(activity)

    def finish(self, activity: Activity) -> None:
        """Close `activity` (and anything above it)."""
        self._system.finish(activity)

    def launch(self, package: str) -> bool:
        """Bring another app to the front; False if it is not installed."""
        return self._system.launch(package)

    def hide_keyboard(self) -> None:
        """Close the on-screen keyboard."""
        self._system.hide_keyboard()

    def write_file(self, path: str, data: bytes) -> None:
        """Store a file on the phone (parent directories are created)."""
        self._files.write(path, data)

    def app_data(self, package: str) -> dict[str, Any]:
        """A deep copy of another app's state ({} if it is not installed)."""
        app = self._system.apps.get(package)
        return app.public_state() if app is not None else {}
