"""Named UiObjects of the uiautomator2 server and the selector argument of every RPC.

`childByText`, `childByDescription`, `childByInstance`, `getChild`, `getFromParent` and
`getUiObject` answer a name (a UUID) for a UiObject kept on the server for 60 s, as the
platform's server does; later calls pass that name where a selector goes. A UiObject is a
selector, not a node: it is looked up again on every use.
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from typing import Any

from virtual_phone.contract import PhoneLike
from virtual_phone.u2.faults import arg, invalid_params, not_found
from virtual_phone.u2.selector import Selector, SelectorError

OBJECT_TTL_S = 60.0  # AutomatorServiceImpl clears a UiObject 60 s after it was added


class ObjectStore:
    """UiObjects by name, each dropped `OBJECT_TTL_S` after it was added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._objects: dict[str, tuple[Selector, float]] = {}

    def add(self, selector: Selector) -> str:
        """Keep a UiObject; its new name."""
        name = str(uuid.uuid4())
        with self._lock:
            self._expire()
            self._objects[name] = (selector, time.monotonic() + OBJECT_TTL_S)
        return name

    def get(self, name: str) -> Selector | None:
        """The UiObject of a name, or None when unknown or expired."""
        with self._lock:
            self._expire()
            entry = self._objects.get(name)
        return entry[0] if entry else None

    def remove(self, name: str) -> None:
        with self._lock:
            self._objects.pop(name, None)

    def names(self) -> list[str]:
        with self._lock:
            self._expire()
            return list(self._objects)

    def _expire(self) -> None:
        now = time.monotonic()
        for name in [n for n, (_, until) in self._objects.items() if until <= now]:
            del self._objects[name]


_STORES: weakref.WeakKeyDictionary[Any, ObjectStore] = weakref.WeakKeyDictionary()
_STORES_LOCK = threading.Lock()


def store_for(phone: PhoneLike) -> ObjectStore:
    """The UiObject store of one phone's server."""
    with _STORES_LOCK:
        store = _STORES.get(phone)
        if store is None:
            store = _STORES[phone] = ObjectStore()
        return store


def is_selector(value: Any) -> bool:
    """Whether an argument designates a UiObject: selector JSON or a UiObject name."""
    return isinstance(value, dict | str)


def selector_arg(phone: PhoneLike, args: list[Any], i: int) -> Selector:
    """Argument i as a selector: selector JSON, or the name of a kept UiObject
    (UiObjectNotFoundException when the name is unknown, as the platform answers)."""
    value = arg(args, i)
    if isinstance(value, str):
        selector = store_for(phone).get(value)
        if selector is None:
            raise not_found(f"UiObject {value} not found!")
        return selector
    try:
        return Selector.parse(value)
    except SelectorError as exc:
        raise invalid_params(str(exc)) from exc


def json_arg(args: list[Any], i: int) -> Selector:
    """Argument i parsed as selector JSON (for the child pattern arguments)."""
    try:
        return Selector.parse(arg(args, i))
    except SelectorError as exc:
        raise invalid_params(str(exc)) from exc
