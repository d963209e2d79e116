"""Logging set-up, with a filter that keeps secrets out of every record."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_KEY_PATTERNS = [
    re.compile(r"sk-[A-Za-z0-9_\-]{8,}"),  # OpenAI-style and Anthropic (sk-ant-…)
    re.compile(r"AIza[0-9A-Za-z_\-]{20,}"),  # Google API keys
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]{8,}"),
    re.compile(
        r"(?i)((?:api[_-]?key|x-api-key|authorization)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]{6,}"
    ),
]
_known_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret value so that it is masked wherever it would be logged."""
    if value and len(value) >= 6:
        _known_secrets.add(value)


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """`text` with API keys and registered secrets replaced by `***`."""
    for secret in (*_known_secrets, *extra):
        if secret:
            text = text.replace(secret, "***")
    for pattern in _KEY_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "***", text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
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
