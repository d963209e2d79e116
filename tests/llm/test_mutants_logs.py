"""Keeping keys out of logs: keys nobody registered, the logging filter, the log levels."""

from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Iterator

import pytest

from mobile_agent.logs import RedactingFilter, redact, register_secret, setup_logging

OPENAI_LIKE = "sk-proj-" + "a1B2c3D4e5F6g7H8"
GOOGLE_LIKE = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2"
NOISY = ("urllib3", "httpx", "httpcore", "openai", "anthropic", "uiautomator2", "adbutils")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"key {OPENAI_LIKE} refused", "key *** refused"),
        (f"key={GOOGLE_LIKE}", "key=***"),
        ("sent Bearer abc.DEF-123_xyz twice", "sent Bearer *** twice"),
        ("sent bearer abc.DEF-123_xyz", "sent bearer ***"),
        ('{"api_key": "q9w8e7r6t5y4"}', '{"api_key": "***"}'),
        ("x-api-key: q9w8e7r6t5y4, next", "x-api-key: ***, next"),
        ("apikey=q9w8e7r6t5y4 more", "apikey=*** more"),
    ],
)
def test_keys_never_registered_are_masked_by_their_shape(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_an_authorization_header_loses_its_token() -> None:
    masked = redact("Authorization: Bearer abc.DEF-123_xyz")
    assert masked.startswith("Authorization: ") and masked.endswith("***")
    assert "abc" not in masked


@pytest.mark.parametrize(
    "text",
    [
        "sk-short and a task",  # too short to be a key
        "Bearer token",  # the word, not a token
        "api_key: abc",  # too short a value
        "a skill-building exercise",
        "",
    ],
)
def test_text_that_only_looks_a_little_like_a_key_is_kept(text: str) -> None:
    assert redact(text) == text


def test_registered_and_extra_secrets_are_masked_wherever_they_appear() -> None:
    register_secret("plain-looking-secret-1")
    register_secret("tiny")  # under six characters: not worth masking (it would mask words)
    register_secret(None)
    register_secret("")
    text = "a plain-looking-secret-1 and tiny and the-extra-one"
    assert redact(text, ["the-extra-one", ""]) == "a *** and tiny and ***"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose only handler writes to a buffer through the redacting filter."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, out
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_the_filter_masks_a_key_passed_as_an_argument(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = captured
    logger.warning("calling %s with %s", "gpt-4o", OPENAI_LIKE)
    logger.info("headers %r", {"X-Api-Key": "zyx987wvu654"})
    lines = out.getvalue().splitlines()
    assert lines == ["calling gpt-4o with ***", "headers {'X-Api-Key': '***'}"]


def test_the_filter_keeps_clean_records_as_they_are(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = captured
    records: list[logging.LogRecord] = []
    keep = logging.Handler()
    keep.emit = records.append  # type: ignore[method-assign]
    keep.addFilter(RedactingFilter())
    logger.addHandler(keep)
    try:
        logger.warning("step %d of %d", 3, 10)
    finally:
        logger.removeHandler(keep)
    assert out.getvalue() == "step 3 of 10\n"
    assert records[0].msg == "step %d of %d" and records[0].args == (3, 10)


def test_the_filter_masks_a_key_in_an_exception_traceback(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = captured
    try:
        raise RuntimeError(f"the server refused {OPENAI_LIKE}")
    except RuntimeError:
        logger.exception("call failed")
    text = out.getvalue()
    assert "call failed" in text
    assert "RuntimeError: the server refused ***" in text
    assert OPENAI_LIKE not in text


@pytest.fixture
def root_logging() -> Iterator[logging.Logger]:
    """The root logger (and the noisy libraries' loggers) restored after the test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in NOISY}
    try:
        yield root
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)


@pytest.mark.parametrize(
    ("verbosity", "configured", "root_level", "library_level"),
    [
        (0, "WARNING", logging.WARNING, logging.WARNING),
        (1, "WARNING", logging.INFO, logging.WARNING),
        (2, "WARNING", logging.DEBUG, logging.INFO),
        (5, "WARNING", logging.DEBUG, logging.INFO),
        (0, "info", logging.INFO, logging.WARNING),
        (0, "ERROR", logging.ERROR, logging.ERROR),
        (0, "nonsense", logging.WARNING, logging.WARNING),
    ],
)
def test_setup_logging_levels(
    root_logging: logging.Logger,
    verbosity: int,
    configured: str,
    root_level: int,
    library_level: int,
) -> None:
    setup_logging(verbosity=verbosity, level_name=configured)
    assert root_logging.level == root_level
    assert {logging.getLogger(name).level for name in NOISY} == {library_level}


def test_setup_logging_writes_one_redacted_line_per_record(
    root_logging: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging()
    assert len(root_logging.handlers) == 1
    logging.getLogger("mobile_agent.test").warning("key %s", OPENAI_LIKE)
    err = capsys.readouterr().err
    assert err.rstrip().endswith("WARNING mobile_agent.test: key ***")
    assert OPENAI_LIKE not in err


def test_a_key_found_in_the_environment_is_masked_in_logs_from_then_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mobile_agent.llm.keys import find_api_key

    key = f"plainkey-{secrets.token_hex(6)}"  # never seen before in this process
    monkeypatch.setenv("MOBILE_AGENT_TEST_KEY", f"  {key}  ")
    assert redact(f"sent {key}") == f"sent {key}"
    assert find_api_key("example", ["MOBILE_AGENT_TEST_KEY"]) == key
    assert redact(f"sent {key}") == "sent ***"
