"""Prompts shaped for providers' caches: Anthropic's `cache_control` on the fixed part, the
cached tokens each provider reports counted apart in usage and priced lower."""

from __future__ import annotations

import pytest

from mobile_agent.bench.caching import (
    CacheTally,
    Call,
    anthropic_cached,
    cache_report,
    openai_cached,
    shared_prefix,
)
from mobile_agent.events import ModelCalled
from mobile_agent.llm.anthropic_model import AnthropicChatModel
from mobile_agent.llm.base import Message, Role, Usage
from mobile_agent.llm.openai_compat import OpenAIChatModel
from mobile_agent.llm.pricing import estimate_cost, price_for

from .fake_server import anthropic_reply, openai_reply

SYSTEM = "Role: operator\nThe fixed part of the prompt."


def _messages() -> list[Message]:
    return [Message(Role.SYSTEM, SYSTEM), Message(Role.USER, "## Task\nsomething")]


def test_anthropic_marks_the_system_part_for_its_cache_and_counts_cache_tokens(server, quick_retry):
    reply = anthropic_reply("ok", input_tokens=200, output_tokens=10, model="claude-haiku-4-5")
    reply.body["usage"] |= {"cache_read_input_tokens": 3000, "cache_creation_input_tokens": 0}
    server.script(reply)
    model = AnthropicChatModel(
        "claude-haiku-4-5", api_key="sk-ant-x", base_url=server.base_url, retry=quick_retry
    )
    usage = model.complete(_messages()).usage
    [request] = server.requests
    assert request.body["system"] == [
        {"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}
    ]
    assert (usage.input_tokens, usage.cached_tokens, usage.cache_write_tokens) == (3200, 3000, 0)
    full = estimate_cost("claude-haiku-4-5", 3200, 10)
    assert usage.cost_usd == pytest.approx((200 * 1 + 3000 * 0.1 + 10 * 5) / 1e6)
    assert usage.cost_usd < full


def test_anthropic_cache_writes_cost_more_than_plain_input(server, quick_retry):
    reply = anthropic_reply("ok", input_tokens=100, output_tokens=0, model="claude-haiku-4-5")
    reply.body["usage"] |= {"cache_creation_input_tokens": 2000}
    server.script(reply)
    model = AnthropicChatModel(
        "claude-haiku-4-5", api_key="sk-ant-x", base_url=server.base_url, retry=quick_retry
    )
    usage = model.complete(_messages()).usage
    assert (usage.input_tokens, usage.cache_write_tokens) == (2100, 2000)
    assert usage.cost_usd == pytest.approx((100 * 1 + 2000 * 1.25) / 1e6)


def test_openai_reports_its_automatic_prefix_cache(server, quick_retry):
    reply = openai_reply("ok", prompt_tokens=4000, completion_tokens=20, model="gpt-4o")
    reply.body["usage"]["prompt_tokens_details"] = {"cached_tokens": 3072}
    server.script(reply)
    model = OpenAIChatModel("gpt-4o", api_key="sk-x", base_url=server.base_url, retry=quick_retry)
    usage = model.complete(_messages()).usage
    assert (usage.input_tokens, usage.cached_tokens) == (4000, 3072)
    assert usage.cost_usd == pytest.approx((928 * 2.5 + 3072 * 1.25 + 20 * 10) / 1e6)


def test_usage_adds_cache_counts() -> None:
    total = Usage(10, 1, 0.5, cached_tokens=4) + Usage(20, 2, 0.25, cache_write_tokens=7)
    assert total == Usage(30, 3, 0.75, 4, 7)


def test_cache_prices_per_provider() -> None:
    assert price_for("gpt-4o").cached_ratio == 0.5
    assert price_for("claude-haiku-4-5").cached_ratio == 0.1
    assert price_for("gpt-4.1-mini").cached_ratio == 0.25
    price = price_for("gpt-4o")
    assert price.cost(1000, 0, cached=5000) == pytest.approx(price.cost(1000, 0, cached=1000))


# -- the benchmark's accounting ----------------------------------------------------------
def _called(agent: str, prompt: str) -> ModelCalled:
    return ModelCalled(
        run_id="r",
        step=1,
        agent=agent,
        model="m",
        usage=Usage(len(prompt) // 4, 10),
        latency_s=0.0,
        attempt=1,
        ok=True,
        prompt_chars=len(prompt),
        prompt=prompt,
        reply="{}",
    )


def test_the_tally_measures_what_each_agent_shares_with_its_previous_prompt() -> None:
    system = "## system\n" + "r" * 6000
    tally = CacheTally()
    tally(_called("operator", f"{system}\n\n## user\nstep 1"))
    tally(_called("reflector", "## system\nother\n\n## user\nx"))
    tally(_called("operator", f"{system}\n\n## user\nstep 2"))
    first, other, second = tally.calls
    assert (first.shared, first.first) == (0, True)
    assert other.shared == 0  # another agent's prompt is not its prefix
    assert second.shared == len(system) + len("\n\n## user\nstep ")
    assert second.system == len(system) and not second.first
    assert openai_cached(first) == 0 and openai_cached(second) == 1408  # 1,506 in steps of 128
    assert anthropic_cached(first) == (0, 1502) and anthropic_cached(second) == (1502, 0)
    report = cache_report(tally, steps=2)
    assert 0.4 < report["cacheable_prefix_share"] < 0.6
    for cost in report["cost_per_step_usd"].values():
        assert cost["with_caching"] < cost["without_caching"]


def test_shared_prefix() -> None:
    assert shared_prefix("abcd", "abxy") == 2
    assert shared_prefix("ab", "abc") == 2
    assert shared_prefix("", "a") == 0


def test_a_short_system_part_is_not_cached() -> None:
    call = Call("reflector", 2000, 1990, 1000, False, 5)
    assert anthropic_cached(call) == (0, 0) and openai_cached(call) == 0
