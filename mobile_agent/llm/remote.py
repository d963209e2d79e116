"""What the network backends share: settings, secret handling and the retrying `complete`.

A subclass builds the provider's request from our messages (`_request`), sends it once
(`_send`, raising typed `LLMError`s) and turns the response into a `Completion` (`_parse`);
`complete` wraps the send in the one retry policy.
"""

from __future__ import annotations

import time
from typing import Any

from mobile_agent.errors import ConfigError
from mobile_agent.llm.base import Completion, Message
from mobile_agent.llm.retry import RetryHook, RetryPolicy, call_with_retries
from mobile_agent.logs import register_secret


class RemoteChatModel:
    """Base of the `ChatModel`s that call a provider over HTTP."""

    kind = "remote"

    def __init__(
        self,
        model: str,
        *,
        name: str,
        api_key: str,
        base_url: str | None,
        timeout_s: float,
        retry: RetryPolicy | None,
        max_tokens: int | None,
        temperature: float | None,
        json_schema: bool,
        key_hint: str,
        on_retry: RetryHook | None,
    ) -> None:
        if not model:
            raise ConfigError(f"an {self.kind} model needs a model name")
        register_secret(api_key)
        self.name = name
        self.model = model
        self.base_url = base_url
        self.timeout_s = timeout_s
        self.retry = retry or RetryPolicy()
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.json_schema = json_schema
        self.on_retry = on_retry
        self._key_hint = key_hint
        self._secret = api_key

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, base_url={self.base_url!r})"

    def complete(
        self,
        messages: list[Message],
        *,
        response_schema: dict[str, Any] | None = None,
        cancel: Any | None = None,
    ) -> Completion:
        """Send `messages`; return the reply with usage, cost and latency."""
        started = time.monotonic()
        request = self._request(messages, response_schema)
        attempts = 0

        def attempt(budget: float) -> Completion:
            nonlocal attempts
            attempts += 1
            response = self._send(request, min(self.timeout_s, budget))
            return self._parse(response, started, attempts)

        return call_with_retries(
            attempt, self.retry, cancel, on_retry=self.on_retry, label=self.name
        )

    def _request(
        self, messages: list[Message], response_schema: dict[str, Any] | None
    ) -> dict[str, Any]:
        raise NotImplementedError

    def _send(self, request: dict[str, Any], timeout: float) -> Any:
        raise NotImplementedError

    def _parse(self, response: Any, started: float, attempts: int) -> Completion:
        raise NotImplementedError
