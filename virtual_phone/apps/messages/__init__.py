"""Messages: conversations with the people of Contacts."""

from .app import MessagesApp

__all__ = ["MessagesApp"]
