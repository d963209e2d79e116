"""How much of each prompt a provider's prompt cache can serve, and what that saves.

A listener of `ModelCalled` events keeps, for every call, its prompt, the part it shares from
the start with the same agent's previous prompt (what OpenAI's automatic prefix caching can
read) and its system message (what Anthropic caches at our `cache_control` mark). Costs are
estimated with list prices, tokens at 4 characters each as the scripted model counts them:

* OpenAI: a shared prefix of at least 1,024 tokens is read from the cache, in steps of 128;
* Anthropic: a system message of at least 1,024 tokens is written to the cache by the first
  call of an agent and read by the later ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mobile_agent.llm.pricing import Price, price_for

CHARS_PER_TOKEN = 4
MIN_CACHED_TOKENS = 1024  # the smallest prefix either provider caches
OPENAI_STEP = 128  # OpenAI caches prefixes in steps of this many tokens
REFERENCE_MODELS = ("gpt-4o", "claude-sonnet-4")
_SYSTEM_HEAD = "## system\n"


@dataclass(frozen=True)
class Call:
    """One model call as the cache sees it (sizes in characters)."""

    agent: str
    prompt: int
    shared: int  # the prefix shared with the same agent's previous prompt
    system: int  # the system message
    first: bool  # the agent's first call of the run
    output_tokens: int


@dataclass
class CacheTally:
    """Collects the calls of a run (a listener of run events)."""

    calls: list[Call] = field(default_factory=list)
    _last: dict[str, str] = field(default_factory=dict)

    def __call__(self, event: Any) -> None:
        if event.kind != "model_called":
            return
        prompt: str = event.prompt
        previous = self._last.get(event.agent)
        shared = shared_prefix(previous, prompt) if previous is not None else 0
        self._last[event.agent] = prompt
        self.calls.append(
            Call(
                event.agent,
                len(prompt),
                shared,
                _system_chars(prompt),
                previous is None,
                event.usage.output_tokens,
            )
        )


def shared_prefix(first: str, second: str) -> int:
    """How many characters `first` and `second` share from their start."""
    limit = min(len(first), len(second))
    for index in range(limit):
        if first[index] != second[index]:
            return index
    return limit


def _system_chars(prompt: str) -> int:
    if not prompt.startswith(_SYSTEM_HEAD):
        return 0
    end = prompt.find("\n\n## ", len(_SYSTEM_HEAD))
    return len(prompt) if end < 0 else end


def _tokens(chars: int) -> int:
    return chars // CHARS_PER_TOKEN


def openai_cached(call: Call) -> int:
    """Prompt tokens OpenAI's prefix cache can serve for `call`."""
    shared = _tokens(call.shared)
    return 0 if shared < MIN_CACHED_TOKENS else shared - shared % OPENAI_STEP


def anthropic_cached(call: Call) -> tuple[int, int]:
    """Prompt tokens read from and written to Anthropic's cache for `call`."""
    system = _tokens(call.system)
    if system < MIN_CACHED_TOKENS:
        return 0, 0
    return (0, system) if call.first else (system, 0)


def cost(calls: list[Call], price: Price, provider: str, *, cached: bool) -> float:
    """Dollars for `calls` at `price`, with the provider's cache or without one."""
    total = 0.0
    for call in calls:
        read = written = 0
        if cached and provider == "anthropic":
            read, written = anthropic_cached(call)
        elif cached:
            read = openai_cached(call)
        total += price.cost(_tokens(call.prompt), call.output_tokens, read, written)
    return total


def cache_report(tally: CacheTally, steps: int) -> dict[str, Any]:
    """The cacheable share of the prompts and the cost per step with and without caching."""
    calls = tally.calls
    prompt = sum(c.prompt for c in calls) or 1
    report: dict[str, Any] = {
        "cacheable_prefix_share": round(sum(c.shared for c in calls) / prompt, 3),
        "system_share": round(sum(c.system for c in calls) / prompt, 3),
        "cost_per_step_usd": {},
    }
    for model in REFERENCE_MODELS:
        provider = "anthropic" if model.startswith("claude") else "openai"
        price = price_for(model)
        without = cost(calls, price, provider, cached=False) / max(1, steps)
        with_cache = cost(calls, price, provider, cached=True) / max(1, steps)
        report["cost_per_step_usd"][model] = {
            "without_caching": round(without, 5),
            "with_caching": round(with_cache, 5),
            "ratio": round(with_cache / without, 3) if without else 1.0,
        }
    return report
