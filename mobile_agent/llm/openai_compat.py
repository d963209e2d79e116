"""Any OpenAI-compatible chat-completions endpoint, through the official `openai` SDK.

Works with OpenAI itself and with every server that copies its API: Gemini's OpenAI endpoint,
Qwen/DashScope, OpenRouter, vLLM, Ollama, LM Studio. The SDK's own retries are switched off;
`call_with_retries` is the only retry loop.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from mobile_agent.errors import LLMError, ProviderError
from mobile_agent.llm.base import Completion, Message, Role
from mobile_agent.llm.common import (
    as_int,
    data_url,
    error_code,
    error_detail,
    error_for_status,
    finish,
    malformed,
    truncated,
)
from mobile_agent.llm.remote import RemoteChatModel
from mobile_agent.llm.retry import RetryHook, RetryPolicy, parse_retry_after
from mobile_agent.logs import redact

log = logging.getLogger(__name__)


class OpenAIChatModel(RemoteChatModel):
    """A `ChatModel` speaking the OpenAI chat-completions API at `base_url`."""

    kind = "OpenAI-compatible"

    def __init__(
        self,
        model: str,
        *,
        api_key: str,
        base_url: str | None = None,
        provider: str = "openai",
        timeout_s: float = 60.0,
        retry: RetryPolicy | None = None,
        max_tokens: int | None = None,
        max_tokens_param: str = "max_tokens",
        temperature: float | None = None,
        json_schema: bool = False,
        image_detail: str | None = None,
        key_hint: str = "",
        extra_headers: dict[str, str] | None = None,
        on_retry: RetryHook | None = None,
    ) -> None:
        super().__init__(
            model,
            name=f"{provider}:{model}",
            api_key=api_key,
            base_url=base_url,
            timeout_s=timeout_s,
            retry=retry,
            max_tokens=max_tokens,
            temperature=temperature,
            json_schema=json_schema,
            key_hint=key_hint,
            on_retry=on_retry,
        )
        self.max_tokens_param = max_tokens_param
        self.image_detail = image_detail
        self._client = _make_client(api_key, base_url, extra_headers)

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
            url: dict[str, Any] = {"url": data_url(image)}
            if self.image_detail:
                url["detail"] = self.image_detail
            parts.append({"type": "image_url", "image_url": url})
        role = Role.USER if message.role == Role.SYSTEM else message.role
        return {"role": str(role), "content": parts}

    def _send(self, request: dict[str, Any], timeout: float) -> Any:
        import openai

        try:
            return self._client.chat.completions.create(**request, timeout=timeout)
        except openai.APIStatusError as exc:
            raise self._status_error(exc) from None
        except openai.APITimeoutError:
            raise ProviderError(f"{self.name}: no answer within {timeout:.1f} s") from None
        except openai.APIConnectionError as exc:
            detail = redact(str(exc.__cause__ or exc), [self._secret])
            raise ProviderError(
                f"{self.name}: cannot connect to {self.base_url or 'the API'}: {detail}"
            ) from None
        except (openai.OpenAIError, ValueError) as exc:
            raise malformed(self.name, type(exc).__name__) from None

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
        return finish(
            text,
            model=getattr(response, "model", None) or self.model,
            input_tokens=as_int(getattr(usage, "prompt_tokens", None)),
            output_tokens=as_int(getattr(usage, "completion_tokens", None)),
            started=started,
            attempts=attempts,
            finish_reason=reason,
            price_model=self.model,
        )


def json_schema_format(schema: dict[str, Any]) -> dict[str, Any]:
    """The `response_format` asking for JSON that follows `schema`."""
    name = re.sub(r"[^A-Za-z0-9_-]", "_", str(schema.get("title") or "response"))[:64]
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}


def _make_client(api_key: str, base_url: str | None, headers: dict[str, str] | None) -> Any:
    import openai

    return openai.OpenAI(
        api_key=api_key,
        base_url=base_url,
        max_retries=0,
        default_headers=headers,
    )
