"""Whole runs against a loopback server speaking the OpenAI chat-completions API, through the
real `openai` SDK and the real adb / uiautomator2 stack: rate limits, server errors, a rejected
key, a hung server and broken replies end in named states and never touch the phone by mistake.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from llm.fake_server import (
    FakeLLMServer,
    Reply,
    Request,
    error_reply,
    openai_reply,
    running_server,
)
from test_run_helpers import EVERY_AGENT, Recorder, connected_device

from mobile_agent.config import load_settings
from mobile_agent.events import FinalState, RunResult
from mobile_agent.llm import make_chat_model
from mobile_agent.llm.retry import RetryPolicy
from mobile_agent.runner import RunLimits, Runner

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

KEY = "sk-test-runner-0123456789abcdef"
LAUNCHER = "com.android.launcher3"
NOTES = "com.example.notes"
QUICK = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05, jitter=0.5, deadline_s=20)


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    """A fake OpenAI-compatible server on loopback."""
    with running_server() as s:
        yield s


def agent_of(request: Request) -> str:
    """The agent that sent `request`, read off the first line of its system prompt."""
    system = request.body["messages"][0]["content"]
    assert isinstance(system, str) and system.startswith("Role: "), system
    return system.split("\n", 1)[0].removeprefix("Role: ").strip()


def repaired(request: Request) -> bool:
    """Is `request` the re-ask after an unusable reply (it carries that reply)?"""
    return any(m["role"] == "assistant" for m in request.body["messages"])


class ByAgent:
    """Answers each request with the next reply scripted for the agent asking; the last reply
    of an agent is repeated. Text becomes a chat completion; a `Reply` is sent as it is."""

    def __init__(self, **replies: list[str | Reply]) -> None:
        self._replies = {role: deque(items) for role, items in replies.items()}

    def __call__(self, request: Request) -> Reply:
        queue = self._replies.get(agent_of(request))
        if not queue:
            return error_reply(500, f"nothing scripted for the {agent_of(request)}")
        item = queue.popleft() if len(queue) > 1 else queue[0]
        return openai_reply(item) if isinstance(item, str) else item


def always(reply: Reply) -> Callable[[Request], Reply]:
    return lambda request: reply


def plan(subgoal: str) -> str:
    reply = {"thought": "plan", "plan": [subgoal], "current_subgoal": subgoal, "completed": False}
    return json.dumps(reply)


def act(name: str, args: dict[str, Any] | None = None) -> str:
    reply = {"thought": name, "action": {"name": name, "args": args or {}}, "description": name}
    return json.dumps(reply)


def verdict(outcome: str = "success") -> str:
    reply = {"thought": outcome, "outcome": outcome, "feedback": "", "subgoal_completed": False}
    return json.dumps(reply)


def notes(text: str = "") -> str:
    return json.dumps({"thought": "notes", "notes": text})


def go_home(**overrides: list[str | Reply]) -> ByAgent:
    """Replies that carry out "go to the home screen" from an app: home, then finish."""
    replies: dict[str, list[str | Reply]] = {
        "manager": [plan("Go to the home screen")],
        "operator": [act("home"), act("finish")],
        "reflector": [verdict()],
        "notetaker": [notes()],
    }
    return ByAgent(**{**replies, **overrides})


def run_task(
    phone_server: Any,
    server: FakeLLMServer,
    task: str,
    *,
    retry: RetryPolicy = QUICK,
    timeout_s: float = 10,
    limits: RunLimits | None = None,
) -> tuple[RunResult, Recorder]:
    """Run `task` on the virtual phone with every agent asking the fake server."""
    model = make_chat_model(
        "openai-compatible:test",
        base_url=f"{server.base_url}/v1",
        api_key=KEY,
        timeout_s=timeout_s,
        retry=retry,
    )
    events = Recorder()
    with connected_device(phone_server) as device:
        runner = Runner(
            device,
            model,
            settings=load_settings({"ocr_policy": "never", **EVERY_AGENT}),
            limits=limits,
            listeners=[events],
        )
        result = runner.run(task)
    return result, events


def assert_ended_cleanly(result: RunResult, events: Recorder) -> None:
    """One RunFinished, last, carrying the result; model calls all reported."""
    assert events.kinds()[-1] == "run_finished"
    assert events.kinds().count("run_finished") == 1
    finished = events.of("run_finished")[0]
    assert finished.state is result.state
    assert finished.summary == result
    assert result.model_calls == len(events.of("model_called"))


def assert_phone_untouched(phone: Any, before: dict[str, Any], events: Recorder) -> None:
    assert events.of("action_chosen") == []
    assert events.of("action_executed") == []
    assert phone.current()[0] == LAUNCHER
    assert phone.state() == before


# -- broken replies ------------------------------------------------------------------------
BROKEN: dict[str, tuple[Callable[[], Callable[[Request], Reply]], str]] = {
    "malformed-json": (lambda: always(Reply(body="this is {not json")), "malformed reply"),
    "json-list": (lambda: always(Reply(body=[1, 2, 3])), "malformed reply"),
    "no-choices": (lambda: always(Reply(body={"id": "x", "choices": []})), "no choices"),
    "null-content": (lambda: always(openai_reply(None)), "has no text"),
    "empty-content": (lambda: always(openai_reply("")), "has no text"),
    "prose": (
        lambda: always(openai_reply("Sure! I will open the Notes app and write it down.")),
        "no JSON object found",
    ),
    "unknown-action": (
        lambda: ByAgent(manager=[plan("Open Notes")], operator=[act("format_phone")]),
        "unknown action 'format_phone'",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_replies_fail_the_run_without_acting(
    connected_phone: Any, server: FakeLLMServer, case: str
) -> None:
    responder, problem = BROKEN[case]
    server.respond(responder())
    phone = connected_phone.phone
    before = phone.state()

    result, events = run_task(connected_phone, server, "Open Notes and write a note")

    assert result.state is FinalState.FAILED
    assert_ended_cleanly(result, events)
    assert_phone_untouched(phone, before, events)
    reasons = [result.reason, *(f.reason for f in events.of("step_failed"))]
    assert any(problem in reason for reason in reasons), reasons
    assert 1 <= len(server.requests) <= 4 * 3 * 2  # failed steps × asks × attempts


def test_unknown_action_is_re_asked_with_the_problem_before_the_step_fails(
    connected_phone: Any, server: FakeLLMServer
) -> None:
    server.respond(ByAgent(manager=[plan("Open Notes")], operator=[act("format_phone")]))

    result, events = run_task(connected_phone, server, "Open Notes")

    assert result.state is FinalState.FAILED
    assert "failed steps in a row" in result.reason
    failed = events.of("step_failed")
    assert len(failed) == result.failed_steps == result.steps == 4
    assert {f.phase for f in failed} == {"operator"}
    asks = [(agent_of(r), repaired(r)) for r in server.requests]
    assert asks[:3] == [("manager", False), ("operator", False), ("operator", True)]
    re_ask = server.requests[2].body["messages"][-1]["content"]
    assert "unknown action 'format_phone'" in re_ask
    assert "tap" in re_ask  # the names it may choose from


# -- HTTP errors ---------------------------------------------------------------------------
def test_rejected_key_ends_the_run_at_once_with_a_clear_message(
    connected_phone: Any, server: FakeLLMServer
) -> None:
    server.respond(always(error_reply(401, "Incorrect API key provided")))
    phone = connected_phone.phone
    before = phone.state()

    result, events = run_task(connected_phone, server, "Open Notes")

    assert len(server.requests) == 1
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert result.state is FinalState.FAILED
    assert_ended_cleanly(result, events)
    assert_phone_untouched(phone, before, events)
    summary = events.of("run_finished")[0].summary
    assert "HTTP 401" in summary.reason
    assert "rejected the API key" in summary.reason
    assert "Incorrect API key provided" in summary.reason
    assert KEY not in summary.reason
    assert result.steps == 1
    assert result.model_calls == 1
    assert events.of("step_failed") == []  # not a failed step to retry: the run is over


def test_rate_limit_waits_for_retry_after_and_the_run_goes_on(
    connected_phone: Any, server: FakeLLMServer
) -> None:
    server.script(error_reply(429, "slow down", headers={"retry-after": "1"}))
    server.respond(go_home())
    phone = connected_phone.phone
    assert phone.start_app(NOTES)

    result, events = run_task(connected_phone, server, "Go back to the home screen")

    assert result.state is FinalState.SUCCEEDED, result.reason
    assert_ended_cleanly(result, events)
    first, second = server.requests[:2]
    assert second.at - first.at >= 1.0  # Retry-After, not the 0.01 s backoff
    assert first.body == second.body
    assert [agent_of(r) for r in server.requests] == [
        "manager",
        "manager",
        "operator",
        "reflector",
        "notetaker",
        "operator",
    ]
    assert events.of("step_failed") == []
    executed = [(e.action["name"], e.ok) for e in events.of("action_executed")]
    assert executed == [("home", True), ("finish", True)]
    assert phone.current()[0] == LAUNCHER


def test_server_error_mid_run_is_retried_and_the_run_goes_on(
    connected_phone: Any, server: FakeLLMServer
) -> None:
    boom = error_reply(500, "upstream exploded")
    server.respond(go_home(reflector=[boom, verdict()]))
    phone = connected_phone.phone
    assert phone.start_app(NOTES)

    result, events = run_task(connected_phone, server, "Go back to the home screen")

    assert result.state is FinalState.SUCCEEDED, result.reason
    assert_ended_cleanly(result, events)
    agents = [agent_of(r) for r in server.requests]
    assert agents == ["manager", "operator", "reflector", "reflector", "notetaker", "operator"]
    assert server.requests[2].body == server.requests[3].body
    assert events.of("step_failed") == []
    assert [r.outcome for r in events.of("reflected")] == ["success"]
    assert [e.action["name"] for e in events.of("action_executed")] == ["home", "finish"]
    assert phone.current()[0] == LAUNCHER


def test_server_error_on_the_first_call_is_retried(
    connected_phone: Any, server: FakeLLMServer
) -> None:
    server.script(error_reply(500, "upstream exploded"))
    server.respond(go_home())
    assert connected_phone.phone.start_app(NOTES)

    result, events = run_task(connected_phone, server, "Go back to the home screen")

    assert result.state is FinalState.SUCCEEDED, result.reason
    assert [agent_of(r) for r in server.requests[:2]] == ["manager", "manager"]
    assert server.requests[0].body == server.requests[1].body
    assert all(call.ok for call in events.of("model_called"))


@pytest.mark.timeout(60)  # the bound on the run: each hung call ends at its 1.5 s deadline
def test_hung_server_hits_the_deadline_and_the_run_ends(
    connected_phone: Any, server: FakeLLMServer
) -> None:
    server.respond(always(Reply(hang=True)))
    phone = connected_phone.phone
    before = phone.state()
    policy = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05, deadline_s=1.5)

    result, events = run_task(
        connected_phone,
        server,
        "Open Notes",
        retry=policy,
        limits=RunLimits(max_consecutive_failures=4),
    )

    # the first unanswered call fails its step; the second in a row ends the run at once
    # (the provider is down, not slow once), well before four failed steps
    assert result.state is FinalState.FAILED
    assert result.reason.startswith("model error:")
    assert "1.5 s" in result.reason
    assert_ended_cleanly(result, events)
    assert_phone_untouched(phone, before, events)
    failed = events.of("step_failed")
    assert [(f.step, f.phase) for f in failed] == [(1, "manager")]
    assert "model call failed" in failed[0].reason
    assert "1.5 s" in failed[0].reason
    assert [c.ok for c in events.of("model_called")] == [False, False]
    assert 2 <= len(server.requests) <= 2 * policy.max_attempts
