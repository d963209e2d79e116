"""What a provider's reply becomes: a `Completion`, or the typed `LLMError` for its HTTP status
or its defects (cut at the token limit, not following the API, not JSON at all)."""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterable
from typing import Any

from mobile_agent.errors import (
    AuthFailed,
    BadRequest,
    LLMError,
    ProviderError,
    RateLimited,
    Truncated,
)
from mobile_agent.llm.base import Completion, Usage
from mobile_agent.llm.pricing import estimate_cost, price_for
from mobile_agent.logs import redact

_EXCERPT_LIMIT = 200
_HTML = re.compile(r"<\s*(!doctype|html|head|body|title)\b", re.IGNORECASE)
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def excerpt(body: str | bytes, secrets: Iterable[str] = (), limit: int = _EXCERPT_LIMIT) -> str:
    """The start of a body as one short, redacted line; an HTML page is reduced to its text."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if _HTML.search(text):
        text = html.unescape(_TAG.sub(" ", text))
    text = redact(" ".join(text.split()), secrets)
    if len(text) > limit:
        return text[:limit] + "…"
    return text or "an empty body"


def error_detail(body: object, fallback: str = "", secrets: Iterable[str] = ()) -> str:
    """A short, redacted description of an error response body."""
    text = ""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            text = str(inner.get("message") or inner.get("type") or "")
        elif isinstance(inner, str):
            text = inner
        if not text:
            text = json.dumps(body)
    elif isinstance(body, bytes | str) and body:
        text = body.decode(errors="replace") if isinstance(body, bytes) else body
    return excerpt(text, secrets) if text else redact(fallback, secrets)


def error_code(body: object) -> str:
    """The provider's machine-readable error code or type, if the body has one."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("code") or inner.get("type") or "")
    return ""


def error_for_status(
    status: int,
    detail: str,
    *,
    label: str,
    retry_after: float | None = None,
    code: str = "",
    key_hint: str = "",
) -> LLMError:
    """The typed error for an HTTP error `status` (`detail` must already be redacted)."""
    where = f"{label}: HTTP {status}"
    if status == 429:
        err: LLMError = RateLimited(f"{where} rate limited: {detail}", retry_after=retry_after)
        if code == "insufficient_quota":
            err.retryable = False  # out of credit; waiting will not help
        return err
    if status in (401, 403):
        hint = f" {key_hint}" if key_hint else ""
        verb = "rejected the API key" if status == 401 else "refused access"
        return AuthFailed(f"{where} {verb}: {detail}.{hint}")
    if status == 408 or status >= 500:
        return ProviderError(f"{where} server error: {detail}")
    if status == 402:
        return BadRequest(f"{where} payment required (out of credit?): {detail}")
    if status == 404:
        return BadRequest(f"{where} not found (wrong model name or base URL?): {detail}")
    return BadRequest(f"{where} request rejected: {detail}")


def truncated(label: str, partial_text: str) -> Truncated:
    """The error for a reply cut at the token limit; keeps the partial text."""
    err = Truncated(f"{label}: the reply was cut at the output-token limit")
    err.partial_text = partial_text  # type: ignore[attr-defined]
    return err


def malformed(label: str, what: str) -> ProviderError:
    """A non-retryable error for a reply that does not follow the API."""
    err = ProviderError(f"{label}: malformed reply ({what})")
    err.retryable = False
    return err


def not_json(label: str, body: str | bytes, secrets: Iterable[str] = ()) -> ProviderError:
    """A retryable error for a body that is not JSON at all (a proxy's error page, a cut body)."""
    return ProviderError(f"{label}: malformed reply, not JSON: {excerpt(body, secrets)}")


def finish(
    text: str,
    *,
    model: str,
    input_tokens: int | None,
    output_tokens: int | None,
    started: float,
    attempts: int = 1,
    finish_reason: str = "",
    price_model: str = "",
    cached_tokens: int | None = None,
    cache_write_tokens: int | None = None,
) -> Completion:
    """The `Completion` of a call that started at `time.monotonic()` value `started`.

    Cost is priced as `price_model` (the model asked for) when the table knows it, else as the
    `model` the provider reported; prompt tokens read from (or written to) the provider's
    cache, part of `input_tokens`, at the cache's prices.
    """
    tokens_in, tokens_out = int(input_tokens or 0), int(output_tokens or 0)
    cached, written = int(cached_tokens or 0), int(cache_write_tokens or 0)
    priced = price_model if price_model and price_for(price_model).known else model
    cost = estimate_cost(priced, tokens_in, tokens_out, cached=cached, written=written)
    usage = Usage(tokens_in, tokens_out, cost, cached, written)
    return Completion(
        text=text,
        usage=usage,
        latency_s=time.monotonic() - started,
        model=model,
        attempts=attempts,
        finish_reason=finish_reason,
    )


def as_int(value: Any) -> int | None:
    """`value` as an int when it is a number, else None."""
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
