"""The Anthropic backend, through the real `anthropic` SDK, against a loopback server."""

from __future__ import annotations

import base64
import threading
import traceback

import pytest

from mobile_agent.errors import AuthFailed, Cancelled, DeadlineExceeded, ProviderError, Truncated
from mobile_agent.llm.anthropic_model import AnthropicChatModel
from mobile_agent.llm.base import ChatModel, Image, Message, Role
from mobile_agent.llm.retry import RetryPolicy

from .fake_server import FakeLLMServer, Reply, anthropic_reply, error_reply

KEY = "sk-ant-test-0123456789"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))


def make_model(server: FakeLLMServer, retry: RetryPolicy, **kwargs: object) -> AnthropicChatModel:
    return AnthropicChatModel(
        str(kwargs.pop("model", "claude-haiku-4-5")),
        api_key=str(kwargs.pop("api_key", KEY)),
        base_url=server.base_url,
        retry=retry,
        timeout_s=10,
        **kwargs,  # type: ignore[arg-type]
    )


def sent_key(headers: dict[str, str]) -> str:
    """The API key as the SDK sent it (x-api-key, or a bearer token in newer SDKs)."""
    return headers.get("x-api-key") or headers.get("authorization", "").removeprefix("Bearer ")


def test_success_separates_system_and_sends_images_first(server, quick_retry):
    server.script(anthropic_reply("tap 3", input_tokens=2000, output_tokens=100))
    model = make_model(server, quick_retry, max_tokens=321)
    messages = [
        Message(Role.SYSTEM, "You are the operator."),
        Message(Role.SYSTEM, "Answer with one action."),
        Message(Role.USER, "screen:", (Image(PNG),)),
    ]

    completion = model.complete(messages)

    assert isinstance(model, ChatModel)
    assert completion.text == "tap 3"
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (2000, 100)
    assert completion.usage.cost_usd == pytest.approx((2000 * 1.00 + 100 * 5.00) / 1e6)
    assert completion.finish_reason == "end_turn"
    [request] = server.requests
    assert request.path == "/v1/messages"
    assert sent_key(request.headers) == KEY
    body = request.body
    [system] = body["system"]  # one block, marked for the prompt cache
    assert system["text"] == "You are the operator.\n\nAnswer with one action."
    assert system["cache_control"] == {"type": "ephemeral"}
    assert body["max_tokens"] == 321
    [turn] = body["messages"]
    assert turn["role"] == "user"
    image, text = turn["content"]
    assert image["type"] == "image"
    assert image["source"] == {
        "type": "base64",
        "media_type": "image/png",
        "data": base64.b64encode(PNG).decode(),
    }
    assert text == {"type": "text", "text": "screen:"}


def test_response_schema_uses_output_config_when_enabled(server, quick_retry):
    server.script(anthropic_reply("{}"), anthropic_reply("{}"))
    schema = {"type": "object"}
    make_model(server, quick_retry, json_schema=True).complete(
        [Message(Role.USER, "x")], response_schema=schema
    )
    make_model(server, quick_retry).complete([Message(Role.USER, "x")], response_schema=schema)
    assert server.requests[0].body["output_config"]["format"]["schema"] == schema
    assert "output_config" not in server.requests[1].body


def test_max_tokens_stop_reason_is_truncated(server, quick_retry):
    server.script(anthropic_reply("cut sh", stop_reason="max_tokens"))
    with pytest.raises(Truncated) as caught:
        make_model(server, quick_retry).complete([Message(Role.USER, "long story")])
    assert caught.value.partial_text == "cut sh"  # type: ignore[attr-defined]


def test_overloaded_is_retried(server, quick_retry):
    server.script(error_reply(529, "Overloaded"), anthropic_reply("done"))
    completion = make_model(server, quick_retry).complete([Message(Role.USER, "go")])
    assert completion.text == "done"
    assert completion.attempts == 2


def test_retry_after_ms_is_honoured(server, quick_retry):
    server.script(error_reply(429, "rate", headers={"retry-after-ms": "400"}), anthropic_reply())
    make_model(server, quick_retry).complete([Message(Role.USER, "go")])
    first, second = server.requests
    assert second.at - first.at >= 0.4


def test_unauthorized_is_not_retried(server, quick_retry):
    server.script(error_reply(401, "invalid x-api-key"), anthropic_reply())
    with pytest.raises(AuthFailed, match="invalid x-api-key"):
        make_model(server, quick_retry, key_hint="Set ANTHROPIC_API_KEY.").complete(
            [Message(Role.USER, "go")]
        )
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("reply", "retried"),
    [
        (Reply(body="<html>proxy error</html>"), True),
        (Reply(body={"type": "message"}), False),
        (anthropic_reply(""), True),
        (anthropic_reply("no", stop_reason="refusal"), False),
    ],
    ids=["not-json", "no-content", "empty-text", "refusal"],
)
def test_broken_replies_become_provider_errors(server, reply, retried):
    server.script(reply, reply)
    with pytest.raises(ProviderError):
        make_model(server, RetryPolicy(max_attempts=2, base_delay=0.01)).complete(
            [Message(Role.USER, "go")]
        )
    assert len(server.requests) == (2 if retried else 1)


@pytest.mark.timeout(30)
def test_hung_server_hits_the_deadline(server):
    server.script(*[Reply(hang=True)] * 3)
    with pytest.raises(DeadlineExceeded):
        make_model(server, RetryPolicy(deadline_s=1.0)).complete([Message(Role.USER, "go")])


@pytest.mark.timeout(30)
def test_cancel_during_rate_limit_pause(server):
    server.script(error_reply(429, "rate", headers={"retry-after": "60"}), anthropic_reply())
    cancel = threading.Event()
    model = make_model(server, RetryPolicy(deadline_s=120), on_retry=lambda *_: cancel.set())
    with pytest.raises(Cancelled):
        model.complete([Message(Role.USER, "go")], cancel=cancel)
    assert len(server.requests) == 1


def test_canary_key_never_reaches_logs_or_errors(server, quick_retry, caplog):
    canary = "sk-canary-ant-5566778899"
    caplog.set_level("DEBUG")
    echo = f"invalid x-api-key: {canary}"
    server.script(error_reply(503, echo), error_reply(401, echo))
    model = make_model(server, quick_retry, api_key=canary)

    with pytest.raises(AuthFailed) as caught:
        model.complete([Message(Role.USER, "go")])

    assert sent_key(server.requests[0].headers) == canary
    assert "retrying" in caplog.text
    assert canary not in caplog.text
    assert canary not in "".join(traceback.format_exception(caught.value))
    assert canary not in repr(model)
