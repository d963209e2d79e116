"""Model replies the runner must not trust: each is fed back once, and never acted on."""

from __future__ import annotations

import json

from memory_device import MemoryDevice
from scripted_agents import agent_sequence, manager, operator, reflector

from mobile_agent.events import Event, FinalState

from .harness import NOTES, executed, run_script

OPEN_NOTES = operator("open_app", {"app": "Notes"})
NO_OUTCOME = {
    "match": "Role: reflector",
    "reply": json.dumps({"thought": "looks fine", "feedback": "Notes is open"}),
}
MALFORMED = {
    "match": "Role: operator",
    "reply": "{'action': {'name': 'open_app', 'args': {'app': 'Notes'}}}",
}
PROSE = {"match": "Role: operator", "reply": "I would open the Notes app."}


def _off_screen_swipe(x1: int) -> dict[str, object]:
    return operator("swipe", {"x1": x1, "y1": 1200, "x2": 540, "y2": 1200})


def test_a_reflection_without_outcome_is_fed_back_not_taken_as_success() -> None:
    run = run_script(
        [manager("Open Notes"), OPEN_NOTES, NO_OUTCOME, reflector("wrong_page"), operator("finish")]
    )
    assert run.result is not None
    assert agent_sequence(run.model)[:4] == ["manager", "operator", "reflector", "reflector*"]
    repair = run.model.calls[3].last_user_text
    assert "outcome" in repair
    assert [r.outcome for r in run.events.of("reflected")] == ["wrong_page"]
    assert run.events.of("step_finished")[0].ok is False


def test_two_reflections_without_outcome_fail_the_step() -> None:
    run = run_script(
        [manager("Open Notes"), OPEN_NOTES, NO_OUTCOME, NO_OUTCOME, operator("finish")]
    )
    result = run.result
    assert result is not None
    failed = run.events.of("step_failed")
    assert [(f.step, f.phase) for f in failed] == [(1, "reflector")]
    assert "outcome" in failed[0].reason
    assert run.events.of("reflected") == []
    assert [e.ok for e in run.events.of("step_finished") if e.step == 1] in ([], [False])
    assert result.failed_steps == 1
    assert result.state is FinalState.SUCCEEDED, result.reason  # the finish of step 2


def test_a_malformed_operator_reply_is_re_asked_once_and_not_acted_on() -> None:
    run = run_script(
        [manager("Open Notes"), MALFORMED, OPEN_NOTES, reflector(), operator("finish")]
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert agent_sequence(run.model)[:3] == ["manager", "operator", "operator*"]
    assert "double quotes" in run.model.calls[2].last_user_text
    assert run.device.action_names() == ["open_app"]
    assert executed(run) == ["open_app", "finish"]
    assert run.events.of("step_failed") == []


def test_a_malformed_operator_reply_twice_fails_the_step_without_acting() -> None:
    device = MemoryDevice(screenshots=False)
    actions_when_failed: list[int] = []

    def note_actions(event: Event) -> None:
        if event.kind == "step_failed":
            actions_when_failed.append(len(device.actions))

    run = run_script(
        [manager("Open Notes"), MALFORMED, PROSE, OPEN_NOTES, reflector(), operator("finish")],
        device=device,
        listeners=[note_actions],
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.SUCCEEDED, result.reason
    failed = run.events.of("step_failed")
    assert [(f.step, f.phase) for f in failed] == [(1, "operator")]
    assert "unusable twice" in failed[0].reason
    assert actions_when_failed == [0]  # nothing reached the phone in the failed step
    # asked once more in step 1, not twice; step 2 starts afresh
    assert agent_sequence(run.model) == [
        "manager",
        "operator",
        "operator*",
        "operator",
        "reflector",
        "notetaker",
        "operator",
    ]
    assert "action_executed" not in run.events.kinds(1)
    assert run.device.phone.current()[0] == NOTES


def test_a_swipe_starting_off_screen_is_refused_with_feedback() -> None:
    run = run_script(
        [
            manager("Scroll"),
            _off_screen_swipe(5000),
            _off_screen_swipe(1080),  # x == width is off screen too
            operator("finish"),
        ]
    )
    assert run.result is not None
    assert agent_sequence(run.model) == ["manager", "operator", "operator*", "operator"]
    assert "outside the 1080x2400 screen" in run.model.calls[2].last_user_text
    failed = run.events.of("step_failed")
    assert [(f.step, f.phase) for f in failed] == [(1, "operator")]
    assert "(1080, 1200) is outside" in failed[0].reason
    assert run.device.actions == []


def test_a_refused_swipe_repaired_on_screen_runs() -> None:
    run = run_script(
        [
            manager("Scroll"),
            _off_screen_swipe(5000),
            _off_screen_swipe(1079),
            reflector(),
            operator("finish"),
        ]
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    swipes = [c.args for c in run.device.actions if c.name == "swipe"]
    assert [args[:4] for args in swipes] == [(1079, 1200, 540, 1200)]
