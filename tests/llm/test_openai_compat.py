"""The OpenAI-compatible backend, through the real `openai` SDK, against a loopback server."""

from __future__ import annotations

import base64
import threading

import pytest

from mobile_agent.errors import (
    AuthFailed,
    BadRequest,
    Cancelled,
    DeadlineExceeded,
    LLMError,
    ProviderError,
    RateLimited,
    Truncated,
)
from mobile_agent.llm.base import ChatModel, Image, Message, Role
from mobile_agent.llm.openai_compat import OpenAIChatModel
from mobile_agent.llm.retry import RetryPolicy

from .fake_server import FakeLLMServer, Reply, error_reply, openai_reply

KEY = "sk-test-0123456789abcdef"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def make_model(server: FakeLLMServer, retry: RetryPolicy, **kwargs: object) -> OpenAIChatModel:
    return OpenAIChatModel(
        kwargs.pop("model", "gpt-4o-mini"),  # type: ignore[arg-type]
        api_key=str(kwargs.pop("api_key", KEY)),
        base_url=f"{server.base_url}/v1",
        retry=retry,
        timeout_s=float(kwargs.pop("timeout_s", 10)),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def ask(text: str = "hello") -> list[Message]:
    return [Message(Role.SYSTEM, "You are terse."), Message(Role.USER, text)]


def test_success_carries_text_usage_cost_and_latency(server, quick_retry):
    server.script(openai_reply("hi there", prompt_tokens=1000, completion_tokens=500))
    model = make_model(server, quick_retry)

    completion = model.complete(ask())

    assert isinstance(model, ChatModel)
    assert completion.text == "hi there"
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (1000, 500)
    assert completion.usage.cost_usd == pytest.approx((1000 * 0.15 + 500 * 0.60) / 1e6)
    assert completion.latency_s > 0
    assert completion.attempts == 1
    assert completion.finish_reason == "stop"
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "gpt-4o-mini"
    assert request.body["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "hello"},
    ]


def test_images_travel_as_base64_data_urls(server, quick_retry):
    server.script(openai_reply("seen"))
    model = make_model(server, quick_retry, image_detail="high")

    images = (Image(PNG), Image(b"jpg", "image/jpeg"))
    model.complete([Message(Role.USER, "what is on screen?", images)])

    parts = server.requests[0].body["messages"][0]["content"]
    assert parts[0] == {"type": "text", "text": "what is on screen?"}
    assert parts[1]["image_url"]["url"] == "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert parts[1]["image_url"]["detail"] == "high"
    assert parts[2]["image_url"]["url"].startswith("data:image/jpeg;base64,")
    assert base64.b64decode(parts[2]["image_url"]["url"].split(",", 1)[1]) == b"jpg"


@pytest.mark.parametrize("supported", [True, False])
def test_response_schema_sent_only_when_supported(server, quick_retry, supported):
    server.script(openai_reply('{"a": 1}'))
    model = make_model(
        server,
        quick_retry,
        json_schema=supported,
        max_tokens=99,
        max_tokens_param="max_completion_tokens",
    )
    schema = {
        "title": "Operator output",
        "type": "object",
        "properties": {"a": {"type": "integer"}},
    }

    model.complete(ask(), response_schema=schema)

    body = server.requests[0].body
    assert body["max_completion_tokens"] == 99
    if supported:
        assert body["response_format"]["type"] == "json_schema"
        assert body["response_format"]["json_schema"]["name"] == "Operator_output"
        assert body["response_format"]["json_schema"]["schema"] == schema
    else:
        assert "response_format" not in body


def test_rate_limit_waits_at_least_retry_after(server, quick_retry):
    server.script(error_reply(429, "slow down", headers={"retry-after": "1"}), openai_reply("ok"))
    model = make_model(server, quick_retry)

    completion = model.complete(ask())

    assert completion.text == "ok"
    assert completion.attempts == 2
    first, second = server.requests
    assert second.at - first.at >= 1.0


def test_server_errors_are_retried_then_succeed(server, quick_retry):
    server.script(error_reply(500, "boom"), error_reply(503, "busy"), openai_reply("fine"))
    completion = make_model(server, quick_retry).complete(ask())
    assert completion.text == "fine"
    assert completion.attempts == 3
    assert len(server.requests) == 3


def test_persistent_server_error_ends_after_max_attempts(server, quick_retry):
    server.script(*[error_reply(502, "bad gateway")] * 5)
    with pytest.raises(ProviderError, match="502"):
        make_model(server, quick_retry).complete(ask())
    assert len(server.requests) == quick_retry.max_attempts


def test_unauthorized_stops_at_once_with_a_clear_message(server, quick_retry):
    server.script(error_reply(401, "Incorrect API key provided"), openai_reply("never"))
    model = make_model(server, quick_retry, key_hint="Set OPENAI_API_KEY.")

    with pytest.raises(AuthFailed) as caught:
        model.complete(ask())

    assert len(server.requests) == 1
    message = str(caught.value)
    assert "401" in message
    assert "Incorrect API key provided" in message
    assert "OPENAI_API_KEY" in message


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, BadRequest), (403, AuthFailed), (404, BadRequest), (422, BadRequest)],
)
def test_client_errors_are_not_retried(server, quick_retry, status, error):
    server.script(error_reply(status, "nope"), openai_reply("never"))
    with pytest.raises(error):
        make_model(server, quick_retry).complete(ask())
    assert len(server.requests) == 1


def test_exhausted_quota_is_not_retried(server, quick_retry):
    body = {"error": {"message": "You exceeded your quota", "code": "insufficient_quota"}}
    server.script(Reply(429, body), openai_reply("never"))
    with pytest.raises(RateLimited, match="quota"):
        make_model(server, quick_retry).complete(ask())
    assert len(server.requests) == 1


@pytest.mark.timeout(30)
def test_hung_server_hits_the_deadline(server):
    server.script(*[Reply(hang=True)] * 3)
    model = make_model(server, RetryPolicy(max_attempts=3, base_delay=0.01, deadline_s=1.5))

    with pytest.raises(DeadlineExceeded):
        model.complete(ask())

    assert 1 <= len(server.requests) <= 3


@pytest.mark.timeout(30)
def test_cancel_during_backoff_pause(server):
    server.script(error_reply(500, "boom"), openai_reply("too late"))
    cancel = threading.Event()
    policy = RetryPolicy(max_attempts=3, base_delay=60, max_delay=60, deadline_s=120)
    model = make_model(server, policy, on_retry=lambda attempt, err, pause: cancel.set())

    with pytest.raises(Cancelled):
        model.complete(ask(), cancel=cancel)

    assert len(server.requests) == 1


def test_cancel_before_the_call_sends_nothing(server, quick_retry):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        make_model(server, quick_retry).complete(ask(), cancel=cancel)
    assert server.requests == []


@pytest.mark.parametrize(
    ("reply", "retried"),
    [
        (Reply(body="this is {not json"), True),
        (Reply(body=[1, 2, 3]), False),
        (Reply(body={"unexpected": True}), False),
        (Reply(body={"id": "x", "choices": []}), True),
        (openai_reply(None), True),
        (openai_reply("   "), True),
    ],
    ids=["malformed-json", "json-list", "no-choices-key", "empty-choices", "null-content", "blank"],
)
def test_broken_replies_become_provider_errors(server, reply, retried):
    server.script(reply, reply)
    policy = RetryPolicy(max_attempts=2, base_delay=0.01, deadline_s=20)

    with pytest.raises(ProviderError):
        make_model(server, policy).complete(ask())

    assert len(server.requests) == (2 if retried else 1)


def test_refusal_and_content_filter_are_typed_errors(server, quick_retry):
    server.script(openai_reply("partial", finish_reason="content_filter"))
    with pytest.raises(ProviderError, match="content filter"):
        make_model(server, quick_retry).complete(ask())
    assert len(server.requests) == 1


def test_length_finish_reason_is_truncated(server, quick_retry):
    server.script(openai_reply("half an ans", finish_reason="length"))
    with pytest.raises(Truncated) as caught:
        make_model(server, quick_retry).complete(ask())
    assert caught.value.partial_text == "half an ans"  # type: ignore[attr-defined]
    assert len(server.requests) == 1


@pytest.mark.parametrize("canary", ["sk-canary-9f8e7d6c5b4a3210", "canaryPlainSecret-77aa"])
def test_canary_key_never_reaches_logs_errors_or_repr(server, quick_retry, caplog, canary):
    import traceback

    caplog.set_level("DEBUG")
    echo = f"Incorrect API key provided: {canary}. Find your key at ..."
    server.script(
        error_reply(500, echo),
        error_reply(429, echo, headers={"retry-after": "0"}),
        error_reply(401, echo),
    )
    model = make_model(server, quick_retry, api_key=canary)

    with pytest.raises(LLMError) as caught:
        model.complete(ask())

    assert isinstance(caught.value, AuthFailed)
    assert len(server.requests) == 3
    assert server.requests[0].headers["authorization"] == f"Bearer {canary}"  # it was sent
    assert "retrying" in caplog.text  # the retries were logged …
    assert canary not in caplog.text  # … without the key
    assert all(canary not in r.getMessage() for r in caplog.records)
    assert canary not in "".join(traceback.format_exception(caught.value))
    assert canary not in repr(model)
    assert "***" in str(caught.value)
