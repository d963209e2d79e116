"""Fixtures of the window's tests: `Services` over a tmp data directory, shut down after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from mobile_agent.gui.services import Services


@pytest.fixture
def services(tmp_path: Path, qapp: object) -> Iterator[Services]:
    """Services over `tmp_path / "home"`, with no model configured."""
    made = Services.for_tests(tmp_path / "home")
    try:
        yield made
    finally:
        made.shutdown(timeout_s=10)
