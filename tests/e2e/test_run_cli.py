"""The `run` and `demo` commands (in this process; tests/cli runs them as a user does)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from mobile_agent.cli import main


def test_run_without_a_model_says_how_to_configure_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MOBILE_AGENT_MODEL", raising=False)
    monkeypatch.delenv("MOBILE_AGENT_AGENT_MODELS", raising=False)
    code = main(["run", "Create a note"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--model openai:gpt-4o" in err
    assert "OPENAI_API_KEY" in err
    assert "mobile-agent config set model" in err
    assert "mobile-agent demo" in err


@pytest.mark.e2e
def test_demo_runs_end_to_end_and_says_it_is_scripted(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["demo", "--json"])
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert code == 0, captured.err
    assert summary["state"] == "succeeded"
    assert summary["scripted"] is True
    assert summary["verified"] is True
    assert summary["model_calls"] >= 10
    assert "replies are scripted" in captured.err


@pytest.mark.e2e
def test_demo_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("This is a demonstration: the model's replies are scripted")
    assert "step 1: open_app(app='Notes')" in out
    assert "Result: succeeded" in out
    assert "Checked on the phone: the note is confirmed." in out
    assert out.rstrip().endswith("Reminder: the model replies in this run were scripted.")


@pytest.mark.e2e
def test_run_on_the_virtual_phone_with_a_scripted_model_file(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "notes.json"
    script.write_text(
        resources.files("mobile_agent.demo").joinpath("notes.json").read_text("utf-8")
    )
    code = main(
        [
            "run",
            "Create a note titled Groceries",
            "--device",
            "virtual",
            "--model",
            f"scripted:{script}",
            "--json",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    summary = json.loads(captured.out)
    assert summary["state"] == "succeeded"
    assert summary["steps"] == 5  # the manager's closing check is not a step
    assert "Virtual phone running at 127.0.0.1:" in captured.err
