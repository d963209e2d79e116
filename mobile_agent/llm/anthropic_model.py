"""Anthropic's Messages API through the official `anthropic` SDK.

System messages go to the separate `system` field, as one block marked for Anthropic's prompt
cache (`cache_control`): it is the fixed part of every agent's prompt, byte-identical from
step to step, so later calls read it from the cache. Images travel as base64 blocks ahead of
the text of their message. The SDK's own retries are switched off; `call_with_retries` is the only
retry loop.
"""

from __future__ import annotations

import logging
from typing import Any

from mobile_agent.errors import ConfigError, ProviderError
from mobile_agent.llm.base import Completion, Message, Role
from mobile_agent.llm.remote import RemoteChatModel
from mobile_agent.llm.replies import as_int, finish, malformed, truncated

log = logging.getLogger(__name__)
_EPHEMERAL = {"type": "ephemeral"}  # Anthropic's prompt cache, kept for five minutes


class AnthropicChatModel(RemoteChatModel):
    """A `ChatModel` backed by Claude models."""

    kind = "Anthropic"
    provider = "anthropic"
    default_max_tokens = 4096  # the API requires a limit
    sdk_name = "anthropic"
    client_class = "Anthropic"

    def _request(
        self, messages: list[Message], response_schema: dict[str, Any] | None
    ) -> dict[str, Any]:
        system = "\n\n".join(m.text for m in messages if m.role == Role.SYSTEM and m.text)
        turns = [_turn(m) for m in messages if m.role != Role.SYSTEM]
        if not turns:
            raise ConfigError(f"{self.name}: a request needs at least one user message")
        request: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "messages": turns,
        }
        if system:
            request["system"] = [{"type": "text", "text": system, "cache_control": _EPHEMERAL}]
        if self.temperature is not None:
            request["temperature"] = self.temperature
        if response_schema is not None and self.json_schema:
            schema_format = {"type": "json_schema", "schema": response_schema}
            request["output_config"] = {"format": schema_format}
        return request

    def _create(self, request: dict[str, Any], timeout: Any) -> Any:
        return self._client.messages.create(**request, timeout=timeout)

    def _parse(self, response: Any, started: float, attempts: int) -> Completion:
        blocks = getattr(response, "content", None)
        if not isinstance(blocks, list):
            raise malformed(self.name, "no content list")
        text = "".join(
            str(getattr(b, "text", "") or "") for b in blocks if getattr(b, "type", "") == "text"
        )
        reason = str(getattr(response, "stop_reason", "") or "")
        usage = getattr(response, "usage", None)
        if reason == "max_tokens":
            raise truncated(self.name, text)
        if reason == "refusal":
            raise malformed(self.name, "the model refused to answer")
        if not text.strip():
            raise ProviderError(f"{self.name}: the reply has no text")
        return finish(
            text,
            model=str(getattr(response, "model", "") or self.model),
            input_tokens=_input_tokens(usage),
            output_tokens=as_int(getattr(usage, "output_tokens", None)),
            cached_tokens=as_int(getattr(usage, "cache_read_input_tokens", None)),
            cache_write_tokens=as_int(getattr(usage, "cache_creation_input_tokens", None)),
            started=started,
            attempts=attempts,
            finish_reason=reason,
            price_model=self.model,
        )


def _turn(message: Message) -> dict[str, Any]:
    if not message.images:
        return {"role": str(message.role), "content": message.text}
    blocks: list[dict[str, Any]] = [
        {"type": "image", "source": {"type": "base64", "media_type": i.mime, "data": i.as_base64()}}
        for i in message.images
    ]
    if message.text:
        blocks.append({"type": "text", "text": message.text})
    return {"role": str(message.role), "content": blocks}


def _input_tokens(usage: Any) -> int | None:
    """Prompt tokens, cache writes and reads included."""
    parts = [
        as_int(getattr(usage, name, None))
        for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
    ]
    known = [p for p in parts if p is not None]
    return sum(known) if known else None
