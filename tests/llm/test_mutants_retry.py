"""The retry policy at its edges: a pause that would outlast what is left of the deadline,
the limits of a policy, what a retry, a cancel and an abandoned attempt say."""

from __future__ import annotations

import logging
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import mobile_agent
from mobile_agent.errors import Cancelled, DeadlineExceeded, ProviderError, RateLimited
from mobile_agent.llm.retry import (
    RetryPolicy,
    call_with_retries,
    check_cancel,
    run_abandonable,
    wait_or_cancel,
)


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


DELAYS = "delays must not be negative and the deadline must be positive"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"max_attempts": 0}, "max_attempts must be at least 1"),
        ({"base_delay": -0.1}, DELAYS),
        ({"max_delay": -0.1}, DELAYS),
        ({"deadline_s": -1}, DELAYS),
        ({"jitter": -0.1}, "jitter must be between 0 and 1"),
    ],
)
def test_a_policy_out_of_range_says_what_is_wrong(settings: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        RetryPolicy(**settings)  # type: ignore[arg-type]


def test_the_edges_of_a_policy_are_allowed() -> None:
    policy = RetryPolicy(max_attempts=1, base_delay=0, max_delay=0, jitter=0, deadline_s=0.5)
    assert call_with_retries(lambda budget: budget, policy) <= 0.5  # under a second is enough
    assert RetryPolicy(jitter=1).jitter == 1


def test_jitter_spreads_the_pause_around_its_plain_value() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=8, jitter=0.5)
    assert policy.backoff(2, random.Random(7)) == 2 * (1 + random.Random(7).uniform(-0.5, 0.5))
    pauses = [policy.backoff(1, random.Random(seed)) for seed in range(40)]
    assert min(pauses) < 1 < max(pauses)


def test_retries_are_logged_and_reported_with_their_attempt(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[tuple[int, str, float]] = []
    errors = [ProviderError("gpt-4o: busy"), ProviderError("overloaded")]

    def flaky(budget: float) -> str:
        if errors:
            raise errors.pop(0)
        return "ok"

    policy = RetryPolicy(max_attempts=3, base_delay=0, max_delay=0, jitter=0, deadline_s=5)
    with caplog.at_level(logging.WARNING, logger="mobile_agent.llm.retry"):
        result = call_with_retries(
            flaky, policy, on_retry=lambda n, e, p: seen.append((n, str(e), p)), label="gpt-4o"
        )
    assert result == "ok"
    assert seen == [(1, "gpt-4o: busy", 0.0), (2, "overloaded", 0.0)]
    assert [r.getMessage() for r in caplog.records] == [
        "gpt-4o: busy (attempt 1/3); retrying in 0.0 s",
        "gpt-4o: overloaded (attempt 2/3); retrying in 0.0 s",
    ]


def test_a_cancel_during_a_pause_names_the_call() -> None:
    cancel = threading.Event()
    policy = RetryPolicy(max_attempts=3, base_delay=5, max_delay=5, jitter=0, deadline_s=30)

    def always_busy(budget: float) -> str:
        raise ProviderError("busy")

    with pytest.raises(Cancelled, match=r"^gpt-4o: cancelled$"):
        call_with_retries(
            always_busy, policy, cancel, on_retry=lambda *a: cancel.set(), label="gpt-4o"
        )
    cancel.clear()
    with pytest.raises(Cancelled, match=r"^model call: cancelled$"):
        call_with_retries(always_busy, policy, cancel, on_retry=lambda *a: cancel.set())


def test_a_cancel_set_beforehand_names_the_call() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled, match=r"^gpt-4o: cancelled$"):
        call_with_retries(lambda budget: "ok", RetryPolicy(), cancel, label="gpt-4o")
    with pytest.raises(Cancelled, match=r"^model call: cancelled$"):
        wait_or_cancel(1.0, cancel)


def test_an_abandoned_attempt_names_the_deadline_it_missed() -> None:
    release = threading.Event()
    try:
        with pytest.raises(
            DeadlineExceeded, match=r"^model call: no reply within the 0.3 s deadline$"
        ):
            call_with_retries(lambda budget: release.wait(30), RetryPolicy(deadline_s=0.3))
        with pytest.raises(DeadlineExceeded, match=r"^probe: no reply within 0.3 s$"):
            run_abandonable(lambda: release.wait(30), 0.3, None, "probe")
    finally:
        release.set()


def test_a_quick_call_under_a_short_limit_returns_its_value() -> None:
    def fine() -> str:
        time.sleep(0.1)  # still running when the wait starts
        return "fine"

    assert run_abandonable(fine, 0.5, None, "probe") == "fine"
    assert run_abandonable(fine, 0.5, threading.Event(), "probe") == "fine"


def test_an_abandoned_call_does_not_keep_the_program_from_exiting() -> None:
    """The program ends at once after giving up on a call that would hang for two minutes."""
    assert run_abandonable(lambda: "ok", 5.0, None, "probe") == "ok"  # here, and in a program:
    code = (
        "import threading\n"
        "from mobile_agent.llm.retry import run_abandonable\n"
        "try:\n"
        "    run_abandonable(lambda: threading.Event().wait(120), 0.2, None, 'probe')\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    package_root = str(Path(mobile_agent.__file__).resolve().parents[1])  # this very copy
    env = {**os.environ, "PYTHONPATH": package_root}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert (done.returncode, done.stdout.strip()) == (0, "DeadlineExceeded"), done.stderr


def test_a_cancel_without_a_label_names_the_model_call() -> None:
    check_cancel(threading.Event())  # not set: nothing happens
    flag = threading.Event()
    flag.set()
    with pytest.raises(Cancelled) as caught:
        check_cancel(flag)
    assert str(caught.value) == "model call: cancelled"
