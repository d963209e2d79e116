"""Failures both HTTP backends share, through the real SDKs against loopback: a cancel while a
request hangs, dead endpoints, base URLs that cannot work, a missing key, bodies that are not
JSON, and error messages that name the model once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from mobile_agent.errors import Cancelled, ConfigError, DeadlineExceeded, LLMError, ProviderError
from mobile_agent.llm.anthropic_model import AnthropicChatModel
from mobile_agent.llm.base import Message, Role
from mobile_agent.llm.openai_compat import OpenAIChatModel
from mobile_agent.llm.remote import RemoteChatModel
from mobile_agent.llm.retry import RetryPolicy

from .fake_server import (
    FakeLLMServer,
    Reply,
    anthropic_reply,
    cancel_on_arrival,
    closed_port,
    error_reply,
    openai_reply,
    unanswered_port,
)

KEY = "sk-test-remote-0123456789"
BACKENDS = ["openai", "anthropic"]
PATIENT = RetryPolicy(deadline_s=300)  # long enough that only a cancel ends a call
PROMPTLY_S = 5.0  # a cancel "arrives promptly": far below every timeout in play, even on a busy CI
NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
    "Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
    + "<!-- a padding comment to make the page long -->\r\n"
    * 20
)


def build(backend: str, root: str, **kwargs: Any) -> RemoteChatModel:
    """A backend talking to `root` (the OpenAI SDK wants `<root>/v1`, Anthropic's the root)."""
    kwargs.setdefault("api_key", KEY)
    if backend == "openai":
        return OpenAIChatModel("m-1", base_url=f"{root}/v1", **kwargs)
    return AnthropicChatModel("m-1", base_url=root, **kwargs)


def success(backend: str) -> Reply:
    return openai_reply("ok") if backend == "openai" else anthropic_reply("ok")


def ask() -> list[Message]:
    return [Message(Role.SYSTEM, "Be terse."), Message(Role.USER, "hello")]


class Reports:
    """An `on_retry` hook that keeps what it was told and cancels the call."""

    def __init__(self) -> None:
        self.errors: list[LLMError] = []
        self.cancel = threading.Event()

    def __call__(self, attempt: int, error: LLMError, pause: float) -> None:
        self.errors.append(error)
        self.cancel.set()


@pytest.mark.timeout(60)  # a cancel that waited for the 120 s request timeout would fail here
@pytest.mark.parametrize("backend", BACKENDS)
def test_cancel_while_the_request_hangs_arrives_promptly(server: FakeLLMServer, backend: str):
    cancel = threading.Event()
    server.respond(cancel_on_arrival(cancel))  # set only once the request is in flight
    model = build(backend, server.base_url, timeout_s=120, retry=PATIENT)

    with pytest.raises(Cancelled, match="m-1"):
        model.complete(ask(), cancel=cancel)

    [request] = server.requests
    assert time.monotonic() - request.at < PROMPTLY_S


@contextmanager
def refused_port() -> Iterator[int]:
    yield closed_port()


DEAD_ENDPOINTS = {
    # what the port does, the connect timeout, what the first report must say
    "refused": (refused_port, 120.0, "connection refused"),
    "unanswered": (unanswered_port, 0.5, "no connection within 0.5 s"),
}


@pytest.mark.timeout(60)  # a report that waited for the 120 s timeouts would fail here
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("endpoint", list(DEAD_ENDPOINTS))
def test_a_dead_endpoint_is_reported_at_once(backend: str, endpoint: str):
    port_of, connect_timeout_s, reason = DEAD_ENDPOINTS[endpoint]
    reports = Reports()
    with port_of() as port:
        model = build(
            backend,
            f"http://127.0.0.1:{port}",
            timeout_s=120,
            connect_timeout_s=connect_timeout_s,
            retry=PATIENT,
            on_retry=reports,
        )
        with pytest.raises(Cancelled):
            model.complete(ask(), cancel=reports.cancel)

    [error] = reports.errors  # reported after the first attempt
    assert isinstance(error, ProviderError)
    assert f"cannot connect to http://127.0.0.1:{port}" in str(error)
    assert reason in str(error)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("not a url", "does not start with http"),
        ("ftp://example.com/v1", "only http:// and https://"),
        ("http://[::1", "IPv6"),
        ("http://bücher.example/v1", "non-ASCII"),
        ("http://\x00\xff\x01/v1", "control character"),
        ("localhost:11434", "does not start with http://"),
        ("http://localhost:99999/v1", "port"),
    ],
)
def test_a_base_url_that_cannot_work_fails_before_any_request(backend, url, problem):
    backend_class = OpenAIChatModel if backend == "openai" else AnthropicChatModel
    with pytest.raises(ConfigError, match="base URL") as caught:
        backend_class("m-1", api_key=KEY, base_url=url)
    assert problem in str(caught.value)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("key", ["", "   "])
def test_a_missing_key_fails_before_any_request(server: FakeLLMServer, backend, key):
    server.script(success(backend))
    with pytest.raises(ConfigError, match="no API key"):
        build(backend, server.base_url, api_key=key, key_hint="Set THE_KEY_VARIABLE.")
    assert server.requests == []


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "reply",
    [
        Reply(body=NGINX_502, headers={"content-type": "text/html"}),
        Reply(body=NGINX_502),  # said to be JSON, but is not
        Reply(body='{"id": "msg_1", "choices": [{"index": 0, "mess'),  # cut off
    ],
    ids=["html-page", "html-as-json", "cut-off"],
)
def test_a_body_that_is_not_json_is_retried_with_a_short_message(server, backend, reply):
    server.script(reply, success(backend))
    reports: list[LLMError] = []
    policy = RetryPolicy(max_attempts=2, base_delay=0.01, deadline_s=20)
    model = build(backend, server.base_url, retry=policy, on_retry=lambda *a: reports.append(a[1]))

    assert model.complete(ask()).text == "ok"

    [error] = reports
    assert isinstance(error, ProviderError)
    message = str(error)
    assert "not JSON" in message
    assert "<" not in message
    assert len(message) < 300
    if "502 Bad Gateway" in str(reply.body):
        assert "502 Bad Gateway 502 Bad Gateway nginx/1.25.3" in message


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_html_error_page_becomes_a_short_detail(server: FakeLLMServer, backend: str):
    page = Reply(status=502, body=NGINX_502, headers={"content-type": "text/html"})
    server.script(page, page)
    policy = RetryPolicy(max_attempts=2, base_delay=0.01, deadline_s=20)

    with pytest.raises(ProviderError) as caught:
        build(backend, server.base_url, retry=policy).complete(ask())

    message = str(caught.value)
    assert "HTTP 502" in message
    assert "502 Bad Gateway" in message
    assert "<" not in message
    assert len(message) < 300


@pytest.mark.timeout(60)
@pytest.mark.parametrize("backend", BACKENDS)
def test_errors_and_retry_logs_name_the_model_once(server, backend, caplog):
    caplog.set_level("WARNING")
    server.script(Reply(hang=True))
    # the first attempt times out at 0.5 s; the next pause (30 s) would pass the deadline
    policy = RetryPolicy(max_attempts=2, base_delay=30, jitter=0, deadline_s=10)
    model = build(backend, server.base_url, timeout_s=0.5, retry=policy)

    with pytest.raises(DeadlineExceeded) as caught:
        model.complete(ask())

    message = str(caught.value)
    assert message.startswith(f"{backend}:m-1: no answer within 0.5 s")
    assert message.count("m-1") == 1
    server.script(error_reply(500, "boom"), success(backend))
    build(backend, server.base_url, retry=RetryPolicy(base_delay=0.01)).complete(ask())
    [logged] = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert logged.count("m-1") == 1
