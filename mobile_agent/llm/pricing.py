"""Estimated cost of model calls, from list prices in US dollars per million tokens.

Prices are the providers' published list prices for standard (non-batch) use and change over
time; prompt tokens read from a provider's cache cost `cached_ratio` of the input price, and
tokens written to it (Anthropic) `write_ratio`. They serve for the running cost estimate shown
to the user, not billing.
Models are matched by the longest table key that their name starts with, after any vendor
prefix such as ``openai/`` (OpenRouter) or ``models/`` (Gemini) is dropped. Unknown models
cost 0 with ``known=False``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    """Dollars per million input and output tokens."""

    input_per_m: float
    output_per_m: float
    known: bool = True
    cached_ratio: float = 0.5  # a cached prompt token's share of the input price
    write_ratio: float = 1.0  # a token written to the cache (Anthropic: 1.25)

    def cost(
        self, input_tokens: int, output_tokens: int, cached: int = 0, written: int = 0
    ) -> float:
        """Dollars for this many tokens; `cached` and `written` are part of `input_tokens`."""
        cached, written = min(cached, input_tokens), min(written, input_tokens - cached)
        plain = input_tokens - cached - written
        prompt = plain + cached * self.cached_ratio + written * self.write_ratio
        return (prompt * self.input_per_m + output_tokens * self.output_per_m) / 1e6


UNKNOWN = Price(0.0, 0.0, known=False)


def _claude(input_per_m: float, output_per_m: float) -> Price:
    """Anthropic's prices: cache reads at a tenth of the input price, writes at 1.25 times."""
    return Price(input_per_m, output_per_m, cached_ratio=0.1, write_ratio=1.25)


DEFAULT_PRICES: Mapping[str, Price] = {
    # OpenAI
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4o-2024-05-13": Price(5.00, 15.00),
    "chatgpt-4o": Price(5.00, 15.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4-turbo": Price(10.00, 30.00),
    "gpt-4.1": Price(2.00, 8.00, cached_ratio=0.25),
    "gpt-4.1-mini": Price(0.40, 1.60, cached_ratio=0.25),
    "gpt-4.1-nano": Price(0.10, 0.40, cached_ratio=0.25),
    "gpt-5": Price(1.25, 10.00, cached_ratio=0.1),
    "gpt-5-mini": Price(0.25, 2.00, cached_ratio=0.1),
    "gpt-5-nano": Price(0.05, 0.40, cached_ratio=0.1),
    "o1": Price(15.00, 60.00),
    "o1-mini": Price(1.10, 4.40),
    "o1-pro": Price(150.00, 600.00),
    "o3": Price(2.00, 8.00, cached_ratio=0.25),
    "o3-mini": Price(1.10, 4.40),
    "o3-pro": Price(20.00, 80.00),
    "o4-mini": Price(1.10, 4.40, cached_ratio=0.25),
    # Anthropic
    "claude-3-5-sonnet": _claude(3.00, 15.00),
    "claude-3-7-sonnet": _claude(3.00, 15.00),
    "claude-sonnet-4": _claude(3.00, 15.00),
    "claude-3-5-haiku": _claude(0.80, 4.00),
    "claude-3-haiku": _claude(0.25, 1.25),
    "claude-haiku-4": _claude(1.00, 5.00),
    "claude-3-opus": _claude(15.00, 75.00),
    "claude-opus-4": _claude(15.00, 75.00),
    "claude-opus-4-5": _claude(5.00, 25.00),
    # Google
    "gemini-1.5-flash": Price(0.075, 0.30),
    "gemini-1.5-flash-8b": Price(0.0375, 0.15),
    "gemini-1.5-pro": Price(1.25, 5.00),
    "gemini-2.0-flash": Price(0.10, 0.40),
    "gemini-2.0-flash-lite": Price(0.075, 0.30),
    "gemini-2.5-flash": Price(0.30, 2.50, cached_ratio=0.25),
    "gemini-2.5-flash-lite": Price(0.10, 0.40, cached_ratio=0.25),
    "gemini-2.5-pro": Price(1.25, 10.00, cached_ratio=0.25),
    # Alibaba (DashScope international)
    "qwen-vl-max": Price(0.80, 3.20),
    "qwen-vl-plus": Price(0.21, 0.63),
    "qwen2.5-vl-72b": Price(2.80, 8.40),
    "qwen2.5-vl-32b": Price(1.40, 4.20),
    "qwen2.5-vl-7b": Price(0.35, 1.05),
    "qwen-max": Price(1.60, 6.40),
    "qwen-plus": Price(0.40, 1.20),
}


def canonical_model(model: str) -> str:
    """`model` lower-cased, without a vendor prefix (``openai/gpt-4o`` → ``gpt-4o``)."""
    return model.strip().lower().rsplit("/", 1)[-1]


def price_for(model: str, table: Mapping[str, Price] | None = None) -> Price:
    """The price of `model`: the entry with the longest matching prefix, else `UNKNOWN`."""
    name = canonical_model(model)
    best: tuple[int, Price] | None = None
    for key, price in (table if table is not None else DEFAULT_PRICES).items():
        if _matches(name, key.lower()) and (best is None or len(key) > best[0]):
            best = (len(key), price)
    return best[1] if best else UNKNOWN


def _matches(name: str, key: str) -> bool:
    """`key` is `name`, or a prefix of it ending at a separator (so o1 ≠ o1x, 4o ≠ 4o1)."""
    return name == key or (name.startswith(key) and name[len(key)] in "-:@_.")


def estimate_cost(
    model: str,
    input_tokens: int,
    output_tokens: int,
    table: Mapping[str, Price] | None = None,
    *,
    cached: int = 0,
    written: int = 0,
) -> float:
    """Estimated dollars for one call of `model` (0 for unknown models); `cached` and
    `written` prompt tokens (part of `input_tokens`) at the cache's prices."""
    return price_for(model, table).cost(input_tokens, output_tokens, cached, written)
