"""The runner's side of the prompt contract, on the in-memory phone: what counts as a failure,
how a task ends, and what the agents are shown as the run goes on."""

from __future__ import annotations

from scripted_agents import (
    KEEP_NOTES,
    agent_sequence,
    manager,
    notetaker,
    operator,
    reflector,
    tap_el,
    type_el,
)

from mobile_agent.events import FinalState

from .harness import limits, run_script

OPEN_NOTES = operator("open_app", {"app": "Notes"})
PLAN = ["Open the Notes app", "Write the note"]


def _prompts(run: object, role: str) -> list[str]:
    calls = run.model.calls  # type: ignore[attr-defined]
    return [c.last_user_text for c in calls if c.messages[0].text.startswith(f"Role: {role}")]


def test_a_wait_that_changes_nothing_is_not_a_failure() -> None:
    waits = [operator("wait", {"seconds": 0.01}), reflector("no_change")] * 3
    run = run_script(
        [
            {**manager("Wait for the list"), "repeat": True},
            OPEN_NOTES,
            reflector(),
            *waits,
            operator("finish"),
        ],
        run_limits=limits(max_consecutive_failures=2, escalate_after=2, loop_window=10),
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    finished = [(e.step, e.outcome, e.ok) for e in run.events.of("step_finished")]
    assert finished[1:4] == [(2, "success", True), (3, "success", True), (4, "success", True)]
    assert run.events.of("step_failed") == []
    assert agent_sequence(run.model).count("manager") == 1  # never escalated


def test_a_wait_that_led_to_a_wrong_page_is_still_one() -> None:
    run = run_script(
        [
            manager("Wait"),
            operator("wait", {"seconds": 0.01}),
            reflector("wrong_page"),
            operator("finish"),
        ],
    )
    assert next(e.outcome for e in run.events.of("step_finished")) == "wrong_page"


def test_an_answered_question_on_an_unchanged_screen_is_not_a_failure() -> None:
    run = run_script(
        [
            manager("Ask"),
            operator("ask_user", {"question": "Which title?"}),
            reflector("no_change"),
            operator("finish"),
        ],
        ask_user=lambda question: "Groceries",
    )
    first = run.events.of("step_finished")[0]
    assert (first.outcome, first.ok) == ("success", True)
    # the user's words reach the next prompts, apart from the notes
    last = run.model.calls[-1].last_user_text
    assert "## What the user said\nThe user said: Groceries" in last
    assert "Groceries" not in last.split("<notes>", 1)[1].split("</notes>", 1)[0]


def test_the_operator_ends_an_infeasible_task_as_failed_with_its_reason() -> None:
    reason = "there is no Calendar app on this phone"
    run = run_script(
        [manager("Open the calendar"), operator("finish", {"success": False, "reason": reason})]
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.FAILED
    assert result.reason == f"the operator judged the task infeasible: {reason}"
    last = run.events.of("step_finished")[-1]
    assert (last.outcome, last.ok) == ("infeasible", False)
    assert last.action == {"name": "finish", "args": {"success": False, "reason": reason}}
    assert result.steps == 1


def test_the_manager_ends_an_infeasible_task_the_same_way() -> None:
    run = run_script([manager("", infeasible="the task asks for a phone call; there is no SIM")])
    result = run.result
    assert result is not None
    assert result.state is FinalState.FAILED
    assert result.reason.endswith("infeasible: the task asks for a phone call; there is no SIM")
    last = run.events.of("step_finished")[-1]
    assert (last.outcome, last.phase, last.action["name"]) == ("infeasible", "manager", "finish")
    assert result.steps == 0  # the manager's verdict alone is no step
    assert run.device.actions == []


def test_notes_are_taken_after_every_successful_step_only() -> None:
    run = run_script(
        [
            {**manager("Look"), "repeat": True},
            OPEN_NOTES,
            reflector(),
            notetaker("four notes are listed"),
            operator("open_app", {"app": "Nowhere"}),  # fails: no such app
            operator("home"),
            reflector("no_change"),
            operator("finish"),
        ]
    )
    sequence = agent_sequence(run.model)
    assert sequence == [
        "manager",
        "operator",
        "reflector",
        "notetaker",
        "operator",
        "operator",
        "reflector",
        "manager",
        "operator",
    ]
    assert run.result is not None and run.result.notes == "four notes are listed"
    # the operator's next prompt carries them, as data
    later = _prompts(run, "operator")[1]
    assert "<notes>\n(Copied from the phone's screens." in later
    assert "four notes are listed\n</notes>" in later


def test_progress_plan_marks_and_history_follow_the_run() -> None:
    written = "Notes is open on its list; nothing written yet."
    run = run_script(
        [
            manager(PLAN[0], PLAN),
            manager(PLAN[1], PLAN),
            OPEN_NOTES,
            reflector(done=True, progress=written),
            tap_el("New note"),
            reflector(),  # no progress given: the runner makes one
            type_el("Title", "Groceries"),
            reflector(),
            operator("finish"),
            KEEP_NOTES,
        ]
    )
    assert run.result is not None and run.result.succeeded, run.result.reason
    managers = _prompts(run, "manager")
    why = f'## Why you are called\nThe subgoal "{PLAN[0]}" was just completed: choose the next'
    assert why in managers[1]
    assert "1. [done] Open the Notes app\n2. Write the note" in managers[1]
    assert (
        "1. [done] Open the Notes app\n2. [current] Write the note" in _prompts(run, "operator")[1]
    )
    step2, step3 = _prompts(run, "operator")[1:3]
    assert f"## Progress\n{written}" in step2
    assert "## Step 2 of 30" in step2
    assert "Done: Open the Notes app. Last step: tapped [" in step3  # made by the runner
    history = step3.split("## Recent steps\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert history[0] == "step 1: opened Notes — open_app → success"
    assert history[1].startswith("step 2: tapped [") and history[1].endswith(
        '"New note" — tap New note → success'
    )
    reflected = run.events.of("reflected")
    assert reflected[0].progress == written
    chosen = run.events.of("action_chosen")[0]
    assert chosen.expectation == ""  # the scripted operator gave none; the field is optional


def test_the_reflector_hears_the_operator_s_expectation() -> None:
    expected = "The Notes list is shown."
    run = run_script(
        [
            manager("Open Notes"),
            operator("open_app", {"app": "Notes"}, "open Notes", expected),
            reflector(),
            operator("finish"),
        ],
    )
    reflector_prompt = _prompts(run, "reflector")[0]
    assert f"Expected: {expected}\nResult: opened Notes" in reflector_prompt
    assert run.events.of("action_chosen")[0].expectation == expected


def test_every_agent_gets_its_reply_schema() -> None:
    run = run_script([manager("Open Notes"), OPEN_NOTES, reflector(), operator("finish")])
    schemas = {c.messages[0].text.split("\n", 1)[0]: c.response_schema for c in run.model.calls}
    assert set(schemas) == {f"Role: {r}" for r in ("manager", "operator", "reflector", "notetaker")}
    assert schemas["Role: reflector"]["properties"]["outcome"]
    assert schemas["Role: operator"]["properties"]["action"]


def test_the_fixed_part_of_each_prompt_is_byte_identical_across_the_run() -> None:
    run = run_script(
        [
            {**manager("Tour"), "repeat": True},
            *[OPEN_NOTES, reflector(), operator("home"), reflector()] * 3,
            operator("finish"),
        ],
        tips="- Learned: the Notes app lists notes newest first.",
    )
    by_role: dict[str, set[str]] = {}
    for call in run.model.calls:
        system, user = call.messages[0].text, call.messages[1].text
        head = user.split("\n## Step ", 1)[0]
        by_role.setdefault(system.split("\n", 1)[0], set()).add(system + "\n" + head)
    assert len(by_role) == 4
    assert all(len(parts) == 1 for parts in by_role.values()), {
        role: len(parts) for role, parts in by_role.items()
    }
    assert sum(1 for c in run.model.calls if "Role: operator" in c.messages[0].text) == 7


def test_keyboard_keys_never_reach_a_prompt() -> None:
    run = run_script(
        [
            manager("Write"),
            OPEN_NOTES,
            reflector(),
            tap_el("New note"),
            reflector(),
            type_el("Title", "Groceries"),
            reflector(),
            operator("finish"),
        ],
    )
    prompts = [m.text for c in run.model.calls for m in c.messages]
    assert not any("inputmethod" in text for text in prompts)
    assert not any('Button "q"' in text for text in prompts)
    assert any("keyboard shown (its keys are not listed)" in text for text in prompts)
