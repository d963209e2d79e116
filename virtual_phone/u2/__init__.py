"""The virtual phone's uiautomator2 server: HTTP + JSON-RPC on device port 9008.

The shell starts it on `CLASSPATH=/data/local/tmp/u2.jar app_process / com.wetest.uia2.Main
-p 9008` by registering `serve_connection` as the phone's `tcp:9008` handler; every
uiautomator2 request then arrives as one ADB stream.
"""

from __future__ import annotations

from virtual_phone.u2.faults import RpcError
from virtual_phone.u2.http import serve_connection
from virtual_phone.u2.rpc import METHODS, handle_rpc, handle_rpc_async
from virtual_phone.u2.selector import Selector, SelectorError, obj_info

PORT = 9008

__all__ = [
    "METHODS",
    "PORT",
    "RpcError",
    "Selector",
    "SelectorError",
    "handle_rpc",
    "handle_rpc_async",
    "obj_info",
    "serve_connection",
]
