"""Logging set-up, with a filter that keeps secrets out of every record."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_TOKEN_CHARS = r"[A-Za-z0-9._~+/=\-]"  # what a bearer token is made of (RFC 6750)
_VALUE_CHARS = r"[^\s\"',}]"  # a value after "api_key:" runs up to a space, quote or comma


def _token(chars: str, least: int) -> str:
    """At least `least` of `chars` that look like a key, not a word: with a digit, or too
    long for a word. So "Bearer authentication failed" and "api_key: missing" stay readable."""
    return rf"(?={chars}*\d|{chars}{{24}}){chars}{{{least},}}"


_KEY_PATTERNS = [
    re.compile(r"sk-[A-Za-z0-9_\-]{8,}"),  # OpenAI-style and Anthropic (sk-ant-…)
    re.compile(r"AIza[0-9A-Za-z_\-]{20,}"),  # Google API keys
    re.compile(r"(?i)(bearer\s+)" + _token(_TOKEN_CHARS, 8)),
    # the key's name and its scheme are kept: "Authorization: Bearer ***"
    re.compile(
        r"(?i)((?:api[_-]?key|x-api-key|authorization)[\"']?\s*[:=]\s*[\"']?"
        r"(?:(?:bearer|basic|token)\s+)?)" + _token(_VALUE_CHARS, 6)
    ),
]
_known_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret value so that it is masked wherever it would be logged."""
    if value and len(value) >= 6:
        _known_secrets.add(value)


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """`text` with API keys and registered secrets replaced by `***` (the words around them,
    such as "Bearer", are kept)."""
    for secret in sorted({*_known_secrets, *extra}, key=len, reverse=True):  # longest first
        if secret:
            text = text.replace(secret, "***")
    for pattern in _KEY_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "***", text)
    return text


class RedactingFilter(logging.Filter):
    """Masks secrets in each record's message, traceback text and stack text.

    The record is shared by every handler, so what is masked stays masked for all of them;
    nothing else is taken away: `exc_info` stays for handlers that look at the exception,
    while the formatted traceback (`exc_text`, which formatters print instead of formatting
    `exc_info` again) is the masked one.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def setup_logging(verbosity: int = 0, level_name: str = "WARNING") -> None:
    """Configure the root logger for the command line (stderr, redacted).

    `level_name` is the configured level; each `-v` (`verbosity`) shows one level more.
    """
    configured = logging.getLevelName(level_name.upper())
    base = configured if isinstance(configured, int) else logging.WARNING
    level = max(logging.DEBUG, base - 10 * verbosity)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in (
        "urllib3",
        "httpx",
        "httpcore",
        "openai",
        "anthropic",
        "uiautomator2",
        "adbutils",
    ):
        logging.getLogger(noisy).setLevel(
            max(level, logging.INFO if verbosity >= 2 else logging.WARNING)
        )
