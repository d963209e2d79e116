"""Shortcuts chosen by the operator replay their atomic steps on the phone, each checked."""

from __future__ import annotations

from scripted_agents import agent_sequence, manager, operator, reflector

from mobile_agent.actions import Shortcut, ShortcutStep
from mobile_agent.events import FinalState

from .harness import NOTES, run_script

NEW_NOTE = Shortcut(
    name="new_note",
    description="Create a note with a title in Notes.",
    steps=(
        ShortcutStep("open_app", {"app": "Notes"}),
        ShortcutStep("tap", {"label": "New note"}),
        ShortcutStep("type", {"label": "Title", "text": "{title}"}),
        ShortcutStep("tap", {"label": "Save"}),
    ),
    params=("title",),
)
BROKEN = Shortcut(
    name="broken_note",
    description="Open Notes and press a button that does not exist.",
    steps=(
        ShortcutStep("open_app", {"app": "Notes"}),
        ShortcutStep("tap", {"label": "Publish"}),
        ShortcutStep("home"),
    ),
)


def _titles(run: object) -> list[str]:
    phone = run.device.phone  # type: ignore[attr-defined]
    return [n["title"] for n in phone.app_state(NOTES)["notes"]]


def test_a_shortcut_runs_its_steps_in_one_step_of_the_run() -> None:
    run = run_script(
        [
            manager("Create the note"),
            operator("new_note", {"title": "Groceries"}),
            reflector(),
            operator("finish"),
        ],
        shortcuts=[NEW_NOTE],
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert "new_note" in run.model.calls[1].messages[0].text  # offered to the operator
    assert run.device.action_names() == ["open_app", "tap", "tap", "type_text", "tap"]
    assert "Groceries" in _titles(run)
    assert run.result.steps == 2


def test_a_failing_shortcut_step_stops_the_replay_and_fails_the_step() -> None:
    run = run_script(
        [manager("Publish"), operator("broken_note"), operator("finish")],
        shortcuts=[BROKEN],
    )
    assert run.result is not None
    failed = run.events.of("step_failed")
    assert [(f.step, f.phase) for f in failed] == [(1, "action")]
    assert "step 2" in failed[0].reason
    assert "Publish" in failed[0].reason
    assert run.device.action_names() == ["open_app"]  # HOME, after the failure, never ran
    assert run.device.phone.current()[0] == NOTES
    assert agent_sequence(run.model) == ["manager", "operator", "operator"]
