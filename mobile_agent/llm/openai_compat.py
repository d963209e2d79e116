"""Any OpenAI-compatible chat-completions endpoint, through the official `openai` SDK.

Works with OpenAI itself and with every server that copies its API: Gemini's OpenAI endpoint,
Qwen/DashScope, OpenRouter, vLLM, Ollama, LM Studio. The SDK's own retries are switched off;
`call_with_retries` is the only retry loop.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from mobile_agent.errors import ProviderError
from mobile_agent.llm.base import Completion, Message, Role
from mobile_agent.llm.remote import RemoteChatModel
from mobile_agent.llm.replies import as_int, finish, malformed, truncated

log = logging.getLogger(__name__)


class OpenAIChatModel(RemoteChatModel):
    """A `ChatModel` speaking the OpenAI chat-completions API at `base_url`."""

    kind = "OpenAI-compatible"
    sdk_name = "openai"
    client_class = "OpenAI"

    def __init__(
        self,
        model: str,
        *,
        provider: str = "openai",
        max_tokens_param: str = "max_tokens",
        image_detail: str | None = None,
        **options: Any,
    ) -> None:
        """`provider` names the model ("provider:model"); `options` are `RemoteChatModel`'s."""
        self.provider = provider
        self.max_tokens_param = max_tokens_param
        self.image_detail = image_detail
        super().__init__(model, **options)

    def _request(
        self, messages: list[Message], response_schema: dict[str, Any] | None
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model,
            "messages": [self._message(m) for m in messages],
        }
        if self.max_tokens is not None:
            request[self.max_tokens_param] = self.max_tokens
        if self.temperature is not None:
            request["temperature"] = self.temperature
        if response_schema is not None and self.json_schema:
            request["response_format"] = json_schema_format(response_schema)
        return request

    def _message(self, message: Message) -> dict[str, Any]:
        if not message.images:
            return {"role": str(message.role), "content": message.text}
        parts: list[dict[str, Any]] = []
        if message.text:
            parts.append({"type": "text", "text": message.text})
        for image in message.images:
            url: dict[str, Any] = {"url": image.as_data_url()}
            if self.image_detail:
                url["detail"] = self.image_detail
            parts.append({"type": "image_url", "image_url": url})
        role = Role.USER if message.role == Role.SYSTEM else message.role
        return {"role": str(role), "content": parts}

    def _create(self, request: dict[str, Any], timeout: Any) -> Any:
        return self._client.chat.completions.create(**request, timeout=timeout)

    def _parse(self, response: Any, started: float, attempts: int) -> Completion:
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list):
            raise malformed(self.name, "no choices list")
        if not choices:
            raise ProviderError(f"{self.name}: the reply has no choices")
        choice = choices[0]
        reason = str(getattr(choice, "finish_reason", "") or "")
        message = getattr(choice, "message", None)
        text = getattr(message, "content", None)
        if reason == "length":
            raise truncated(self.name, text or "")
        if reason == "content_filter":
            raise malformed(self.name, "blocked by the provider's content filter")
        if not isinstance(text, str) or not text.strip():
            refusal = getattr(message, "refusal", None)
            if refusal:
                raise malformed(self.name, f"the model refused: {refusal}")
            raise ProviderError(f"{self.name}: the reply has no text")
        usage = getattr(response, "usage", None)
        details = getattr(usage, "prompt_tokens_details", None)  # what the prefix cache held
        return finish(
            text,
            model=getattr(response, "model", None) or self.model,
            input_tokens=as_int(getattr(usage, "prompt_tokens", None)),
            output_tokens=as_int(getattr(usage, "completion_tokens", None)),
            started=started,
            attempts=attempts,
            finish_reason=reason,
            price_model=self.model,
            cached_tokens=as_int(getattr(details, "cached_tokens", None)),
        )


def json_schema_format(schema: dict[str, Any]) -> dict[str, Any]:
    """The `response_format` asking for JSON that follows `schema`."""
    name = re.sub(r"[^A-Za-z0-9_-]", "_", str(schema.get("title") or "response"))[:64]
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
