"""Redaction masks the secret and nothing around it, and the logging filter takes nothing
away from the other handlers of a record: they keep the exception, and see it masked."""

from __future__ import annotations

import io
import logging
import secrets
import traceback
from collections.abc import Iterator

import pytest

from mobile_agent.logs import RedactingFilter, redact, register_secret

TOKEN = "abc.DEF-123_xyz"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Authorization: Bearer {TOKEN}", "Authorization: Bearer ***"),
        (f'{{"authorization": "Bearer {TOKEN}"}}', '{"authorization": "Bearer ***"}'),
        (f"authorization=bearer {TOKEN}; next", "authorization=bearer ***; next"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic ***"),
        (f"x-api-key: Token {TOKEN} sent", "x-api-key: Token *** sent"),
        (f"(Bearer {TOKEN}).", "(Bearer ***)."),
        ("Bearer " + "q" * 30 + " sent", "Bearer *** sent"),  # no digit, but no word is so long
    ],
)
def test_a_token_is_masked_and_its_header_name_and_scheme_are_kept(
    text: str, expected: str
) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bearer authentication failed",
        "the Authorization: Bearer header is missing",
        "authorization: required",
        "api_key: missing, set OPENAI_API_KEY",
        "x-api-key: invalid_api_key",
    ],
)
def test_words_that_follow_a_key_name_are_not_taken_for_keys(text: str) -> None:
    assert redact(text) == text


def test_a_registered_secret_that_contains_another_is_masked_whole() -> None:
    short = f"part-{secrets.token_hex(4)}"
    register_secret(short)
    register_secret(f"{short}-and-more")
    assert redact(f"key {short}-and-more, then {short}.") == "key ***, then ***."


@pytest.fixture
def two_handlers() -> Iterator[tuple[logging.Logger, io.StringIO, list[logging.LogRecord]]]:
    """A logger with a redacting stream handler and, after it, a handler that keeps the
    records it is given (as a second sink, e.g. an error reporter, would)."""
    out = io.StringIO()
    redacting = logging.StreamHandler(out)
    redacting.addFilter(RedactingFilter())
    kept: list[logging.LogRecord] = []
    keeper = logging.Handler()
    keeper.emit = kept.append  # type: ignore[method-assign]
    logger = logging.getLogger("tests.redaction.handlers")
    logger.handlers[:] = [redacting, keeper]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, out, kept
    finally:
        logger.handlers[:] = []
        logger.propagate = True


def test_the_filter_leaves_the_exception_to_the_other_handlers_and_masks_its_text(
    two_handlers: tuple[logging.Logger, io.StringIO, list[logging.LogRecord]],
) -> None:
    logger, out, kept = two_handlers
    key = f"sk-proj-{secrets.token_hex(10)}"
    try:
        raise RuntimeError(f"the server echoed Authorization: Bearer {key}")
    except RuntimeError:
        logger.exception("call failed")

    [record] = kept
    assert record.exc_info is not None  # the traceback is not taken from the other handlers
    assert isinstance(record.exc_info[1], RuntimeError)
    formatted = logging.Formatter().format(record)  # what any plain formatter writes
    for text in (out.getvalue(), formatted):
        assert "call failed" in text
        assert "Traceback (most recent call last)" in text
        assert "RuntimeError: the server echoed Authorization: Bearer ***" in text
        assert key not in text


def test_the_filter_masks_a_key_in_the_stack_text() -> None:
    key = f"sk-{secrets.token_hex(10)}"
    record = logging.LogRecord("t", logging.WARNING, __file__, 1, "looking", None, None)
    record.stack_info = "".join(traceback.format_stack()) + f"  token = {key!r}"
    RedactingFilter().filter(record)
    assert key not in record.stack_info
    assert record.stack_info.startswith("  File ")
    assert record.stack_info.endswith("  token = '***'")
