"""`mobile-agent bench run` and `bench compare`, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_cli

pytestmark = pytest.mark.e2e

TASKS = "notes.create,contacts.add"


def test_solutions_json_is_one_object_with_tasks_passed_and_results(tmp_path: Path) -> None:
    done = run_cli(
        "bench",
        "run",
        "--solutions",
        "--json",
        "--tasks",
        TASKS,
        "--seed",
        "4",
        "--out",
        str(tmp_path / "a"),
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["tasks"] == 2 and data["passed"] == 2 and data["seed"] == 4
    assert [r["task"] for r in data["results"]] == ["notes.create", "contacts.add"]
    for result in data["results"]:
        assert result["success"] and result["satisfaction"] == 1.0 and result["untouched_fails"]
        assert result["checks"] and all(c["passed"] for c in result["checks"])
    saved = json.loads((tmp_path / "a" / "results.json").read_text())
    assert saved["results"] == data["results"]
    html = (tmp_path / "a" / "report.html").read_text()
    assert "<svg" in html and "notes.create" in html and "<script" not in html
    assert "| notes.create | yes |" in (tmp_path / "a" / "report.md").read_text()


def test_compare_reads_two_results_and_names_what_changed(tmp_path: Path) -> None:
    a = {
        "seed": 0,
        "mode": "solution",
        "devices": 1,
        "elapsed_s": 3.0,
        "results": [
            {
                "task": "x.one",
                "scenario": "research",
                "apps": ["p"],
                "family": "",
                "seed": 0,
                "mode": "agent",
                "success": True,
                "satisfaction": 1.0,
                "steps": 4,
                "model_calls": 9,
            },
            {
                "task": "x.two",
                "scenario": "research",
                "apps": ["p"],
                "family": "",
                "seed": 0,
                "mode": "agent",
                "success": False,
                "satisfaction": 0.5,
                "steps": 9,
                "model_calls": 20,
            },
        ],
    }
    b = json.loads(json.dumps(a))
    b["results"][1].update(success=True, satisfaction=1.0, steps=6)
    (tmp_path / "a.json").write_text(json.dumps(a))
    (tmp_path / "b.json").write_text(json.dumps(b))
    done = run_cli("bench", "compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["difference"]["passed"] == 1 and out["difference"]["steps"] == -3
    assert [c["task"] for c in out["changed"]] == ["x.two"]
    text = run_cli("bench", "compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert "changed: x.two: failed (0.50) -> passed (1.00)" in text.stdout
    (tmp_path / "bad.json").write_text('{"results": 3}')
    bad = run_cli("bench", "compare", str(tmp_path / "a.json"), str(tmp_path / "bad.json"))
    assert bad.returncode != 0 and "not a bench run result" in bad.stderr
    gone = run_cli("bench", "compare", str(tmp_path / "a.json"), str(tmp_path / "none.json"))
    assert gone.returncode != 0 and "no such file" in gone.stderr


def test_list_and_usage_errors() -> None:
    listed = run_cli("bench", "run", "--list", "--suite", "multi")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].endswith("tasks") and int(lines[0].split()[0]) == len(lines) - 1 > 0
    unknown = run_cli("bench", "run", "--suite", "everything", "--solutions")
    assert unknown.returncode == 2 and "unknown suite" in unknown.stderr
    devices = run_cli("bench", "run", "--devices", "0", "--solutions")
    assert devices.returncode == 2 and "--devices: must be at least 1" in devices.stderr
    both = run_cli("bench", "run", "--solutions", "--scripted")
    assert both.returncode == 2


def test_without_a_model_the_agents_are_not_started_and_the_ways_out_are_named() -> None:
    done = run_cli("bench", "run", "--tasks", "notes.create", "--json", timeout=240)
    assert done.returncode == 2 and done.stdout == ""
    assert "No language model is configured" in done.stderr and "--solutions" in done.stderr


def test_a_run_that_claims_success_is_judged_by_the_phone(tmp_path: Path) -> None:
    """A model that says "done" at once: the run succeeds, the task does not, exit code 1."""
    finish = {
        "thought": "done",
        "plan": ["x"],
        "current_subgoal": "x",
        "finish": {"success": True, "answer": "done"},
    }
    script = tmp_path / "liar.json"
    script.write_text(
        json.dumps([{"match": "Role: manager", "reply": json.dumps(finish), "repeat": True}])
    )
    done = run_cli(
        "bench",
        "run",
        "--tasks",
        "notes.create",
        "--json",
        "--model",
        f"scripted:{script}",
        timeout=240,
    )
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)["results"][0]
    assert result["state"] == "succeeded" and not result["success"]
    assert result["satisfaction"] == 0.0 and result["error"].startswith("not done:")
    assert result["model_calls"] >= 1
