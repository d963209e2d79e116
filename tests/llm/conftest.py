"""Fixtures of the language-model tests: a scripted HTTP server and a quick retry policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mobile_agent.llm.retry import RetryPolicy

from .fake_server import FakeLLMServer, running_server


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    """A fake OpenAI/Anthropic server on loopback."""
    with running_server() as s:
        yield s


@pytest.fixture
def quick_retry() -> RetryPolicy:
    """Retries with pauses of a few milliseconds."""
    return RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05, jitter=0.5, deadline_s=20)
