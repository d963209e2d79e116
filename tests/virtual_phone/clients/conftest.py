"""One virtual phone for the whole clients package, reset before every test.

Each test gets a `Client` whose calls are recorded as junit properties (`client`, `calls`)
for `scripts/fidelity_table.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import served_phone

from .device import Client


@pytest.fixture(scope="package")
def client_phone() -> Iterator[Any]:
    """A virtual phone connected to this session's adb server, shared by the package."""
    with served_phone() as server:
        yield server


@pytest.fixture(scope="package")
def client_u2(client_phone: Any) -> Any:
    """uiautomator2 connected to the shared phone (its server started once)."""
    import uiautomator2 as u2

    return u2.connect(client_phone.serial)


@pytest.fixture
def client(
    client_phone: Any,
    request: pytest.FixtureRequest,
    record_property: Callable[[str, object], None],
) -> Iterator[Client]:
    """The phone back in its seeded state, and a recorder of the calls the test sends."""
    client_phone.phone.reset()
    recorder = Client(client_phone)
    yield recorder
    record_property("client", getattr(request.module, "CLIENT", request.module.__name__))
    record_property("calls", "\n".join(recorder.sent))
