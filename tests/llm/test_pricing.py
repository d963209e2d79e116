"""The price table."""

from __future__ import annotations

import pytest

from mobile_agent.llm.pricing import DEFAULT_PRICES, Price, estimate_cost, price_for


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("gpt-4o", "gpt-4o"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-mini", "gpt-4o-mini"),
        ("GPT-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("openai/gpt-4.1-mini", "gpt-4.1-mini"),
        ("gpt-4.1", "gpt-4.1"),
        ("o3-mini", "o3-mini"),
        ("o1-preview", "o1"),
        ("claude-3-7-sonnet-20250219", "claude-3-7-sonnet"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("claude-opus-4-5", "claude-opus-4-5"),
        ("claude-opus-4-1", "claude-opus-4"),
        ("models/gemini-2.0-flash", "gemini-2.0-flash"),
        ("gemini-2.5-flash-lite", "gemini-2.5-flash-lite"),
        ("gemini-1.5-pro-002", "gemini-1.5-pro"),
        ("qwen-vl-max-latest", "qwen-vl-max"),
    ],
)
def test_models_find_their_most_specific_price(model, key):
    assert price_for(model) == DEFAULT_PRICES[key]
    assert price_for(model).known


@pytest.mark.parametrize("model", ["llava:13b", "o1x", "gpt-4oo", "", "my-finetune"])
def test_unknown_models_cost_nothing_and_say_so(model):
    price = price_for(model)
    assert not price.known
    assert estimate_cost(model, 10_000, 10_000) == 0.0


def test_cost_per_million_tokens():
    assert estimate_cost("gpt-4o", 1_000_000, 1_000_000) == pytest.approx(2.50 + 10.00)
    assert estimate_cost("claude-3-5-haiku-latest", 2_000, 500) == pytest.approx(
        (2_000 * 0.80 + 500 * 4.00) / 1e6
    )


def test_a_custom_table_overrides_the_defaults():
    table = {"house-model": Price(1.0, 2.0)}
    assert estimate_cost("house-model-v2", 1_000_000, 0, table) == 1.0
    assert not price_for("gpt-4o", table).known
