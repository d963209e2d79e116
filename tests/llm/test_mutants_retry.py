"""The retry policy at its edges: a pause that would outlast what is left of the deadline."""

from __future__ import annotations

import time

import pytest

from mobile_agent.errors import DeadlineExceeded, RateLimited
from mobile_agent.llm.retry import RetryPolicy, call_with_retries


def test_a_pause_longer_than_the_time_left_gives_up_before_pausing() -> None:
    """The pause (1.5 s) is shorter than the whole deadline (2 s) but longer than what the
    first attempt left of it (about 1 s): no pause is taken and no second attempt made."""
    budgets: list[float] = []
    pauses: list[float] = []

    def slow_then_limited(budget: float) -> str:
        budgets.append(budget)
        time.sleep(max(0.0, budget - 1.0))  # use up all but about a second of the deadline
        raise RateLimited("busy", retry_after=1.5)

    policy = RetryPolicy(max_attempts=4, base_delay=0.0, max_delay=0.0, jitter=0.0, deadline_s=2)
    with pytest.raises(DeadlineExceeded, match="after the deadline of 2 s") as caught:
        call_with_retries(slow_then_limited, policy, on_retry=lambda *a: pauses.append(a[2]))
    assert isinstance(caught.value.__cause__, RateLimited)
    assert len(budgets) == 1
    assert pauses == []


def test_a_pause_shorter_than_the_time_left_is_taken() -> None:
    """The same error with time to spare: the pause is taken and the call retried."""
    calls: list[float] = []

    def limited_once(budget: float) -> str:
        calls.append(budget)
        if len(calls) == 1:
            raise RateLimited("busy", retry_after=0.05)
        return "ok"

    policy = RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0, jitter=0.0, deadline_s=5)
    assert call_with_retries(limited_once, policy) == "ok"
    assert len(calls) == 2
    assert calls[1] < calls[0]
