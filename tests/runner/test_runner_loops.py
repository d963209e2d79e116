"""Loop detection: the same action on an unchanged screen is warned once, then ends the run;
actions that change the screen never count, whatever the reflector says."""

from __future__ import annotations

from typing import Any

import pytest
from memory_device import MemoryDevice
from scripted_agents import agent_sequence, manager, operator, reflector, tap_el

from mobile_agent.events import FinalState
from virtual_phone.phone import Phone

from .harness import limits, run_script

# On the short notes list a drag scrolls nothing: the screen stays as it is.
SWIPE = operator("swipe", {"x1": 540, "y1": 1500, "x2": 540, "y2": 700})
SCROLL_DOWN = operator("scroll", {"direction": "down"})
MALFORMED = {"match": "Role: operator", "reply": "I would swipe again."}
PATIENT = limits(max_consecutive_failures=20)


def _loop_failures(run: Any) -> list[int]:
    return [f.step for f in run.events.of("step_failed") if f.phase == "loop"]


@pytest.mark.parametrize("verdict", ["no_change", "success"])
def test_a_repeated_swipe_on_an_unchanged_screen_is_warned_then_ends_the_run(
    verdict: str,
) -> None:
    run = run_script(
        [
            {**manager("Scroll the notes"), "repeat": True},
            operator("open_app", {"app": "Notes"}),
            reflector(),
            SWIPE,
            reflector(verdict),
            SWIPE,
            reflector(verdict),
            SWIPE,  # the third identical swipe: warned, not run
            SWIPE,  # again after the warning: the run ends
        ],
        run_limits=PATIENT,
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.FAILED
    assert "stuck" in result.reason
    assert "swipe" in result.reason
    assert result.steps == 5
    assert run.device.action_names() == ["open_app", "swipe", "swipe"]
    assert _loop_failures(run)[0] == 4  # (the ending step may be closed as a loop too)
    warning = run.events.of("step_failed")[0]
    # the manager re-planned, and the operator heard why
    assert agent_sequence(run.model)[-2:] == ["manager", "operator"]
    assert warning.reason in run.model.calls[-1].last_user_text


def test_actions_that_change_the_screen_are_not_fruitless() -> None:
    run = run_script(
        [
            {**manager("Read all settings"), "repeat": True},
            operator("open_app", {"app": "Settings"}),
            reflector(),
            *[SCROLL_DOWN, reflector()] * 4,  # two scrolls move the list, two hit its end
            SCROLL_DOWN,  # third fruitless try: warned
            operator("finish"),
        ],
        run_limits=PATIENT,
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.SUCCEEDED, result.reason
    assert _loop_failures(run) == [6]
    assert run.device.action_names() == ["open_app", *["scroll"] * 4]
    after = [e for e in run.events.of("screen_perceived") if e.phase == "after"]
    assert len(after) == 5


def test_the_same_key_reaching_this_screen_before_is_no_loop() -> None:
    run = run_script(
        [
            {**manager("Leave the editor"), "repeat": True},
            operator("open_app", {"app": "Notes"}),
            reflector(),
            *[tap_el("New note"), reflector(), operator("back"), reflector()] * 2,
            operator("back"),  # the third BACK: from the list this time, to the home screen
            reflector(),
            operator("finish"),
        ],
        run_limits=PATIENT,
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert _loop_failures(run) == []
    assert run.device.action_names() == ["open_app", "tap", "press", "tap", "press", "press"]
    assert run.device.phone.current()[0] == "com.android.launcher3"


def test_steps_without_an_action_do_not_hide_a_loop() -> None:
    run = run_script(
        [
            {**manager("Scroll the notes"), "repeat": True},
            operator("open_app", {"app": "Notes"}),
            reflector(),
            SWIPE,  # step 2
            reflector("no_change"),
            *[MALFORMED, MALFORMED] * 2,  # steps 3 and 4: no action
            SWIPE,  # step 5
            reflector("no_change"),
            SWIPE,  # step 6: the third attempt: warned
            operator("finish"),
        ],
        run_limits=PATIENT,
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    failed = [(f.step, f.phase) for f in run.events.of("step_failed")]
    assert failed == [(3, "operator"), (4, "operator"), (6, "loop")]
    assert run.device.action_names() == ["open_app", "swipe", "swipe"]


def test_a_cycle_of_two_actions_is_caught_at_its_third_round() -> None:
    down, up = SCROLL_DOWN, operator("scroll", {"direction": "up"})
    run = run_script(
        [
            {**manager("Read the settings"), "repeat": True},
            operator("open_app", {"app": "Settings"}),
            reflector(),
            *[down, reflector(), up, reflector()] * 2,
            down,  # step 6: down from the top again, the same way as twice before
            operator("finish"),
        ],
        run_limits=PATIENT,
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert _loop_failures(run) == [6]
    assert run.device.action_names() == ["open_app", *["scroll"] * 4]


def test_a_new_screen_rearms_the_warning() -> None:
    run = run_script(
        [
            {**manager("Scroll the notes"), "repeat": True},
            operator("open_app", {"app": "Notes"}),
            reflector(),
            *[SWIPE, reflector("no_change")] * 2,
            SWIPE,  # step 4: warned
            tap_el("New note"),  # step 5: a screen not met before
            reflector(),
            *[SWIPE, reflector("no_change")] * 2,  # the editor does not scroll either
            SWIPE,  # step 8: a fresh warning, not the end
            operator("finish"),
        ],
        run_limits=PATIENT,
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.SUCCEEDED, result.reason
    assert _loop_failures(run) == [4, 8]
    assert run.device.phone.current()[1] == "com.example.notes.EditorActivity"


def test_the_same_action_leading_elsewhere_each_time_is_no_loop() -> None:
    open_notes = operator("open_app", {"app": "Notes"})
    run = run_script(
        [
            {**manager("Look at Notes"), "repeat": True},
            open_notes,  # step 1: home → the notes list
            reflector(),
            tap_el("New note"),
            reflector(),
            operator("home"),
            reflector(),
            open_notes,  # step 4: home → the editor, where Notes was left
            reflector(),
            operator("back"),
            reflector(),
            operator("home"),
            reflector(),
            open_notes,  # step 7: home → the notes list: a third open, not a loop
            reflector(),
            operator("finish"),
        ],
        run_limits=PATIENT,
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert _loop_failures(run) == []
    assert [e.activity for e in run.events.of("screen_perceived") if e.phase == "after"][3] == (
        "com.example.notes.EditorActivity"
    )


def test_coming_back_to_a_known_screen_keeps_the_warning() -> None:
    run = run_script(
        [
            {**manager("Scroll the notes"), "repeat": True},
            operator("open_app", {"app": "Notes"}),
            reflector(),
            *[SWIPE, reflector("no_change")] * 2,
            SWIPE,  # step 4: warned
            operator("home"),  # steps 5 and 6: round the houses, to screens already met
            reflector(),
            operator("open_app", {"app": "Notes"}),
            reflector(),
            SWIPE,  # step 7: the same loop again: the end
        ],
        run_limits=PATIENT,
    )
    result = run.result
    assert result is not None
    assert result.state is FinalState.FAILED
    assert "stuck" in result.reason
    assert result.steps == 7
    assert run.device.action_names() == ["open_app", "swipe", "swipe", "press", "open_app"]


def test_a_cycle_of_three_actions_is_caught_at_its_third_round() -> None:
    # home → Settings → Notes → home → …: the same three attempts in the same states, each
    # time with the same results
    lap = [
        operator("open_app", {"app": "Settings"}),
        reflector(),
        operator("open_app", {"app": "Notes"}),
        reflector(),
        operator("home"),
        reflector(),
    ]
    run = run_script(
        [
            {**manager("Compare the apps"), "repeat": True},
            *lap,
            *lap,
            operator("open_app", {"app": "Settings"}),  # step 7 would open the third round
            operator("finish"),
        ],
        run_limits=PATIENT,
    )
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert _loop_failures(run) == [7]
    assert run.device.action_names() == ["open_app", "open_app", "press"] * 2


def _long_contact_list(count: int) -> MemoryDevice:
    phone = Phone(seed=0)
    state = phone.state()
    people = [
        {"id": n, "name": f"Person {n:03d}", "phone": f"+44 7000 {n:06d}", "email": ""}
        for n in range(1, count + 1)
    ]
    state["apps"]["com.example.contacts"]["contacts"] = people
    phone.load_state(state)
    return MemoryDevice(phone, screenshots=False)


def test_scrolling_through_a_long_list_is_not_a_loop() -> None:
    # GIVEN 80 contacts: every scroll down shows rows not seen before
    device = _long_contact_list(80)
    pages = 8
    run = run_script(
        [
            {**manager("Find the last contact"), "repeat": True},
            operator("open_app", {"app": "Contacts"}),
            reflector(),
            *[SCROLL_DOWN, reflector()] * pages,
            operator("finish"),
        ],
        device=device,
        run_limits=PATIENT,
    )
    # THEN no step is taken for a loop, and every scroll reached the phone
    assert run.result is not None
    assert run.result.state is FinalState.SUCCEEDED, run.result.reason
    assert _loop_failures(run) == []
    assert run.device.action_names() == ["open_app", *["scroll"] * pages]
