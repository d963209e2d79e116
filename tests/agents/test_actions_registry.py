"""The action registry: prompt, schema, validation and shortcuts derived from declarations."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import Field

from mobile_agent.actions import (
    ActionContext,
    ActionParams,
    ActionResult,
    Refusal,
    Registry,
    Shortcut,
    ShortcutStep,
    action,
    default_registry,
    expand,
    registry_with_shortcuts,
)
from mobile_agent.errors import ParseError
from mobile_agent.perception.elements import BoundingBox, UIElement

ATOMIC = {
    "open_app",
    "tap",
    "long_press",
    "type",
    "scroll",
    "swipe",
    "enter",
    "back",
    "home",
    "app_switch",
    "wait",
    "ask_user",
    "finish",
}


def _ctx(elements: list[UIElement] | None = None, **extra: Any) -> ActionContext:
    # Only context checks run in these tests; executing actions happens on the virtual phone.
    return ActionContext(device=None, elements=elements or [], screen_size=(1080, 2400), **extra)  # type: ignore[arg-type]


def _elements() -> list[UIElement]:
    return [
        UIElement(1, BoundingBox(0, 100, 1080, 200), text="Search", editable=True, focused=True),
        UIElement(2, BoundingBox(900, 2000, 1040, 2140), description="New note", clickable=True),
        UIElement(3, BoundingBox(0, 300, 1080, 400), text="Save", clickable=True),
    ]


class EchoParams(ActionParams):
    word: str = Field(..., max_length=5, description="a short word to echo")


@action("echo", "Say a word back.", EchoParams)
def echo(p: EchoParams, ctx: ActionContext) -> ActionResult:
    return ActionResult(ok=True, summary=p.word)


def test_default_registry_holds_every_atomic_action() -> None:
    assert set(default_registry().names) == ATOMIC


def test_prompt_lists_each_action_with_description_and_arguments() -> None:
    reg = default_registry()
    text = reg.prompt_text()
    for name in reg.names:
        act = reg.get(name)
        assert act is not None
        assert f"- {name}: {act.description}" in text
        for field_name in act.params.model_fields:
            assert f"{field_name} (" in text, (name, field_name)


def test_a_new_declaration_changes_prompt_schema_and_dispatch_together() -> None:
    reg = Registry([echo])
    assert (
        "- echo: Say a word back. Arguments: word (string ≤5 chars): a short word to echo."
        in reg.prompt_text()
    )
    schema = reg.action_schema()
    assert schema["properties"]["name"]["const"] == "echo"
    result = reg.execute(reg.parse_call("echo", {"word": "hi"}), _ctx())
    assert (result.ok, result.summary) == (True, "hi")
    with pytest.raises(ParseError, match="word"):
        reg.parse_call("echo", {"word": "far too long"})


def test_schema_is_a_union_discriminated_on_the_action_name() -> None:
    schema = default_registry().action_schema()
    names = set(schema["discriminator"]["mapping"])
    assert names == ATOMIC
    tap_ref = schema["discriminator"]["mapping"]["tap"].rsplit("/", 1)[-1]
    tap_args = schema["$defs"][tap_ref]["properties"]["args"]
    assert "$ref" in tap_args or "properties" in tap_args
    json.dumps(schema)  # serialisable as a response_format


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        Registry([echo, echo])


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("tapp", {}, "unknown action 'tapp'"),
        (None, {}, "unknown action None"),
        ("tap", {}, "exactly one of"),
        ("tap", {"x": 10}, "both x and y"),
        ("tap", {"element": 1, "x": 1, "y": 2}, "exactly one of"),
        ("tap", {"element": 0}, "greater than or equal to 1"),
        ("tap", {"element": "three"}, "element"),
        ("tap", {"element": 3, "force": True}, "force"),
        ("scroll", {"direction": "sideways"}, "direction"),
        ("type", {}, "text"),
        ("swipe", {"x1": 1, "y1": 2, "x2": 3}, "y2"),
        ("wait", {"seconds": 600}, "seconds"),
        ("tap", [1, 2], "must be a JSON object"),
    ],
)
def test_bad_arguments_become_feedback(name: Any, args: Any, expected: str) -> None:
    with pytest.raises(ParseError) as info:
        default_registry().parse_call(name, args)
    assert expected in str(info.value)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("tap", {"element": 9}, "no element 9"),
        ("tap", {"x": 1080, "y": 5}, "outside the 1080x2400 screen"),
        ("long_press", {"x": 5, "y": 2400}, "outside"),
        ("swipe", {"x1": 10, "y1": 10, "x2": 2000, "y2": 10}, "outside"),
        ("tap", {"label": "Delete"}, "labelled 'Delete'"),
        ("type", {"text": "x", "element": 7}, "no element 7"),
        ("scroll", {"direction": "down", "element": 4}, "no element 4"),
    ],
)
def test_arguments_that_do_not_fit_the_screen_are_refused_before_running(
    name: str, args: dict[str, Any], expected: str
) -> None:
    reg = default_registry()
    call = reg.parse_call(name, args)
    problem = reg.check(call, _ctx(_elements()))
    assert problem is not None
    assert expected in problem
    result = reg.execute(call, _ctx(_elements()))  # the device is never touched
    assert not result.ok
    assert expected in result.error


def test_arguments_that_fit_pass_the_check() -> None:
    reg = default_registry()
    for name, args in [
        ("tap", {"element": 3}),
        ("tap", {"x": 1079, "y": 2399}),
        ("tap", {"label": "new NOTE"}),
        ("type", {"text": "milk", "element": 1}),
        ("scroll", {"direction": "down"}),
    ]:
        assert reg.check(reg.parse_call(name, args), _ctx(_elements())) is None, name


def test_call_keys_are_canonical() -> None:
    reg = default_registry()
    a = reg.parse_call("swipe", {"x1": 1, "y1": 2, "x2": 3, "y2": 4})
    b = reg.parse_call("swipe", {"y2": 4, "x2": 3, "y1": 2, "x1": 1, "duration_ms": 300})
    c = reg.parse_call("swipe", {"x1": 1, "y1": 2, "x2": 3, "y2": 5})
    assert a.key() == b.key() != c.key()
    assert a.to_dict() == {"name": "swipe", "args": {"x1": 1, "y1": 2, "x2": 3, "y2": 4}}


def test_ask_user_without_a_user_channel_blocks() -> None:
    reg = default_registry()
    result = reg.execute(reg.parse_call("ask_user", {"question": "Which account?"}), _ctx())
    assert result.blocked
    assert not result.ok
    ctx = _ctx(ask_user=lambda q: "the work one" if "account" in q else None)
    answered = reg.execute(reg.parse_call("ask_user", {"question": "Which account?"}), ctx)
    assert (answered.ok, answered.user_reply) == (True, "the work one")


def test_finish_carries_the_answer() -> None:
    reg = default_registry()
    result = reg.execute(reg.parse_call("finish", {"answer": "555-0101"}), _ctx())
    assert (result.finished, result.answer) == (True, "555-0101")


NOTE = Shortcut(
    name="create_note",
    description="Create a note in the Notes app.",
    params=("title", "body"),
    precondition="the Notes list is shown",
    steps=(
        ShortcutStep("tap", {"label": "New note"}),
        ShortcutStep("type", {"text": "{title}"}),
        ShortcutStep("type", {"text": "{body} ({title})", "element": 2}),
    ),
)


def test_shortcut_expands_into_registry_calls() -> None:
    steps = expand(NOTE, {"title": "Groceries", "body": "milk"})
    assert steps == [
        ("tap", {"label": "New note"}),
        ("type", {"text": "Groceries"}),
        ("type", {"text": "milk (Groceries)", "element": 2}),
    ]
    with pytest.raises(ParseError, match="body"):
        expand(NOTE, {"title": "x"})


def test_shortcut_is_offered_and_validated_like_an_action() -> None:
    reg = registry_with_shortcuts(default_registry(), [NOTE])
    assert "create_note" in reg
    line = "- create_note: Shortcut: Create a note in the Notes app. Use only when: the Notes list"
    assert line in reg.prompt_text()
    assert "create_note" in reg.action_schema()["discriminator"]["mapping"]
    call = reg.parse_call("create_note", {"title": "a", "body": "b"})
    assert call.args() == {"title": "a", "body": "b"}
    with pytest.raises(ParseError, match="body"):
        reg.parse_call("create_note", {"title": "a"})
    assert "create_note" not in default_registry()


def test_shortcut_replay_stops_at_a_step_that_does_not_fit() -> None:
    broken = Shortcut(
        "broken", "Tap a missing button.", steps=(ShortcutStep("tap", {"label": "Nope"}),)
    )
    reg = registry_with_shortcuts(default_registry(), [broken])
    result = reg.execute(reg.parse_call("broken", {}), _ctx(_elements()))
    assert not result.ok
    assert "step 1 (tap)" in result.error
    assert "labelled 'Nope'" in result.error


def test_shortcut_with_an_action_name_is_skipped() -> None:
    clash = Shortcut("back", "Not really back.", steps=())
    reg = registry_with_shortcuts(default_registry(), [clash])
    act = reg.get("back")
    assert act is not None
    assert act.description.startswith("Go back")


def test_the_gate_sees_every_call_including_shortcut_steps() -> None:
    seen: list[str] = []

    def gate(call: Any, ctx: ActionContext) -> Refusal | None:
        seen.append(call.name)
        if call.name == "type":
            return Refusal("typing needs the user's confirmation")
        return None

    typing_shortcut = Shortcut("fill", "Type a word.", steps=(ShortcutStep("type", {"text": "x"}),))
    reg = registry_with_shortcuts(default_registry(), [typing_shortcut])
    ctx = _ctx(_elements(), gate=gate)
    direct = reg.execute(reg.parse_call("type", {"text": "secret"}), ctx)
    assert not direct.ok
    assert "not allowed: typing needs the user's confirmation" in direct.error
    via_shortcut = reg.execute(reg.parse_call("fill", {}), ctx)
    assert not via_shortcut.ok
    assert "not allowed" in via_shortcut.error
    assert seen == ["type", "fill", "type"]
    assert not direct.blocked and not via_shortcut.blocked
    finished = reg.execute(reg.parse_call("finish", {}), ctx)
    assert finished.finished


def test_a_held_call_blocks_the_run_directly_and_inside_a_shortcut() -> None:
    def gate(call: Any, ctx: ActionContext) -> Refusal | None:
        return Refusal("nobody to confirm", blocked=True) if call.name == "type" else None

    typing_shortcut = Shortcut("fill", "Type a word.", steps=(ShortcutStep("type", {"text": "x"}),))
    reg = registry_with_shortcuts(default_registry(), [typing_shortcut])
    ctx = _ctx(_elements(), gate=gate)
    direct = reg.execute(reg.parse_call("type", {"text": "secret"}), ctx)
    via_shortcut = reg.execute(reg.parse_call("fill", {}), ctx)
    assert direct.blocked and via_shortcut.blocked
    assert "nobody to confirm" in direct.error and "nobody to confirm" in via_shortcut.error


def test_typing_needs_a_focused_field_or_a_named_one() -> None:
    reg = default_registry()
    unfocused = [
        UIElement(1, BoundingBox(0, 100, 1080, 200), text="Search", editable=True),
        UIElement(2, BoundingBox(0, 300, 1080, 400), text="Save", clickable=True),
    ]
    problem = reg.check(reg.parse_call("type", {"text": "milk"}), _ctx(unfocused))
    assert problem is not None
    assert "focus" in problem
    assert (
        reg.check(reg.parse_call("type", {"text": "milk", "element": 1}), _ctx(unfocused)) is None
    )
    assert reg.check(reg.parse_call("type", {"text": "milk"}), _ctx(_elements())) is None


def test_a_shortcut_replays_later_steps_on_the_screen_observed_after_each_step() -> None:
    # GIVEN a shortcut whose second step targets an element only the next screen shows
    from mobile_agent.perception.artifacts import Screen
    from mobile_agent.perception.observation import Observation

    later = Observation(
        screen=Screen(b"", "", 1080, 2400),
        elements=(UIElement(7, BoundingBox(0, 0, 10, 10), text="Done", clickable=True),),
    )
    looked: list[int] = []

    def observe() -> Observation:
        looked.append(1)
        return later

    taps = Shortcut(
        "two_taps",
        "Tap Save, then Done.",
        steps=(ShortcutStep("finish", {}), ShortcutStep("tap", {"label": "Nope"})),
    )
    reg = registry_with_shortcuts(default_registry(), [taps])
    # WHEN it runs: the first step needs no device, the second is checked on the new screen
    result = reg.execute(reg.parse_call("two_taps", {}), _ctx(_elements(), observe=observe))
    # THEN the screen was observed once, reported with the result, and the step checked on it
    assert looked == [1]
    assert result.observations == (later,)
    assert not result.ok
    assert "step 2 (tap)" in result.error


def test_call_arguments_are_plain_values() -> None:
    call = default_registry().parse_call("scroll", {"direction": "up"})
    assert call.args() == {"direction": "up"}
    assert type(call.args()["direction"]) is str  # not the enum, whose repr leaks into output
    assert call.key() == 'scroll({"direction": "up"})'
