"""A virtual phone for the API tests, opened through `mobile_agent.Device`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mobile_agent import Device, Settings

SETTINGS = Settings(ocr_policy="never")


@pytest.fixture(scope="module")
def phone() -> Iterator[Device]:
    """The built-in virtual phone, started by `Device.virtual` (one per test module)."""
    with Device.virtual(settings=SETTINGS) as device:
        yield device
