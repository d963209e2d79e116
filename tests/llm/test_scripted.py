"""The scripted backend: replay, rules, recording, scripted errors, script files."""

from __future__ import annotations

import json
import threading
import time

import pytest

from mobile_agent.errors import Cancelled, ConfigError, ProviderError, RateLimited
from mobile_agent.llm.base import ChatModel, Image, Message, Role
from mobile_agent.llm.retry import RetryPolicy
from mobile_agent.llm.scripted import ScriptedChatModel, ScriptExhausted


def turn(system: str, user: str, images: int = 0) -> list[Message]:
    pics = tuple(Image(b"png") for _ in range(images))
    return [Message(Role.SYSTEM, system), Message(Role.USER, user, pics)]


def test_replies_in_order_and_records_every_call():
    model = ScriptedChatModel(["first", {"reply": "second", "usage": {"input_tokens": 7}}])

    a = model.complete(turn("sys", "one", images=2))
    b = model.complete(turn("sys", "two"), response_schema={"type": "object"})

    assert isinstance(model, ChatModel)
    assert (a.text, b.text) == ("first", "second")
    assert b.usage.input_tokens == 7
    assert a.usage.input_tokens > 0
    assert a.usage.output_tokens > 0
    assert [c.last_user_text for c in model.calls] == ["one", "two"]
    assert [c.image_count for c in model.calls] == [2, 0]
    assert model.calls[1].response_schema == {"type": "object"}
    assert model.calls[0].messages[0].role == Role.SYSTEM
    assert model.remaining == 0


def test_exhaustion_raises_a_clear_error_and_is_recorded():
    model = ScriptedChatModel(["only"])
    model.complete(turn("s", "a"))
    with pytest.raises(ScriptExhausted, match="no reply left for call 2") as caught:
        model.complete(turn("s", "what now?"))
    assert "what now?" in str(caught.value)
    assert not caught.value.retryable
    assert len(model.calls) == 2


def test_rules_follow_the_agent_not_the_order():
    model = ScriptedChatModel(
        [
            {"match": "you are the manager", "reply": "plan: open Settings"},
            {"match": "YOU ARE THE OPERATOR", "reply": "tap 1"},
            {"match": "you are the operator", "reply": "tap 2"},
            {"regex": r"Reflect(or|ion)", "reply": "A", "repeat": True},
            "fallback reply",
        ]
    )
    manager = "You are the Manager."
    operator = "You are the Operator."
    reflector = "You are the Reflector."

    replies = [
        model.complete(turn(operator, "step 1")).text,
        model.complete(turn(reflector, "check")).text,
        model.complete(turn(manager, "plan")).text,
        model.complete(turn(operator, "step 2")).text,
        model.complete(turn(reflector, "check")).text,
        model.complete(turn(operator, "step 3")).text,
    ]

    assert replies == ["tap 1", "A", "plan: open Settings", "tap 2", "A", "fallback reply"]
    assert [c.entry for c in model.calls] == [1, 3, 0, 2, 3, 4]


def test_rules_also_match_the_last_user_message():
    model = ScriptedChatModel([{"match": "battery", "reply": "open Settings"}, "other"])
    assert model.complete(turn("s", "what is the battery level?")).text == "open Settings"


def test_scripted_rate_limit_carries_retry_after():
    model = ScriptedChatModel([{"error": "rate_limited", "retry_after": 1}, "ok"])
    with pytest.raises(RateLimited) as caught:
        model.complete(turn("s", "u"))
    assert caught.value.retry_after == 1.0
    assert model.complete(turn("s", "u")).text == "ok"


def test_scripted_errors_go_through_the_retry_policy_when_given():
    model = ScriptedChatModel(
        [
            {"error": "provider", "message": "flaky"},
            {"error": "rate_limited", "retry_after": 0},
            "ok",
        ],
        retry=RetryPolicy(base_delay=0.001, jitter=0, deadline_s=10),
    )
    assert model.complete(turn("s", "u")).text == "ok"
    assert [c.error for c in model.calls] == ["provider", "rate_limited", None]


def test_scripted_error_message():
    model = ScriptedChatModel([{"error": "provider", "message": "server on fire"}])
    with pytest.raises(ProviderError, match="server on fire"):
        model.complete(turn("s", "u"))


class CancelLater:
    """A cancel event set from another thread after `after_s`; remembers when."""

    def __init__(self, after_s: float) -> None:
        self.event = threading.Event()
        self.set_at = 0.0
        self._timer = threading.Timer(after_s, self._fire)
        self._timer.start()

    def _fire(self) -> None:
        self.set_at = time.monotonic()
        self.event.set()


@pytest.mark.timeout(60)  # a cancel that waited for the 60 s pause would fail here
@pytest.mark.parametrize("retry", [None, RetryPolicy(deadline_s=300)], ids=["plain", "retrying"])
def test_cancel_during_a_pause_arrives_promptly(retry):
    model = ScriptedChatModel([{"reply": "slow", "delay_s": 60}], retry=retry)
    cancel = CancelLater(0.1)

    with pytest.raises(Cancelled, match="scripted"):
        model.complete(turn("s", "u"), cancel=cancel.event)

    assert cancel.set_at > 0
    assert time.monotonic() - cancel.set_at < 5.0


class SetAfterFirstLook:
    """An event-like flag that is clear when first looked at and set from then on."""

    def __init__(self) -> None:
        self.looks = 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks > 1


def test_cancel_that_comes_during_the_call_stops_the_answer():
    model = ScriptedChatModel(["never seen"])
    flag = SetAfterFirstLook()
    with pytest.raises(Cancelled):
        model.complete(turn("s", "u"), cancel=flag)
    assert flag.looks >= 2
    assert [c.reply for c in model.calls] == ["never seen"]  # taken, but not answered


def test_cancel_set_beforehand():
    cancel = threading.Event()
    cancel.set()
    model = ScriptedChatModel(["never"])
    with pytest.raises(Cancelled):
        model.complete(turn("s", "u"), cancel=cancel)
    assert model.remaining == 1


@pytest.mark.parametrize(
    "entry",
    [
        {"reply": "x", "error": "provider"},
        {"match": "x"},
        {"reply": "x", "colour": "red"},
        {"error": "meltdown"},
        {"regex": "(", "reply": "x"},
        42,
    ],
)
def test_bad_entries_are_config_errors(entry):
    with pytest.raises(ConfigError):
        ScriptedChatModel([entry])


def test_loads_json_and_jsonl_files(tmp_path):
    as_json = tmp_path / "demo.json"
    as_json.write_text(json.dumps({"replies": ["a", {"match": "x", "reply": "b"}]}))
    as_jsonl = tmp_path / "demo.jsonl"
    as_jsonl.write_text('"a"\n\n{"error": "auth"}\n')

    from_json = ScriptedChatModel.from_file(as_json)
    from_jsonl = ScriptedChatModel.from_file(as_jsonl)

    assert from_json.name == "scripted:demo.json"
    assert from_json.complete(turn("s", "x")).text == "b"
    assert from_json.complete(turn("s", "y")).text == "a"
    assert from_jsonl.complete(turn("s", "y")).text == "a"
    assert from_jsonl.remaining == 1


@pytest.mark.parametrize("content", ['{"replies": 3}', '"a"\nnot json\n', "{broken"])
def test_bad_files_are_config_errors(tmp_path, content):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(ConfigError):
        ScriptedChatModel.from_file(path)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        ScriptedChatModel.from_file(tmp_path / "absent.json")


def test_records_calls_to_a_jsonl_file(tmp_path):
    log_path = tmp_path / "calls.jsonl"
    model = ScriptedChatModel(["r1", {"error": "bad_request"}], record_to=log_path)
    model.complete(turn("sys", "hello", images=1))
    with pytest.raises(Exception, match="bad request"):
        model.complete(turn("sys", "again"))

    rows = [json.loads(line) for line in log_path.read_text().splitlines()]
    assert [r["reply"] for r in rows] == ["r1", None]
    assert rows[1]["error"] == "bad_request"
    assert rows[0]["messages"][1] == {"role": "user", "text": "hello", "images": 1}
