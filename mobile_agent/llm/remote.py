"""What the network backends share: settings, secret handling, the SDK client, one request
turned into a reply or a typed error, and the retrying `complete`.

A subclass names its SDK (`sdk_name`, `client_class`, both SDKs share the same error and
timeout types), builds the provider's request from our messages (`_request`), calls the SDK
once (`_create`) and turns the response into a `Completion` (`_parse`). `_send` maps every SDK
failure to a typed `LLMError`; `complete` wraps it in the one retry policy.
"""

from __future__ import annotations

import importlib
import json
import time
from typing import Any

from mobile_agent.errors import ConfigError, LLMError, ProviderError
from mobile_agent.llm.base import Completion, Message, Schema
from mobile_agent.llm.endpoints import check_base_url, connection_failure
from mobile_agent.llm.replies import (
    error_code,
    error_detail,
    error_for_status,
    malformed,
    not_json,
)
from mobile_agent.llm.retry import RetryHook, RetryPolicy, call_with_retries, parse_retry_after
from mobile_agent.logs import redact, register_secret

CONNECT_TIMEOUT_S = 10.0
"""Default time to open a connection: a dead endpoint shows within this, whatever `timeout_s`."""


class RemoteChatModel:
    """Base of the `ChatModel`s that call a provider over HTTP."""

    kind = "remote"
    honours_cancel = True  # see `ChatModel`: callers need no watchdog thread
    provider = ""
    """The first part of the model's name, "provider:model"."""
    sdk_name = ""
    client_class = ""
    default_max_tokens: int | None = None

    def __init__(
        self,
        model: str,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        retry: RetryPolicy | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        json_schema: bool = False,
        key_hint: str = "",
        extra_headers: dict[str, str] | None = None,
        on_retry: RetryHook | None = None,
    ) -> None:
        """A model reached at `base_url` (the SDK's default when None).

        `timeout_s` bounds the wait for a reply to one request and `connect_timeout_s` the
        wait for a connection; `retry` holds the whole call's deadline. `key_hint` says what
        to do about a rejected key; `on_retry(attempt, error, pause_s)` hears of each retry.
        """
        name = f"{self.provider}:{model}"
        if not model:
            raise ConfigError(f"an {self.kind} model needs a model name")
        if not api_key or not api_key.strip():
            raise ConfigError(f"{name}: no API key was given. {key_hint}".strip())
        register_secret(api_key)
        self.name = name
        self.model = model
        self.base_url = check_base_url(base_url) if base_url is not None else None
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.retry = retry or RetryPolicy()
        self.max_tokens = max_tokens if max_tokens is not None else self.default_max_tokens
        self.temperature = temperature
        self.json_schema = json_schema
        self.on_retry = on_retry
        self._key_hint = key_hint
        self._secret = api_key
        client = getattr(self._sdk(), self.client_class)
        self._client = client(
            api_key=api_key, base_url=self.base_url, max_retries=0, default_headers=extra_headers
        )

    def complete(
        self, messages: list[Message], *, response_schema: Schema | None = None, cancel: Any = None
    ) -> Completion:
        """Send `messages`; return the reply with usage, cost and latency."""
        started = time.monotonic()
        request = self._request(messages, response_schema)
        attempts = 0

        def attempt(budget: float) -> Completion:
            nonlocal attempts
            attempts += 1
            response = self._send(request, budget)
            return self._parse(response, started, attempts)

        return call_with_retries(
            attempt, self.retry, cancel, on_retry=self.on_retry, label=self.name
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, base_url={self.base_url!r})"

    def _sdk(self) -> Any:
        return importlib.import_module(self.sdk_name)

    def _send(self, request: dict[str, Any], budget: float) -> Any:
        """One request of at most `budget` seconds; every SDK failure becomes an `LLMError`."""
        sdk = self._sdk()
        read_s = min(self.timeout_s, budget)
        connect_s = min(self.connect_timeout_s, budget)
        try:
            response = self._create(request, sdk.Timeout(read_s, connect=connect_s))
        except sdk.APIStatusError as exc:
            raise self._status_error(exc) from None
        except sdk.APIConnectionError as exc:  # timeouts included
            where = str(self._client.base_url)
            reason = connection_failure(exc, where, connect_s=connect_s, read_s=read_s)
            raise ProviderError(redact(f"{self.name}: {reason}", [self._secret])) from None
        except json.JSONDecodeError as exc:
            raise not_json(self.name, exc.doc, [self._secret]) from None
        except (sdk.APIError, ValueError) as exc:
            raise malformed(self.name, type(exc).__name__) from None
        if isinstance(response, str | bytes):  # the SDK hands back a body it cannot read
            raise not_json(self.name, response, [self._secret])
        return response

    def _status_error(self, exc: Any) -> LLMError:
        body = exc.body
        detail = error_detail(body, fallback=exc.response.reason_phrase, secrets=[self._secret])
        return error_for_status(
            exc.status_code,
            detail,
            label=self.name,
            retry_after=parse_retry_after(exc.response.headers),
            code=error_code(body),
            key_hint=self._key_hint,
        )

    def _request(
        self, messages: list[Message], response_schema: dict[str, Any] | None
    ) -> dict[str, Any]:
        raise NotImplementedError

    def _create(self, request: dict[str, Any], timeout: Any) -> Any:
        raise NotImplementedError

    def _parse(self, response: Any, started: float, attempts: int) -> Completion:
        raise NotImplementedError
