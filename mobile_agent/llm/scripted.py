"""A `ChatModel` that replays scripted replies and records every prompt — for tests and demos.

A script is a list of entries, given in Python or in a file (``.json``: a list, or an object
with a ``"replies"`` list; ``.jsonl``: one entry per line). An entry is

* a string — the next reply in order;
* ``{"reply": "…"}`` — the same, with optional ``"usage": {"input_tokens": n,
  "output_tokens": n, "cost_usd": x}`` and ``"delay_s": s`` (a pause that a cancel ends);
* ``{"error": KIND, …}`` — raise a typed error instead (KIND: rate_limited, auth,
  bad_request, provider, deadline, truncated, cancelled; ``retry_after`` for rate_limited,
  ``message`` for any);
* a *rule*: any of the above plus ``"match": "text"`` (case-insensitive substring) or
  ``"regex": "pattern"``. Rules are looked at first, in script order; they are tested against
  the system prompt(s) and the last user message, so an agent's role name in its system prompt
  selects its replies whatever order the agents run in. A rule is used once unless it has
  ``"repeat": true``.

Calls that no rule answers take the next plain entry. When none is left, `ScriptExhausted`.
A set cancel raises `Cancelled` before an entry is taken, during a pause and before answering.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mobile_agent.errors import (
    AuthFailed,
    BadRequest,
    Cancelled,
    ConfigError,
    DeadlineExceeded,
    LLMError,
    ProviderError,
    RateLimited,
    Truncated,
)
from mobile_agent.llm.base import Completion, Message, Role, Schema, Usage
from mobile_agent.llm.retry import RetryPolicy, call_with_retries, check_cancel, wait_or_cancel

log = logging.getLogger(__name__)

_ERRORS: dict[str, type[LLMError]] = {
    "rate_limited": RateLimited,
    "auth": AuthFailed,
    "bad_request": BadRequest,
    "provider": ProviderError,
    "deadline": DeadlineExceeded,
    "truncated": Truncated,
    "cancelled": Cancelled,
}
_REPLY_KEYS = {"reply", "error", "retry_after", "message", "usage", "delay_s"}
_RULE_KEYS = {"match", "regex", "repeat"}


class ScriptExhausted(LLMError):
    """The scripted model was called more often than its script has replies."""


@dataclass(frozen=True)
class RecordedMessage:
    """One message of a recorded call: role, text and how many images it carried."""

    role: Role
    text: str
    image_count: int


@dataclass(frozen=True)
class RecordedCall:
    """One call of the scripted model and what it answered (or raised)."""

    messages: tuple[RecordedMessage, ...]
    response_schema: dict[str, Any] | None
    entry: int | None
    reply: str | None = None
    error: str | None = None

    @property
    def last_user_text(self) -> str:
        """Text of the last user message of the call."""
        return next((m.text for m in reversed(self.messages) if m.role == Role.USER), "")

    @property
    def image_count(self) -> int:
        """Images sent in the call, over all messages."""
        return sum(m.image_count for m in self.messages)


@dataclass
class _Entry:
    index: int
    spec: dict[str, Any]
    pattern: re.Pattern[str] | None = None
    repeat: bool = False
    used: bool = field(default=False)

    def matches(self, haystack: str) -> bool:
        return (
            self.pattern is not None
            and not (self.used and not self.repeat)
            and bool(self.pattern.search(haystack))
        )


class ScriptedChatModel:
    """Replays a script of replies; `calls` holds every prompt it was sent."""

    honours_cancel = True  # see `ChatModel`: callers need no watchdog thread

    def __init__(
        self,
        replies: Sequence[str | dict[str, Any]] = (),
        *,
        name: str = "scripted",
        retry: RetryPolicy | None = None,
        record_to: Path | None = None,
    ) -> None:
        self.name = name
        self.retry = retry
        self.record_to = record_to
        self.calls: list[RecordedCall] = []
        self._entries = [_parse_entry(i, e) for i, e in enumerate(replies)]
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> ScriptedChatModel:
        """A scripted model reading its entries from a JSON or JSONL file."""
        path = Path(path)
        kwargs.setdefault("name", f"scripted:{path.name}")
        return cls(load_script(path), **kwargs)

    def __repr__(self) -> str:
        return f"ScriptedChatModel(name={self.name!r}, remaining={self.remaining})"

    @property
    def remaining(self) -> int:
        """Plain (non-rule) entries not yet replayed."""
        return sum(1 for e in self._entries if e.pattern is None and not e.used)

    def complete(
        self, messages: list[Message], *, response_schema: Schema | None = None, cancel: Any = None
    ) -> Completion:
        """The next scripted reply for `messages` (or its scripted error)."""
        if self.retry is None:
            return self._once(messages, response_schema, cancel)
        return call_with_retries(
            lambda _budget: self._once(messages, response_schema, cancel),
            self.retry,
            cancel,
            label=self.name,
        )

    def _once(
        self, messages: list[Message], schema: dict[str, Any] | None, cancel: Any | None
    ) -> Completion:
        started = time.monotonic()
        check_cancel(cancel, self.name)
        with self._lock:
            entry = self._take(messages)
            recorded = self._record(messages, schema, entry)
        if entry is None:
            raise ScriptExhausted(
                f"{self.name}: the script has no reply left for call {len(self.calls)} "
                f"(last user message: {recorded.last_user_text[:80]!r})"
            )
        spec = entry.spec
        if spec.get("delay_s"):
            wait_or_cancel(float(spec["delay_s"]), cancel, self.name)
        check_cancel(cancel, self.name)  # a cancel that came while the entry was taken
        if "error" in spec:
            raise _error(spec, self.name)
        return _completion(spec, messages, self.name, started)

    def _take(self, messages: list[Message]) -> _Entry | None:
        haystack = _haystack(messages)
        entry = next((e for e in self._entries if e.matches(haystack)), None)
        if entry is None:
            entry = next((e for e in self._entries if e.pattern is None and not e.used), None)
        if entry is not None:
            entry.used = True
        return entry

    def _record(
        self, messages: list[Message], schema: dict[str, Any] | None, entry: _Entry | None
    ) -> RecordedCall:
        spec = entry.spec if entry else {}
        call = RecordedCall(
            messages=tuple(RecordedMessage(m.role, m.text, len(m.images)) for m in messages),
            response_schema=schema,
            entry=entry.index if entry else None,
            reply=spec.get("reply"),
            error=spec.get("error"),
        )
        self.calls.append(call)
        if self.record_to is not None:
            _append_jsonl(self.record_to, call)
        return call


def load_script(path: Path) -> list[str | dict[str, Any]]:
    """The entries of a script file (JSON list, JSON object with "replies", or JSONL)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the script {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text) if path.suffix.lower() != ".jsonl" else None
    except json.JSONDecodeError:
        data = None
    if data is None:
        data = _jsonl(text, path)
    if isinstance(data, dict):
        data = data.get("replies")
    if not isinstance(data, list):
        raise ConfigError(f"{path}: a script is a list of replies (or {{'replies': [...]}})")
    return data


def _jsonl(text: str, path: Path) -> list[Any]:
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{number}: not JSON: {exc.msg}") from exc
    return entries


def _parse_entry(index: int, raw: str | dict[str, Any]) -> _Entry:
    if isinstance(raw, str):
        return _Entry(index, {"reply": raw})
    if not isinstance(raw, dict):
        raise ConfigError(f"script entry {index}: expected a string or an object")
    unknown = set(raw) - _REPLY_KEYS - _RULE_KEYS
    if unknown or ("reply" in raw) == ("error" in raw):
        raise ConfigError(
            f"script entry {index}: needs exactly one of 'reply' or 'error'"
            + (f"; unknown keys {sorted(unknown)}" if unknown else "")
        )
    if "error" in raw and raw["error"] not in _ERRORS:
        raise ConfigError(f"script entry {index}: error must be one of {sorted(_ERRORS)}")
    return _Entry(index, dict(raw), _pattern(index, raw), bool(raw.get("repeat")))


def _pattern(index: int, raw: dict[str, Any]) -> re.Pattern[str] | None:
    try:
        if "regex" in raw:
            return re.compile(str(raw["regex"]), re.DOTALL)
        if "match" in raw:
            return re.compile(re.escape(str(raw["match"])), re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"script entry {index}: bad regex: {exc}") from exc
    return None


def _haystack(messages: list[Message]) -> str:
    system = [m.text for m in messages if m.role == Role.SYSTEM]
    last_user = next((m.text for m in reversed(messages) if m.role == Role.USER), "")
    return "\n".join([*system, last_user])


def _error(spec: dict[str, Any], name: str) -> LLMError:
    kind = spec["error"]
    message = f"{name}: {spec.get('message') or 'scripted ' + kind.replace('_', ' ')}"
    if kind == "rate_limited":
        after = spec.get("retry_after")
        return RateLimited(message, retry_after=float(after) if after is not None else None)
    return _ERRORS[kind](message)


def _completion(
    spec: dict[str, Any], messages: list[Message], name: str, started: float
) -> Completion:
    text = str(spec["reply"])
    given = spec.get("usage") or {}
    usage = Usage(
        int(given.get("input_tokens", estimate_tokens(messages))),
        int(given.get("output_tokens", max(1, len(text) // 4))),
        float(given.get("cost_usd", 0.0)),
    )
    return Completion(text, usage, time.monotonic() - started, name, finish_reason="stop")


def estimate_tokens(messages: list[Message]) -> int:
    """A rough prompt size: four characters a token, 85 tokens an image."""
    return sum(len(m.text) // 4 + 85 * len(m.images) for m in messages)


def _append_jsonl(path: Path, call: RecordedCall) -> None:
    row = {
        "messages": [
            {"role": str(m.role), "text": m.text, "images": m.image_count} for m in call.messages
        ],
        "entry": call.entry,
        "reply": call.reply,
        "error": call.error,
    }
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
