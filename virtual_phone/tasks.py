"""Tasks and back stacks: which activity of which app is in front."""

from __future__ import annotations

import logging

from .apps.base import Activity, App

log = logging.getLogger(__name__)


class TaskManager:
    """Per-app back stacks plus the recents order. The launcher is the home task."""

    def __init__(self, apps: dict[str, App], home_package: str) -> None:
        self.apps = apps
        self.home_package = home_package
        self.stacks: dict[str, list[Activity]] = {}
        self.order: list[str] = []  # task packages, most recent last (launcher excluded)
        self.front = home_package
        self.recents = False
        self.go_home()

    # -- queries -------------------------------------------------------------------
    def top(self) -> Activity:
        """The activity in front (the home screen when no app is)."""
        stack = self.stacks.get(self.front)
        if not stack:
            self.front = self.home_package
            stack = self.stacks[self.home_package]
        return stack[-1]

    def tasks(self) -> list[str]:
        """Packages with a task, most recent first."""
        return list(reversed(self.order))

    # -- navigation ----------------------------------------------------------------
    def go_home(self) -> None:
        """Show the home screen (the launcher's stack is reset to its root)."""
        home = self.apps[self.home_package].create_activity(None)
        assert home is not None
        self.stacks[self.home_package] = [home]
        self.front = self.home_package
        self.recents = False

    def bring_to_front(self, package: str) -> None:
        """Switch to a package's existing task."""
        if package == self.home_package:
            self.go_home()
            return
        self.front = package
        self.recents = False
        if package in self.order:
            self.order.remove(package)
        self.order.append(package)

    def start(self, package: str, activity: str | None = None) -> bool:
        """Launch or resume an app; with an activity name, start that activity on top."""
        app = self.apps.get(package)
        if app is None:
            return False
        if package == self.home_package:
            self.go_home()
            return True
        full = app.full_name(activity) if activity else None
        stack = self.stacks.get(package)
        if full is not None and full not in app.activity_names():
            return False
        if stack and (full is None or full == app.main_activity or stack[-1].name == full):
            self.bring_to_front(package)
            return True
        created = app.create_activity(full)
        if created is None:
            return False
        if stack and full is not None:
            stack.append(created)
        else:
            self.stacks[package] = [created]
        self.bring_to_front(package)
        return True

    def push(self, activity: Activity) -> None:
        """Start an activity of the app in front (or bring its app forward)."""
        package = activity.app.package
        self.stacks.setdefault(package, []).append(activity)
        self.bring_to_front(package)

    def finish(self, activity: Activity) -> None:
        """Pop `activity` (and anything above it); the task ends with its last activity."""
        package = activity.app.package
        stack = self.stacks.get(package, [])
        if activity not in stack:
            return
        while stack:
            popped = stack.pop()
            popped.on_finish()
            if popped is activity:
                break
        if not stack:
            self.remove(package, graceful=False)

    def back_out(self) -> None:
        """BACK with nothing left to close: pop the top activity, or leave the root to home."""
        if self.front == self.home_package:
            return
        stack = self.stacks.get(self.front, [])
        if len(stack) > 1:
            self.finish(stack[-1])
            return
        if stack and stack[0].name != self.apps[self.front].main_activity:
            self.finish(stack[0])  # a non-launcher root activity ends its task
        self.go_home()

    def remove(self, package: str, graceful: bool = True) -> None:
        """Remove a task (swiped away; `graceful=False` when force-stopped)."""
        if graceful:
            for activity in reversed(self.stacks.get(package, [])):
                activity.on_finish()
        if package != self.home_package:
            self.stacks.pop(package, None)
        if package in self.order:
            self.order.remove(package)
        if self.front == package:
            self.go_home()

    def clear(self) -> None:
        """Remove every task and show home."""
        for package in list(self.order):
            self.remove(package)
        self.go_home()
