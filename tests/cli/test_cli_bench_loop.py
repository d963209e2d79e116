"""`mobile-agent bench loop --json --compare`: the calls a step costs with the defaults, next
to the same scripted run with every agent asked at every step."""

from __future__ import annotations

import json
import subprocess

from cli_helpers import COMMAND, cli_env


def test_bench_loop_reports_fewer_calls_the_cacheable_share_and_cost_with_caching() -> None:
    done = subprocess.run(
        [*COMMAND, "bench", "loop", "--steps", "14", "--no-prompts", "--compare", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=cli_env(),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    every = report["every_agent_every_step"]
    assert report["state"] == every["state"] == "succeeded"
    assert report["steps"] == every["steps"] == 15
    assert report["model_calls_per_step"] <= 1.5 < every["model_calls_per_step"]
    assert report["evident_verdicts"] == 14 and every["evident_verdicts"] == 0
    calls = report["model_calls_by_agent"]
    assert "reflector" not in calls and calls["operator"] == 15
    assert calls["notetaker"] < every["model_calls_by_agent"]["notetaker"]
    assert 0.5 < report["cacheable_prefix_share"] < 1
    for cost in report["cost_per_step_usd"].values():
        assert 0 < cost["with_caching"] < cost["without_caching"]
