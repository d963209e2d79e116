"""The virtual phone's apps: launcher, settings, notes, contacts, browser and a few more."""

from __future__ import annotations
