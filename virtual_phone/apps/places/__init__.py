"""Places (`com.example.places`): a maps-like guide to the places around the user."""

from .app import PlacesApp

__all__ = ["PlacesApp"]
