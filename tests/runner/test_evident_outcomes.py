"""Outcomes the screens settle need no reflector call; outcomes that need judgement still get
one. Runs on the in-memory phone with the default settings (evident outcomes on)."""

from __future__ import annotations

import io
import json
from typing import Any

from PIL import Image
from scripted_agents import (
    KEEP_NOTES,
    agent_sequence,
    manager,
    operator,
    reflector,
    tap_el,
    type_el,
)

from mobile_agent.actions import ActionCall, ActionResult, default_registry
from mobile_agent.actions.registry import NoParams
from mobile_agent.agents import Outcome
from mobile_agent.config import Settings
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import BoundingBox, UIElement
from mobile_agent.perception.observation import Observation
from mobile_agent.runner.evident import Acted, evident_outcome, same_pixels

from .harness import LAUNCHER, NOTES, SETTINGS, run_script

EVIDENT = SETTINGS.model_copy(update={"evident_outcomes": True})
OPEN_NOTES = operator("open_app", {"app": "Notes"})
REGISTRY = default_registry()


def _reflected(run: Any) -> list[tuple[str, str]]:
    return [(r.outcome, r.judged_by) for r in run.events.of("reflected")]


def test_opening_the_app_and_going_home_are_judged_by_the_screens() -> None:
    run = run_script(
        [manager("Look"), OPEN_NOTES, operator("home"), operator("finish"), KEEP_NOTES],
        settings=EVIDENT,
    )
    assert "reflector" not in agent_sequence(run.model)
    assert _reflected(run) == [("success", "screens"), ("success", "screens")]
    first = run.events.of("reflected")[0]
    assert NOTES in first.feedback and "in front" in first.feedback
    history = run.runner.state.history
    assert history[0].feedback == first.feedback  # the reason is recorded with the step


def test_a_tap_that_changes_nothing_is_no_change_without_the_reflector() -> None:
    run = run_script(
        [
            manager("Look"),
            OPEN_NOTES,
            operator("tap", {"x": 540, "y": 1500}),  # the empty space below the notes
            operator("finish"),
            KEEP_NOTES,
        ],
        settings=EVIDENT,
    )
    assert _reflected(run) == [("success", "screens"), ("no_change", "screens")]
    finished = run.events.of("step_finished")
    assert [f.outcome for f in finished][:2] == ["success", "no_change"]
    assert "reflector" not in agent_sequence(run.model)


def test_typed_text_in_the_field_is_a_success_and_a_tap_to_a_new_screen_asks() -> None:
    run = run_script(
        [
            manager("Create the note"),
            OPEN_NOTES,
            tap_el("New note"),  # a new screen: judgement
            reflector(),
            type_el("Title", "Groceries"),
            operator("finish"),
            KEEP_NOTES,
        ],
        settings=EVIDENT,
    )
    assert _reflected(run) == [
        ("success", "screens"),
        ("success", "reflector"),
        ("success", "screens"),
    ]
    assert "Groceries" in run.events.of("reflected")[2].feedback
    assert agent_sequence(run.model).count("reflector") == 1


def test_an_action_said_to_complete_the_subgoal_is_judged_by_the_reflector() -> None:
    claim = json.loads(OPEN_NOTES["reply"]) | {"completes_subgoal": True}
    run = run_script(
        [
            manager("Open Notes"),
            {"match": "Role: operator", "reply": json.dumps(claim)},
            reflector(done=True),
            manager("Done", completed=True),
            KEEP_NOTES,
        ],
        settings=EVIDENT,
    )
    assert _reflected(run) == [("success", "reflector")]
    assert run.events.of("reflected")[0].subgoal_completed is True


def test_the_setting_off_asks_the_reflector_every_time() -> None:
    run = run_script(
        [manager("Look"), OPEN_NOTES, reflector(), operator("finish"), KEEP_NOTES],
        settings=EVIDENT.model_copy(update={"evident_outcomes": False}),
    )
    assert _reflected(run) == [("success", "reflector")]


# -- the rules on their own, over screens made here ----------------------------------------
def _png(color: tuple[int, int, int], *, dot: tuple[int, int] | None = None) -> bytes:
    image = Image.new("RGB", (100, 200), color)
    if dot is not None:
        image.putpixel(dot, (255, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _screen(package: str, text: str = "Notes", png: bytes = b"", **field: Any) -> Observation:
    elements = (UIElement(1, BoundingBox(0, 20, 100, 60), text=text, package=package, **field),)
    shot = Screen(png or _png((250, 250, 250)), "<hierarchy/>", 100, 200, package=package)
    return Observation(screen=shot, elements=elements, elements_text=f'[1] "{text}"')


def _acted(
    name: str,
    args: dict[str, Any],
    before: Observation,
    after: Observation,
    **result: Any,
) -> Acted:
    call: ActionCall = REGISTRY.parse_call(name, args)
    outcome = ActionResult(ok=result.pop("ok", True), summary="did it", **result)
    return Acted(call, outcome, before, after, scope=frozenset({NOTES}))


def test_leaving_the_task_s_apps_is_a_wrong_page() -> None:
    before, after = _screen(NOTES), _screen("com.promo.rewards", "Claim your prize")
    verdict = evident_outcome(_acted("tap", {"x": 5, "y": 5}, before, after))
    assert verdict is not None and verdict.outcome is Outcome.WRONG_PAGE
    assert "com.promo.rewards" in verdict.reason
    home = evident_outcome(_acted("tap", {"x": 5, "y": 5}, before, _screen(LAUNCHER, "Phone")))
    assert home is None or home.outcome is not Outcome.WRONG_PAGE  # the home screen is no app


def test_an_app_opened_by_name_is_not_a_wrong_page_even_out_of_scope() -> None:
    before, after = _screen(LAUNCHER, "Phone"), _screen("com.example.clock", "Alarms")
    acted = _acted("open_app", {"app": "Clock"}, before, after, package="com.example.clock")
    verdict = evident_outcome(acted)
    assert verdict is not None and verdict.outcome is Outcome.SUCCESS


def test_a_field_that_does_not_hold_the_text_needs_judgement() -> None:
    field = {"editable": True, "focused": True}
    before = _screen(NOTES, "", **field)
    after = _screen(NOTES, "Grocer", png=_png((250, 250, 250), dot=(50, 50)), **field)
    assert evident_outcome(_acted("type", {"text": "Groceries"}, before, after)) is None
    done = _screen(NOTES, "Groceries", png=_png((250, 250, 250), dot=(50, 50)), **field)
    verdict = evident_outcome(_acted("type", {"text": "Groceries"}, before, done))
    assert verdict is not None and verdict.outcome is Outcome.SUCCESS


def test_a_password_field_is_never_read_back() -> None:
    field = {"editable": True, "focused": True, "password": True}
    before = _screen(NOTES, "", **field)
    after = _screen(NOTES, "secret", png=_png((250, 250, 250), dot=(9, 90)), **field)
    assert evident_outcome(_acted("type", {"text": "secret"}, before, after)) is None


def test_a_changed_pixel_below_the_status_bar_is_a_change() -> None:
    plain = _png((250, 250, 250))
    assert same_pixels(plain, _png((250, 250, 250), dot=(50, 3)))  # the clock's row
    assert not same_pixels(plain, _png((250, 250, 250), dot=(50, 150)))
    before = _screen(NOTES, png=plain)
    after = _screen(NOTES, png=_png((250, 250, 250), dot=(50, 150)))
    assert evident_outcome(_acted("tap", {"x": 5, "y": 50}, before, after)) is None
    same = evident_outcome(_acted("tap", {"x": 5, "y": 50}, before, _screen(NOTES, png=plain)))
    assert same is not None and same.outcome is Outcome.NO_CHANGE


def test_a_failed_action_and_a_wait_are_left_alone() -> None:
    before = _screen(NOTES)
    assert evident_outcome(_acted("tap", {"x": 5, "y": 50}, before, before, ok=False)) is None
    assert evident_outcome(_acted("wait", {}, before, before)) is None


def test_a_scroll_that_moved_the_list_is_a_success_and_one_that_did_not_is_no_change() -> None:
    before, after = _screen(NOTES, "Row 1"), _screen(NOTES, "Row 9")
    moved = evident_outcome(_acted("scroll", {"direction": "down"}, before, after))
    assert moved is not None and moved.outcome is Outcome.SUCCESS
    stuck = evident_outcome(_acted("scroll", {"direction": "down"}, before, before))
    assert stuck is not None and stuck.outcome is Outcome.NO_CHANGE


def test_settings_default_to_the_savings() -> None:
    settings = Settings()
    assert settings.evident_outcomes and settings.notetaker == "new"
    assert settings.notes_beside_verdict
    assert "manager" not in settings.agent_images


def test_a_shortcut_that_changed_the_screen_is_a_success_and_else_no_change() -> None:
    call = ActionCall("new_note", NoParams())
    before, after = _screen(NOTES, "Notes"), _screen(NOTES, "Groceries")
    ran = ActionResult(ok=True, summary="ran shortcut new_note: …")
    done = evident_outcome(Acted(call, ran, before, after, shortcuts={"new_note"}))
    assert done is not None and done.outcome is Outcome.SUCCESS and "shortcut" in done.reason
    still = evident_outcome(Acted(call, ran, before, before, shortcuts={"new_note"}))
    assert still is not None and still.outcome is Outcome.NO_CHANGE
    unknown = evident_outcome(Acted(call, ran, before, after))  # not known as a shortcut
    assert unknown is None


def test_an_answer_from_the_user_is_a_success_and_silence_needs_judgement() -> None:
    call = REGISTRY.parse_call("ask_user", {"question": "Which account?"})
    screen = _screen(NOTES)
    answered = ActionResult(ok=True, summary="asked", user_reply="the work one")
    verdict = evident_outcome(Acted(call, answered, screen, screen))
    assert verdict is not None and verdict.outcome is Outcome.SUCCESS
    silent = ActionResult(ok=True, summary="asked", user_reply="  ")
    assert evident_outcome(Acted(call, silent, screen, screen)) is None
