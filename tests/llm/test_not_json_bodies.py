"""A provider body that is not JSON at all — a proxy's HTML error page sent with status 200,
a body cut off mid-way — is a server fault: retried like a 5xx, and once the retries are
spent a typed, retryable `ProviderError` with a short, readable message; never a crash.
Through the real SDKs against the loopback server; last, whole runs on the in-memory phone
whose model gets such bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from runner.harness import Run, make_run, step_problems

from mobile_agent.errors import LLMError, ProviderError
from mobile_agent.events import FinalState
from mobile_agent.llm import make_chat_model
from mobile_agent.llm.retry import RetryPolicy

from .fake_server import FakeLLMServer, Reply, Request, openai_reply
from .test_remote_failures import BACKENDS, NGINX_502, ask, build, success

POLICY = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02, deadline_s=30)
BODIES = {
    "html-page": Reply(body=NGINX_502, headers={"content-type": "text/html"}),
    "html-said-json": Reply(body=NGINX_502),
    "cut-off": Reply(body='{"id": "chatcmpl-1", "choices": [{"index": 0, "mess'),
}


def retried(server: FakeLLMServer, backend: str) -> tuple[list[LLMError], object]:
    """The backend with `POLICY`, and the list its retry reports land in."""
    reports: list[LLMError] = []
    model = build(backend, server.base_url, retry=POLICY, on_retry=lambda *a: reports.append(a[1]))
    return reports, model


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("body", list(BODIES))
def test_one_body_that_is_not_json_costs_one_retry(
    server: FakeLLMServer, backend: str, body: str
) -> None:
    server.script(BODIES[body], success(backend))
    reports, model = retried(server, backend)

    done = model.complete(ask())  # type: ignore[attr-defined]

    assert done.text == "ok"
    assert done.attempts == 2
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body  # the same request again
    [report] = reports
    assert isinstance(report, ProviderError) and "not JSON" in str(report)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("body", list(BODIES))
def test_bodies_that_are_never_json_end_in_a_provider_error_after_the_retry_budget(
    server: FakeLLMServer, backend: str, body: str
) -> None:
    server.respond(lambda request: BODIES[body])
    reports, model = retried(server, backend)

    with pytest.raises(ProviderError) as caught:
        model.complete(ask())  # type: ignore[attr-defined]

    assert len(server.requests) == POLICY.max_attempts  # every attempt spent, no more
    assert len(reports) == POLICY.max_attempts - 1
    error = caught.value
    assert error.retryable  # a server fault, as a 5xx is (not a malformed API reply)
    message = str(error)
    assert message.startswith(f"{backend}:m-1: malformed reply, not JSON: ")
    assert "<" not in message  # the page's text, not its markup
    assert len(message) < 300
    if body.startswith("html"):
        assert "502 Bad Gateway" in message


# -- in a run ------------------------------------------------------------------------------
PROXY_PAGE = Reply(
    body="<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    headers={"content-type": "text/html"},
)
RUN_POLICY = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, deadline_s=20)


def run_against(server: FakeLLMServer) -> Run:
    """The task "Open Notes" run on the in-memory phone, every agent asking the server."""
    model = make_chat_model(
        "openai-compatible:test",
        base_url=f"{server.base_url}/v1",
        api_key="sk-test-not-json-0123456789",
        retry=RUN_POLICY,
    )
    run = make_run([], model=model)  # type: ignore[arg-type]
    run.go("Open Notes")
    assert step_problems(run.events.events) == []
    return run


def manager_says_done(request: Request) -> Reply:
    system = request.body["messages"][0]["content"]
    assert system.startswith("Role: manager"), system[:40]
    done: dict[str, Any] = {"success": True}
    reply = {"thought": "done", "plan": [], "current_subgoal": "", "finish": done}
    return openai_reply(json.dumps(reply))


def test_in_a_run_one_proxy_page_costs_one_retry_and_the_run_goes_on(
    server: FakeLLMServer,
) -> None:
    server.script(PROXY_PAGE)
    server.respond(manager_says_done)

    run = run_against(server)

    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body
    assert [c.ok for c in run.events.of("model_called")] == [True]


def test_in_a_run_proxy_pages_only_end_it_as_failed_without_touching_the_phone(
    server: FakeLLMServer,
) -> None:
    server.respond(lambda request: PROXY_PAGE)

    run = run_against(server)

    assert run.result is not None
    assert run.result.state is FinalState.FAILED
    reason = run.result.reason
    assert reason.startswith("model error: openai-compatible:test: malformed reply, not JSON")
    assert "502 Bad Gateway nginx" in reason
    assert "Traceback" not in reason and "<" not in reason
    assert run.events.kinds()[-1] == "run_finished"
    # the first failed call fails the step, the second in a row ends the run
    assert [c.ok for c in run.events.of("model_called")] == [False, False]
    assert len(server.requests) == 2 * RUN_POLICY.max_attempts
    assert run.device.actions == []
