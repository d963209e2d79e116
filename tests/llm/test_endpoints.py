"""Base URLs checked before any request, and failed connections described in plain words."""

from __future__ import annotations

import itertools
import socket
import ssl

import pytest

from mobile_agent.errors import ConfigError
from mobile_agent.llm.endpoints import check_base_url, connection_failure
from mobile_agent.llm.factory import make_chat_model


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://localhost:11434/v1", "http://localhost:11434/v1"),
        ("  https://api.openai.com/v1/\n", "https://api.openai.com/v1/"),
        ("HTTPS://Example.COM", "HTTPS://Example.COM"),
        ("http://[::1]:8000/v1", "http://[::1]:8000/v1"),
        ("http://10.0.0.7:8000", "http://10.0.0.7:8000"),
        ("http://vllm_server:8000/v1", "http://vllm_server:8000/v1"),
        ("https://xn--bcher-kva.example/v1?api-version=2024-06-01", None),
    ],
)
def test_urls_that_can_work_come_back_trimmed(url, expected):
    assert check_base_url(url) == (expected or url)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "it is empty"),
        ("not a url", "does not start with http:// or https://"),
        ("localhost:11434/v1", "does not start with http:// or https://"),
        ("://localhost", "does not start with http:// or https://"),
        ("ftp://example.com/v1", "it uses ftp://, but only http:// and https://"),
        ("http://[::1", "an IPv6 address needs both [ and ]"),
        ("http://[::zz]:80/", "its host in [ ] is not an IPv6 address"),
        ("http:///v1", "names no host"),
        ("http://a..b/v1", "not a valid host name"),
        ("http://-x-.example/v1", "not a valid host name"),
        ("http://example.com:99999/v1", "port is not a number from 1 to 65535"),
        ("http://example.com:http/v1", "port is not a number"),
        ("http://example.com:0/v1", "port is not a number"),
        ("http://bücher.example/v1", "a non-ASCII character, 'ü' at position 9"),
        ("http://example.com/v1\u200b", "non-ASCII"),
        ("http://\x00\xff/v1", "control character, '\\x00'"),
        ("http://exa\udcffmple.com/v1", "non-ASCII"),  # an undecodable byte from the environment
    ],
)
def test_urls_that_cannot_work_say_why(url, problem):
    with pytest.raises(ConfigError) as caught:
        check_base_url(url)
    message = str(caught.value)
    assert message.startswith("the base URL ")
    assert "cannot work" in message
    assert problem in message


def test_a_long_bad_url_is_quoted_short():
    with pytest.raises(ConfigError) as caught:
        check_base_url("gopher://" + "x" * 500)
    assert len(str(caught.value)) < 250


def test_the_factory_checks_the_url_before_anything_else():
    with pytest.raises(ConfigError, match="only http:// and https://"):
        make_chat_model("openai-compatible:m", base_url="ftp://example.com/v1")
    with pytest.raises(ConfigError, match="does not start with http://"):
        make_chat_model("ollama:llava", base_url="localhost:11434")


def chained(*errors: BaseException) -> BaseException:
    """`errors[0]`, raised from `errors[1]`, raised from `errors[2]`, …"""
    for outer, inner in itertools.pairwise(errors):
        outer.__cause__ = inner
    return errors[0]


WHERE = "http://example.com/v1/"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            chained(OSError("Connection error."), ConnectionRefusedError(111, "refused")),
            f"cannot connect to {WHERE}: connection refused",
        ),
        (
            chained(OSError("Connection error."), socket.gaierror(-2, "Name not known")),
            f"cannot connect to {WHERE}: the host name cannot be resolved",
        ),
        (
            chained(OSError("Connection error."), ssl.SSLError(1, "WRONG_VERSION_NUMBER")),
            f"cannot connect to {WHERE}: the TLS handshake failed",
        ),
        (OSError("something odd"), f"cannot connect to {WHERE}: something odd"),
    ],
)
def test_connection_failures_in_plain_words(error, expected):
    assert connection_failure(error, WHERE, connect_s=10, read_s=60).startswith(expected)
