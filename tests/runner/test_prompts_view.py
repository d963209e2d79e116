"""`--prompts`: every agent's prompt printed as the model received it, then its reply."""

from __future__ import annotations

import io

from scripted_agents import manager, operator, reflector

from mobile_agent.cli.prompts_view import PromptPrinter
from mobile_agent.events import ModelCalled
from mobile_agent.llm.base import Usage

from .harness import make_run


def test_a_run_prints_each_prompt_as_sent_and_each_reply() -> None:
    out = io.StringIO()
    run = make_run(
        [
            manager("Open Notes"),
            operator("open_app", {"app": "Notes"}),
            reflector(),
            operator("finish"),
        ],
        listeners=[PromptPrinter(out)],
    )
    run.go()
    printed = out.getvalue()
    calls = run.model.calls
    assert len(calls) == 5  # manager, operator, reflector, notetaker, operator
    for call in calls:  # every message of every call, word for word
        for message in call.messages:
            assert message.text in printed
    headings = [line for line in printed.splitlines() if " · " in line and line.startswith("step")]
    assert [h.split(" · ")[:2] for h in headings] == [
        ["step 1", "manager"],
        ["step 1", "operator"],
        ["step 1", "reflector"],
        ["step 1", "notetaker"],
        ["step 2", "operator"],
    ]
    assert printed.count("reply of the operator:") == 2
    assert '"name": "open_app"' in printed
    assert "## user (+" not in printed  # text-only agents in this run: no image marked


def test_a_repair_and_a_failed_call_are_shown_for_what_they_are() -> None:
    out = io.StringIO()
    printer = PromptPrinter(out)
    base = {"run_id": "r", "step": 3, "agent": "operator", "model": "m", "usage": Usage()}
    printer(ModelCalled(**base, latency_s=0.1, attempt=2, prompt="## user\nagain", reply="{}"))
    printer(ModelCalled(**base, latency_s=0.1, ok=False, prompt="## user\nask", reply=""))
    text = out.getvalue()
    assert "step 3 · operator · m, asked again (attempt 2) ·" in text
    assert "(no reply: the call failed)" in text


def test_replies_can_be_left_out_and_other_events_are_ignored() -> None:
    out = io.StringIO()
    printer = PromptPrinter(out, replies=False)
    usage = Usage()
    printer(
        ModelCalled(
            run_id="r",
            step=1,
            agent="notetaker",
            model="m",
            usage=usage,
            latency_s=0.0,
            prompt="## system\nRole: notetaker",
            reply="{}",
        )
    )
    printer(object())
    text = out.getvalue()
    assert "Role: notetaker" in text
    assert "reply of the" not in text
    assert text.count("step 1 · notetaker") == 1
