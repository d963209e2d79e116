"""The one language-model contract: messages (and images) in; text, usage, latency out."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


@dataclass(frozen=True)
class Image:
    """An image attached to a message (PNG or JPEG bytes)."""

    data: bytes
    mime: str = "image/png"


@dataclass(frozen=True)
class Message:
    """One chat message. Images ride on user messages."""

    role: Role
    text: str
    images: tuple[Image, ...] = ()


@dataclass(frozen=True)
class Usage:
    """Token usage and cost of one call."""

    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cost_usd + other.cost_usd,
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

    Errors are the `LLMError` subclasses of `mobile_agent.errors`; `cancel` (an event-like
    object with `is_set()`) lets the runner abandon an in-flight call.
    """

    name: str

    def complete(
        self,
        messages: list[Message],
        *,
        response_schema: dict[str, Any] | None = None,
        cancel: Any | None = None,
    ) -> Completion: ...
