"""The virtual phone's UI toolkit: views that map to Android widget classes, layout,
rendering with PIL and serialisation to the uiautomator hierarchy format."""

from __future__ import annotations
