"""The prompt benchmark: prompt sizes before and now side by side, and the fixed part of each
agent's prompt byte-identical from step to step (through adb, on the virtual phone)."""

from __future__ import annotations

import pytest

from mobile_agent.bench.prompts import AGENTS, fixed_part, mid_task_prompts, prompt_report, table

pytestmark = pytest.mark.e2e


def test_the_report_compares_before_and_now_and_checks_the_fixed_part() -> None:
    report = prompt_report(tour_steps=5)
    assert report["states"] == {"tour": "succeeded", "demo": "succeeded"}
    assert report["fixed_identical"] is True
    rows = report["rows"]
    tour = {(r["agent"], r["step"]): r for r in rows if r["run"] == "tour"}
    assert set(tour) == {("manager", 1), ("operator", 5), ("reflector", 5), ("notetaker", 3)}
    assert all(r["before"] and r["after"] for r in tour.values())
    assert all(0 < r["fixed"] < r["after"] for r in rows if r["after"])
    demo = [r for r in rows if r["run"] == "demo"]
    assert {r["agent"] for r in demo} == set(AGENTS)
    # the editor steps of the demo: no keyboard keys listed any more, so the operator's
    # prompt grows far less than its fixed part did
    step4 = next(r for r in demo if (r["agent"], r["step"]) == ("operator", 4))
    growth = step4["after"] - step4["before"]
    assert growth < step4["fixed"] - step4["fixed_before"]
    text = table(report)
    assert "fixed part byte-identical at every step, every agent: yes" in text
    assert text.splitlines()[0].split()[:6] == ["run", "agent", "step", "before", "now", "fixed"]


def test_mid_task_prompts_hold_one_prompt_per_agent() -> None:
    prompts = mid_task_prompts(step=4)
    assert set(prompts) == set(AGENTS)
    for agent, prompt in prompts.items():
        assert prompt.startswith(f"## system\nRole: {agent}")
        assert "## Step " in prompt
    assert "## Step 4 of 30" in prompts["operator"]
    assert "Expected: " in prompts["reflector"]


def test_the_fixed_part_ends_where_the_step_line_begins() -> None:
    prompt = "## system\nRole: x\n\n## user\n## Task\nT\n\n## Step 2 of 9\nrest"
    assert fixed_part(prompt) == "## system\nRole: x\n\n## user\n## Task\nT\n"
    assert fixed_part("## system\nonly") == "## system\nonly"
