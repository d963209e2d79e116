"""The one retry policy of every network backend, and the one way a hung call is abandoned.

A call is tried up to `max_attempts` times. Only errors whose `retryable` flag is set
(`RateLimited`, `ProviderError`) are retried; `AuthFailed`, `BadRequest` and the rest end the
call at once. Attempt *n* (1-based) is followed by a pause of
``min(max_delay, base_delay * 2 ** (n - 1))`` scaled by a random factor in
``[1 - jitter, 1 + jitter]`` — and never shorter than the provider's Retry-After.

The overall deadline bounds everything, pauses included: each attempt gets only the time that is
left, a pause that would outlast the deadline is not taken, and `DeadlineExceeded` is raised.
Each attempt runs on one worker thread (`run_abandonable`) so that a cancel (any object with
``is_set()``, such as a `threading.Event`) ends the wait within `POLL_S` with `Cancelled`, in
flight or during a pause; an abandoned attempt finishes in the background within its own
timeout.
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from mobile_agent.errors import Cancelled, DeadlineExceeded, LLMError, RateLimited
from mobile_agent.logs import redact

log = logging.getLogger(__name__)

T = TypeVar("T")
POLL_S = 0.05
"""How often a wait looks at the cancel flag: the longest a cancel goes unnoticed."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a model call is retried."""

    max_attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 20.0
    jitter: float = 0.25
    deadline_s: float = 180.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.deadline_s <= 0:
            raise ValueError("delays must not be negative and the deadline must be positive")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Pause after failed attempt number `attempt` (1-based), jitter included."""
        delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        spread = (rng or random).uniform(-self.jitter, self.jitter)
        return max(0.0, delay * (1 + spread))


RetryHook = Callable[[int, LLMError, float], None]


def call_with_retries(
    fn: Callable[[float], T],
    policy: RetryPolicy,
    cancel: Any | None = None,
    *,
    on_retry: RetryHook | None = None,
    label: str = "model call",
) -> T:
    """Run `fn(time_budget_s)` under `policy`; return its result or raise an `LLMError`.

    `fn` receives the seconds left before the deadline and must not take longer (pass it
    as the request timeout). `on_retry(attempt, error, pause_s)` is called before each pause.
    """
    deadline = time.monotonic() + policy.deadline_s
    attempt = 0
    while True:
        attempt += 1
        check_cancel(cancel, label)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded(f"{label}: no reply within {policy.deadline_s:g} s")
        try:
            work = partial(fn, remaining)
            return run_abandonable(work, remaining, cancel, label, deadline_s=policy.deadline_s)
        except LLMError as err:
            if not err.retryable or attempt >= policy.max_attempts:
                raise
            pause = _pause_for(err, attempt, policy)
            left = deadline - time.monotonic()
            if pause >= left:
                raise DeadlineExceeded(
                    f"{named(label, err)}; the next try would come after the deadline "
                    f"of {policy.deadline_s:g} s"
                ) from err
            log.warning(
                "%s (attempt %d/%d); retrying in %.1f s",
                redact(named(label, err)),
                attempt,
                policy.max_attempts,
                pause,
            )
            if on_retry is not None:
                on_retry(attempt, err, pause)
            wait_or_cancel(pause, cancel, label)


def _pause_for(err: LLMError, attempt: int, policy: RetryPolicy) -> float:
    pause = policy.backoff(attempt)
    if isinstance(err, RateLimited) and err.retry_after is not None:
        pause = max(pause, err.retry_after)
    return pause


def named(label: str, err: BaseException) -> str:
    """The message of `err`, starting with `label` once (backends' errors name their model)."""
    text = str(err)
    return text if text.startswith(f"{label}:") else f"{label}: {text}"


def check_cancel(cancel: Any | None, label: str = "model call") -> None:
    """Raise `Cancelled` if `cancel` is set."""
    if cancel is not None and cancel.is_set():
        raise Cancelled(f"{label}: cancelled")


def wait_or_cancel(seconds: float, cancel: Any | None, label: str = "model call") -> None:
    """Wait `seconds`, raising `Cancelled` as soon as `cancel` is set."""
    end = time.monotonic() + seconds
    if cancel is None:
        threading.Event().wait(seconds)
        return
    while True:
        check_cancel(cancel, label)
        left = end - time.monotonic()
        if left <= 0:
            return
        _wait_flag(cancel, min(left, POLL_S))


def _wait_flag(cancel: Any, seconds: float) -> None:
    waiter = getattr(cancel, "wait", None)
    if callable(waiter):
        waiter(seconds)
    else:
        threading.Event().wait(seconds)


class _Outcome(Generic[T]):
    """Result or error of a worker thread, with a flag to wait on."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None


def run_abandonable(
    fn: Callable[[], T],
    timeout_s: float,
    cancel: Any | None,
    label: str,
    *,
    deadline_s: float | None = None,
) -> T:
    """`fn()` run on a worker thread; stop waiting when `cancel` is set or `timeout_s` passes.

    The one place a blocking call is left behind: `Cancelled` comes within `POLL_S` of the
    cancel, `DeadlineExceeded` at `timeout_s` (its message names `deadline_s`, the whole
    call's deadline, when given); the thread itself ends when `fn` returns.
    """
    outcome: _Outcome[T] = _Outcome()

    def work() -> None:
        try:
            outcome.value = fn()
        except BaseException as exc:  # handed over to the waiting thread
            outcome.error = exc
        finally:
            outcome.done.set()

    threading.Thread(target=work, name="llm-call", daemon=True).start()
    end = time.monotonic() + timeout_s
    while not outcome.done.is_set():
        check_cancel(cancel, label)
        left = end - time.monotonic()
        if left <= 0:
            within = f"the {deadline_s:g} s deadline" if deadline_s else f"{timeout_s:.1f} s"
            raise DeadlineExceeded(f"{label}: no reply within {within}")
        outcome.done.wait(min(left, POLL_S) if cancel is not None else left)
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait according to `retry-after-ms` / `retry-after` (seconds or HTTP date)."""
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = lowered.get(name)
        if value is None:
            continue
        seconds: float | None
        try:
            seconds = float(value) / scale
        except ValueError:
            seconds = _seconds_until(value)
        if seconds is not None and math.isfinite(seconds):
            return max(0.0, seconds)
    return None


def _seconds_until(http_date: str) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()
