"""JSON-RPC errors of the uiautomator2 server and helpers that read RPC arguments.

Errors travel as HTTP 200 replies with an `error` object, like the platform's server
(jsonrpc4j) sends them: code -32001 and the Java exception class as `message`, which is
what the uiautomator2 client maps to its own exceptions (`UiObjectNotFoundError`, …).
"""

from __future__ import annotations

from typing import Any

from virtual_phone.errors import VirtualPhoneError

SERVER_EXCEPTION = -32001  # jsonrpc4j: an exception thrown by the service method
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
PARSE_ERROR = -32700

UI_OBJECT_NOT_FOUND = "androidx.test.uiautomator.UiObjectNotFoundException"
RUNTIME_EXCEPTION = "java.lang.RuntimeException"


class RpcError(VirtualPhoneError):
    """A JSON-RPC call that is answered with an `error` object instead of a result."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Any]:
        """The reply's `error` member."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def server_exception(java_class: str, detail: str) -> RpcError:
    """An error as the platform reports a Java exception thrown by an RPC method."""
    return RpcError(
        SERVER_EXCEPTION, java_class, {"exceptionTypeName": java_class, "message": detail}
    )


def not_found(selector_description: str) -> RpcError:
    """The error the client turns into `UiObjectNotFoundError`."""
    return server_exception(UI_OBJECT_NOT_FOUND, selector_description)


def invalid_params(detail: str) -> RpcError:
    """Arguments of the wrong number or type."""
    return RpcError(INVALID_PARAMS, "Invalid params", detail)


def method_not_found(method: str) -> RpcError:
    """An RPC this server does not offer."""
    return RpcError(METHOD_NOT_FOUND, "Method not found", method)


# -- argument readers -----------------------------------------------------------------


def arg(args: list[Any], i: int, default: Any = ...) -> Any:
    """Argument i; without a default a missing argument is an error."""
    if i < len(args):
        return args[i]
    if default is ...:
        raise invalid_params(f"argument {i} is missing")
    return default


def arg_num(args: list[Any], i: int, default: Any = ...) -> float:
    """A numeric argument (ints and floats, as the client sends both)."""
    value = arg(args, i, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid_params(f"argument {i} must be a number, got {value!r}")
    return float(value)


def arg_int(args: list[Any], i: int, default: Any = ...) -> int:
    """A numeric argument rounded to an int."""
    return round(arg_num(args, i, default))


def arg_str(args: list[Any], i: int, default: Any = ...) -> str:
    """A string argument."""
    value = arg(args, i, default)
    if not isinstance(value, str):
        raise invalid_params(f"argument {i} must be a string, got {value!r}")
    return value


def arg_bool(args: list[Any], i: int, default: Any = ...) -> bool:
    """A boolean argument (null counts as false)."""
    value = arg(args, i, default)
    if value is None:
        return False
    if not isinstance(value, bool | int):
        raise invalid_params(f"argument {i} must be a boolean, got {value!r}")
    return bool(value)
