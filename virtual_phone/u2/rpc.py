"""JSON-RPC dispatch of the uiautomator2 server.

`handle_rpc` runs one call synchronously (unit tests, tools); `handle_rpc_async` is what
the HTTP layer awaits: it runs the call in a worker thread, and the waiting calls
(`waitForExists`, `waitUntilGone`) poll the phone with `asyncio.sleep` in between, so the
transport's event loop never blocks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from virtual_phone.contract import PhoneLike
from virtual_phone.u2.children import CHILD_METHODS
from virtual_phone.u2.device_methods import DEVICE_METHODS
from virtual_phone.u2.faults import (
    INVALID_REQUEST,
    RUNTIME_EXCEPTION,
    RpcError,
    arg_int,
    invalid_params,
    method_not_found,
    server_exception,
)
from virtual_phone.u2.gestures import GESTURE_METHODS
from virtual_phone.u2.object_methods import OBJECT_METHODS, find
from virtual_phone.u2.store import selector_arg

log = logging.getLogger(__name__)

Method = Callable[[PhoneLike, list[Any]], Any]
METHODS: dict[str, Method] = {
    **DEVICE_METHODS,
    **OBJECT_METHODS,
    **CHILD_METHODS,
    **GESTURE_METHODS,
}
WAIT_METHODS = {"waitForExists": True, "waitUntilGone": False}  # name → wanted presence
POLL_INTERVAL_S = 0.05


def _args(params: Any) -> list[Any]:
    """Positional arguments: the client sends a list, or `{}` for calls without any."""
    if params is None:
        return []
    if isinstance(params, list | tuple):
        return list(params)
    if isinstance(params, dict) and not params:
        return []
    raise invalid_params("params must be an array")


def _wait_check(phone: PhoneLike, args: list[Any], present: bool) -> Callable[[], bool]:
    selector = selector_arg(phone, args, 0)
    return lambda: (find(phone, selector) is not None) == present


def _wait_timeout_s(args: list[Any]) -> float:
    return max(0, arg_int(args, 1, 0)) / 1000


def handle_rpc(phone: PhoneLike, method: str, params: Any) -> Any:
    """Run one RPC and return its result; raises `RpcError` for an error reply."""
    args = _args(params)
    if method in WAIT_METHODS:
        check = _wait_check(phone, args, WAIT_METHODS[method])
        deadline = time.monotonic() + _wait_timeout_s(args)
        while not check():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(POLL_INTERVAL_S, remaining))
        return True
    func = METHODS.get(method)
    if func is None:
        raise method_not_found(method)
    return func(phone, args)


async def _wait_async(phone: PhoneLike, args: list[Any], present: bool) -> bool:
    check = _wait_check(phone, args, present)
    deadline = time.monotonic() + _wait_timeout_s(args)
    while not await asyncio.to_thread(check):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        await asyncio.sleep(min(POLL_INTERVAL_S, remaining))
    return True


async def handle_rpc_async(phone: PhoneLike, method: str, params: Any) -> Any:
    """`handle_rpc` without blocking the event loop."""
    if method in WAIT_METHODS:
        return await _wait_async(phone, _args(params), WAIT_METHODS[method])
    return await asyncio.to_thread(handle_rpc, phone, method, params)


async def call(phone: PhoneLike, request: Any) -> dict[str, Any]:
    """Answer one JSON-RPC request object with a reply object (never raises)."""
    req_id = request.get("id") if isinstance(request, dict) else None
    try:
        if not isinstance(request, dict) or not isinstance(request.get("method"), str):
            raise RpcError(INVALID_REQUEST, "Invalid Request")
        result = await handle_rpc_async(phone, request["method"], request.get("params"))
    except RpcError as exc:
        log.debug("rpc %s failed: %s", request, exc.message)
        return {"jsonrpc": "2.0", "id": req_id, "error": exc.to_json()}
    except Exception as exc:  # a fault of the phone model must not kill the server
        log.exception("rpc %s raised", request.get("method"))
        err = server_exception(RUNTIME_EXCEPTION, f"{type(exc).__name__}: {exc}")
        return {"jsonrpc": "2.0", "id": req_id, "error": err.to_json()}
    return {"jsonrpc": "2.0", "id": req_id, "result": result}
