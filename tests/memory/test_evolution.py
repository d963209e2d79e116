"""The evolution benchmark on the virtual phone: the first of three related tasks teaches a
shortcut and a tip, the next two use them with fewer steps and model calls — and without
memory's help (the control) the same scripted replies leave the notes unwritten."""

from __future__ import annotations

import argparse
import json

import pytest

from mobile_agent.bench import evolution

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    evolution.add_arguments(parser)
    return evolution.run(parser.parse_args(list(argv)))


def test_the_later_tasks_use_what_the_first_one_taught(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run("--json") == 0
    report = json.loads(capsys.readouterr().out)
    first, *later = report["runs"]
    assert report["evolved"] is True
    assert report["learned"]["shortcuts"] == {"create_note": ["open_app", "tap", "type", "tap"]}
    assert report["learned"]["review"] == "approved" and len(report["learned"]["tips"]) == 1
    assert (first["steps"], first["shortcut_used"], first["tips_given"]) == (5, False, 0)
    for run in later:
        assert run["shortcut_used"] and run["tips_given"] == 1
        assert run["steps"] < first["steps"] and run["model_calls"] < first["model_calls"]
    assert all(r["state"] == "succeeded" and r["note_on_phone"] for r in report["runs"])


def test_without_memory_the_later_notes_are_missing_and_the_benchmark_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run("--control") == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["task", "state", "steps"]
    rows = lines[1:4]
    assert rows[0].endswith("on the phone")
    assert all(row.endswith("MISSING") and " used " not in row for row in rows[1:])
    assert lines[-1].startswith("Steps 5 → 1, model calls 11 → 2: NOT evolved.")


def test_a_scripted_element_number_is_read_off_the_element_list() -> None:
    prompt = (
        '<screen_elements>\n[1] TextView "Notes" (530,150)\n'
        '[7] ImageButton desc="New note" (934,2128) clickable\n</screen_elements>'
    )
    assert evolution.element_number(prompt, "New note") == 7
    assert evolution.element_number(prompt, "Save") == 0  # no element has it
