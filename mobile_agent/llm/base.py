"""The one language-model contract: messages (and images) in; text, usage, latency out."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

Schema = dict[str, Any]
"""A JSON schema, as a dict."""


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


@dataclass(frozen=True)
class Image:
    """An image attached to a message (PNG or JPEG bytes)."""

    data: bytes
    mime: str = "image/png"

    def as_base64(self) -> str:
        """The base64 text of the image's bytes."""
        return base64.b64encode(self.data).decode("ascii")

    def as_data_url(self) -> str:
        """The image as a ``data:`` URL with base64 content."""
        return f"data:{self.mime};base64,{self.as_base64()}"


@dataclass(frozen=True)
class Message:
    """One chat message. Images ride on user messages."""

    role: Role
    text: str
    images: tuple[Image, ...] = ()


@dataclass(frozen=True)
class Usage:
    """Token usage and cost of one call. `input_tokens` counts every prompt token; of them,
    `cached_tokens` were read from the provider's prompt cache (billed lower) and
    `cache_write_tokens` were written to it (Anthropic bills those higher)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cached_tokens: int = 0
    cache_write_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cost_usd + other.cost_usd,
            self.cached_tokens + other.cached_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )


@dataclass(frozen=True)
class Completion:
    """What a model answered. `latency_s` is the whole call, retries and pauses included."""

    text: str
    usage: Usage = field(default_factory=Usage)
    latency_s: float = 0.0
    model: str = ""
    attempts: int = 1
    """How many requests the call took (retries included)."""
    finish_reason: str = ""
    """The provider's stop reason as it gave it ("stop", "end_turn", …), if any."""


@runtime_checkable
class ChatModel(Protocol):
    """Every backend (OpenAI-compatible, Anthropic, local, scripted) implements this.

    Errors are the `LLMError` subclasses of `mobile_agent.errors`.

    Cancellation: `cancel` is any object with ``is_set()`` (usually a `threading.Event`). Once
    it is set, `complete` raises `Cancelled` promptly — within about 0.1 s, even while a request
    hangs — and returns no reply. A backend that keeps this promise says so with a class
    attribute ``honours_cancel = True``; callers then call `complete` directly, with no watchdog
    thread of their own, and wrap any other backend in `retry.run_abandonable`. The network
    backends wait on each request through `retry.run_abandonable` (an abandoned request ends in
    the background within its own timeout); the local backend checks at every generated token
    (so its promptness is one token's time); the scripted backend checks during its pauses and
    before answering.
    """

    name: str

    def complete(
        self, messages: list[Message], *, response_schema: Schema | None = None, cancel: Any = None
    ) -> Completion: ...
