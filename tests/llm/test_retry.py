"""The retry policy on its own: which errors are retried, pauses, deadline, cancel."""

from __future__ import annotations

import email.utils
import random
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobile_agent.errors import (
    AuthFailed,
    BadRequest,
    Cancelled,
    DeadlineExceeded,
    LLMError,
    ProviderError,
    RateLimited,
)
from mobile_agent.llm.retry import (
    RetryPolicy,
    call_with_retries,
    parse_retry_after,
    wait_or_cancel,
)


class Flaky:
    """Raises the given errors in turn, then returns "ok"; counts calls and budgets."""

    def __init__(self, *errors: LLMError) -> None:
        self.errors = list(errors)
        self.budgets: list[float] = []

    def __call__(self, budget: float) -> str:
        self.budgets.append(budget)
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


FAST = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01, jitter=0.0, deadline_s=10)


def test_backoff_doubles_up_to_the_cap_without_jitter():
    policy = RetryPolicy(base_delay=1, max_delay=5, jitter=0)
    assert [policy.backoff(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]


@given(attempt=st.integers(1, 12), jitter=st.floats(0, 1), seed=st.integers(0, 2**32))
def test_jitter_stays_within_its_band(attempt, jitter, seed):
    policy = RetryPolicy(base_delay=0.5, max_delay=8, jitter=jitter)
    plain = min(8, 0.5 * 2 ** (attempt - 1))
    pause = policy.backoff(attempt, random.Random(seed))
    assert plain * (1 - jitter) - 1e-9 <= pause <= plain * (1 + jitter) + 1e-9


@pytest.mark.parametrize("bad", [{"max_attempts": 0}, {"jitter": 1.5}, {"deadline_s": 0}])
def test_policy_rejects_nonsense(bad):
    with pytest.raises(ValueError):
        RetryPolicy(**bad)


def test_transient_errors_are_retried_until_success():
    fn = Flaky(ProviderError("a"), RateLimited("b", retry_after=0), ProviderError("c"))
    assert call_with_retries(fn, FAST) == "ok"
    assert len(fn.budgets) == 4


@pytest.mark.parametrize("error", [AuthFailed("no"), BadRequest("no"), LLMError("no")])
def test_permanent_errors_are_raised_at_once(error):
    fn = Flaky(error)
    with pytest.raises(type(error)):
        call_with_retries(fn, FAST)
    assert len(fn.budgets) == 1


def test_last_error_is_raised_after_max_attempts():
    fn = Flaky(*[ProviderError(f"try {i}") for i in range(10)])
    with pytest.raises(ProviderError, match="try 3"):
        call_with_retries(fn, FAST)
    assert len(fn.budgets) == FAST.max_attempts


def test_retry_after_sets_the_minimum_pause():
    pauses: list[float] = []
    fn = Flaky(RateLimited("slow", retry_after=0.3))
    call_with_retries(fn, FAST, on_retry=lambda _n, _e, pause: pauses.append(pause))
    assert pauses == [pytest.approx(0.3)]


def test_retry_after_beyond_the_deadline_gives_up_at_once():
    fn = Flaky(RateLimited("slow", retry_after=3600))
    with pytest.raises(DeadlineExceeded) as caught:
        call_with_retries(fn, FAST)
    assert isinstance(caught.value.__cause__, RateLimited)
    assert len(fn.budgets) == 1


def test_each_attempt_gets_only_the_time_left():
    fn = Flaky(ProviderError("x"))
    call_with_retries(fn, RetryPolicy(base_delay=0.05, jitter=0, deadline_s=5))
    first, second = fn.budgets
    assert first <= 5
    assert second <= first - 0.05


def test_a_slow_attempt_is_abandoned_at_the_deadline():
    release = threading.Event()

    def stuck(budget: float) -> str:
        release.wait(30)
        return "late"

    try:
        with pytest.raises(DeadlineExceeded):
            call_with_retries(stuck, RetryPolicy(deadline_s=0.3))
    finally:
        release.set()


def test_cancel_set_beforehand_calls_nothing():
    cancel = threading.Event()
    cancel.set()
    fn = Flaky()
    with pytest.raises(Cancelled):
        call_with_retries(fn, FAST, cancel)
    assert fn.budgets == []


class FlagOnly:
    """An event-like object with nothing but is_set() (no wait())."""

    def __init__(self) -> None:
        self.flag = False

    def is_set(self) -> bool:
        return self.flag


@pytest.mark.timeout(20)
def test_wait_or_cancel_works_with_a_bare_flag():
    flag = FlagOnly()
    threading.Timer(0.1, lambda: setattr(flag, "flag", True)).start()
    with pytest.raises(Cancelled):
        wait_or_cancel(60, flag)


def test_wait_or_cancel_returns_after_the_pause():
    wait_or_cancel(0.01, threading.Event())
    wait_or_cancel(0.01, None)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "soon"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_parse_retry_after(headers, expected):
    assert parse_retry_after(headers) == expected


def test_parse_retry_after_http_date():
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    seconds = parse_retry_after({"retry-after": when})
    assert seconds is not None
    assert 25 <= seconds <= 31


@pytest.mark.timeout(60)  # a cancel that waited for the stuck attempt would fail here
def test_cancel_during_a_stuck_attempt_arrives_promptly():
    release = threading.Event()
    cancel = threading.Event()
    set_at: list[float] = []

    def stuck(budget: float) -> str:
        set_at.append(time.monotonic())
        cancel.set()
        release.wait(60)
        return "late"

    try:
        with pytest.raises(Cancelled, match="the-model"):
            call_with_retries(stuck, RetryPolicy(deadline_s=120), cancel, label="the-model")
        assert time.monotonic() - set_at[0] < 5.0
    finally:
        release.set()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ProviderError("the-model: no answer within 2.0 s"), "the-model: no answer within 2.0 s;"),
        (ProviderError("connection reset"), "the-model: connection reset;"),
    ],
)
def test_giving_up_at_the_deadline_names_the_model_once(error, expected):
    policy = RetryPolicy(base_delay=60, jitter=0, deadline_s=5)
    with pytest.raises(DeadlineExceeded) as caught:
        call_with_retries(Flaky(error), policy, label="the-model")
    message = str(caught.value)
    assert message.startswith(expected)
    assert message.count("the-model") == 1
    assert "deadline of 5 s" in message
