"""The exception hierarchy of mobile-agent.

Expected failures of a step (a bad model reply, a tap that missed) are values
(`ActionResult`, parse feedback), not exceptions. Exceptions are for conditions that
end an operation::

    MobileAgentError
    ├── ConfigError                 settings file / environment / CLI value is invalid
    ├── DeviceError
    │   ├── AdbServerError          no adb server and none could be started
    │   ├── DeviceNotFound          no device, or the named serial is not attached
    │   ├── DeviceUnauthorized      the phone has not accepted this computer's key
    │   ├── DeviceOffline           the device is attached but offline
    │   ├── AmbiguousDevice         several devices attached and none chosen
    │   ├── DeviceDisconnected      the device vanished during an operation
    │   ├── DeviceTimeout           one device call exceeded its time limit
    │   └── AppNotFound             no installed launcher app matches a name
    ├── LLMError
    │   ├── RateLimited             HTTP 429 (retried, honouring Retry-After)
    │   ├── AuthFailed              401/403 (never retried)
    │   ├── BadRequest              400/404/422 (never retried)
    │   ├── ProviderError           5xx, connection failures (retried)
    │   ├── DeadlineExceeded        the overall deadline of one call passed
    │   ├── Truncated               the reply was cut at the token limit
    │   └── Cancelled               the call was cancelled by the user
    ├── ParseError                  a model reply does not match the agent's contract
    └── StoreError
        ├── SchemaTooNew            the database was written by a newer version
        └── CorruptDatabase         the database file is not usable (quarantined)

The virtual phone, a package of its own, has its own errors (`virtual_phone.errors`).
"""

from __future__ import annotations

from typing import Any


class MobileAgentError(Exception):
    """Base class of every error raised on purpose by mobile-agent."""


class ConfigError(MobileAgentError):
    """A setting has an invalid value, or a required one is missing."""


class DeviceError(MobileAgentError):
    """A device could not be reached or did not do what was asked."""


class AdbServerError(DeviceError):
    """No adb server is running and none could be started."""


class DeviceNotFound(DeviceError):
    """No device is attached, or the requested serial is not among them."""


class DeviceUnauthorized(DeviceError):
    """The phone has not authorised this computer (accept the USB debugging prompt)."""


class DeviceOffline(DeviceError):
    """The device is listed but offline."""


class AmbiguousDevice(DeviceError):
    """Several devices are attached and none was chosen."""


class DeviceDisconnected(DeviceError):
    """The device vanished in the middle of an operation."""


class DeviceTimeout(DeviceError):
    """A device call did not answer within its time limit."""


class AppNotFound(DeviceError):
    """No installed launcher app matches the requested name or package."""


class LLMError(MobileAgentError):
    """A language-model call failed."""

    retryable: bool = False


class RateLimited(LLMError):
    """The provider answered 429; `retry_after` holds its Retry-After in seconds."""

    retryable = True

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthFailed(LLMError):
    """The provider rejected the credentials (401/403). Never retried."""


class BadRequest(LLMError):
    """The provider rejected the request itself (400/404/422). Never retried."""


class ProviderError(LLMError):
    """A server-side or connection failure (5xx, reset, timeout). Retried."""

    retryable = True


class DeadlineExceeded(LLMError):
    """The overall deadline of one model call passed."""


class Truncated(LLMError):
    """The reply was cut off at the output-token limit."""


class Cancelled(LLMError):
    """The call was cancelled by the user."""


class ParseError(MobileAgentError):
    """A model reply does not follow the agent's output contract."""


class StoreError(MobileAgentError):
    """The SQLite store could not be opened or written."""


class SchemaTooNew(StoreError):
    """The database was written by a newer version of mobile-agent."""


class CorruptDatabase(StoreError):
    """The database file is damaged; it has been moved aside."""


def describe_validation_error(exc: Any, whole: str = "value") -> str:
    """A pydantic `ValidationError` in one line of our words: `field: problem; …`.

    `whole` names the object itself when an error has no field (e.g. "arguments").
    Pydantic's links and input echoes are left out.
    """
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in err.get("loc", ())) or whole
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts) or str(exc)
