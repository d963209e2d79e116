"""Calendar: a seeded schedule of events, with create, edit, delete and search."""

from .app import CalendarApp

__all__ = ["CalendarApp"]
