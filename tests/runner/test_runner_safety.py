"""The safety gate in a run: on by default, held actions end the run `blocked` without
touching the phone, a declined one is feedback, and a shortcut's steps are gated too."""

from __future__ import annotations

from scripted_agents import manager, operator, reflector, tap_el

from mobile_agent.actions import Shortcut, ShortcutStep
from mobile_agent.events import FinalState
from mobile_agent.safety import Policy, SafetyGate

from .harness import NOTES, run_script

DELETE_FIRST = [
    manager("Delete the first note"),
    operator("open_app", {"app": "Notes"}),
    reflector(),
]


def _notes(run: object) -> list[str]:
    phone = run.device.phone  # type: ignore[attr-defined]
    return [n["title"] for n in phone.app_state(NOTES)["notes"]]


def _newest(run: object) -> str:
    """The title of the note at the top of the list (the most recently modified)."""
    notes = run.device.phone.app_state(NOTES)["notes"]  # type: ignore[attr-defined]
    return str(max(notes, key=lambda n: n["modified"])["title"])


def test_without_a_gate_of_its_own_a_run_holds_a_delete_and_ends_blocked() -> None:
    title = _newest(run_script([manager("x", completed=True)]))
    run = run_script(
        [
            *DELETE_FIRST,
            operator("long_press", {"label": title}),
            reflector(),
            tap_el("Delete"),
            operator("finish"),
        ]
    )
    assert run.result is not None
    assert run.result.state is FinalState.BLOCKED
    assert "--allow delete" in run.result.reason and 'tap "Delete"' in run.result.reason
    assert title in _notes(run)  # nothing was deleted
    assert run.device.action_names() == ["open_app", "long_press"]  # the tap never ran


def test_a_declined_action_is_feedback_and_the_run_goes_on() -> None:
    asked = []
    gate = SafetyGate(confirm=lambda concern: asked.append(concern.kind) or False)
    title = _newest(run_script([manager("x", completed=True)]))
    run = run_script(
        [
            *DELETE_FIRST,
            operator("long_press", {"label": title}),
            reflector(),
            tap_el("Delete"),
            reflector("failed"),
            manager("give up", infeasible="the user said no"),
        ],
        gate=gate,
    )
    assert asked == ["delete"]
    assert run.result is not None and run.result.state is FinalState.FAILED
    failed = run.events.of("step_failed")
    assert any("the user declined" in f.reason for f in failed)
    assert title in _notes(run)


def test_a_shortcut_s_consequential_step_is_held_like_any_other() -> None:
    title = _newest(run_script([manager("x", completed=True)]))
    wipe = Shortcut(
        "wipe_first",
        "Delete the newest note.",
        steps=(
            ShortcutStep("open_app", {"app": "Notes"}),
            ShortcutStep("long_press", {"label": title}),
            ShortcutStep("tap", {"label": "Delete"}),
        ),
    )
    run = run_script(
        [manager("wipe"), operator("wipe_first"), operator("finish")], shortcuts=[wipe]
    )
    assert run.result is not None and run.result.state is FinalState.BLOCKED
    assert "--allow delete" in run.result.reason
    assert run.device.action_names() == ["open_app", "long_press"]
    assert title in _notes(run)


def test_an_explicit_policy_lets_the_kind_through() -> None:
    title = _newest(run_script([manager("x", completed=True)]))
    run = run_script(
        [
            *DELETE_FIRST,
            operator("long_press", {"label": title}),
            reflector(),
            tap_el("Delete"),
            reflector(done=True),
            manager("done", completed=True),
        ],
        gate=SafetyGate(Policy(allow=frozenset({"delete"}))),
    )
    assert run.result is not None and run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert title not in _notes(run)
