"""The registry's derived parts read exactly: the prompt's action list for every kind of
parameter, the reply schema (strict, each variant named after its action), the canonical key
of a call; and dispatch hands the gate and the actions the context they need."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

import pytest
from pydantic import Field

from mobile_agent.actions import (
    ActionCall,
    ActionContext,
    ActionParams,
    ActionResult,
    Refusal,
    Registry,
    action,
    default_registry,
)
from mobile_agent.errors import ParseError
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import BoundingBox, UIElement
from mobile_agent.perception.observation import Observation


class Speed(StrEnum):
    SLOW = "slow"
    FAST = "fast"


class DialParams(ActionParams):
    count: int = Field(..., ge=1, le=9, description="how many rings")
    share: float = Field(0.5, gt=0)
    speed: Speed = Field(Speed.FAST, description="how fast")
    then: Speed | None = None
    mode: Literal["a", "b"] | None = None
    value: int | str = 0
    extra: Any = None
    note: str | None = Field(None, max_length=20)


def _ok(params: ActionParams, ctx: ActionContext) -> ActionResult:
    return ActionResult(ok=True, summary=f"done on a {ctx.screen_size[0]} px wide screen")


def _registry() -> Registry:
    """Declared here, not at import: a declaration is code under test too."""
    return Registry(
        [
            action("dial_twice", "Dial a number.", DialParams)(_ok),
            action("hang_up", "End the call.")(_ok),
        ]
    )


def test_a_declaration_keeps_what_it_was_given() -> None:
    declared = action("dial_twice", "Dial a number.", DialParams)(_ok)
    assert (declared.name, declared.description) == ("dial_twice", "Dial a number.")
    assert declared.params is DialParams and declared.executor is _ok


def test_the_prompt_lists_every_kind_of_argument() -> None:
    assert _registry().prompt_text() == (
        "- dial_twice: Dial a number. Arguments: count (integer ≥1 ≤9): how many rings; "
        'share (number >0, optional); speed ("slow" | "fast", optional): how fast; '
        'then ("slow" | "fast", optional); mode ("a" | "b", optional); '
        "value (integer | string, optional); extra (any, optional); "
        "note (string ≤20 chars, optional).\n"
        "- hang_up: End the call. Arguments: none."
    )


def test_the_reply_schema_is_strict_and_names_each_variant_after_its_action() -> None:
    schema = _registry().action_schema()
    variants = schema["$defs"]
    assert [ref["$ref"] for ref in schema["oneOf"]] == [
        "#/$defs/DialTwiceCall",
        "#/$defs/HangUpCall",
    ]
    assert variants["DialTwiceCall"]["additionalProperties"] is False
    assert variants["DialTwiceCall"]["required"] == ["name", "args"]
    assert variants["HangUpCall"]["required"] == ["name"]  # no parameters: args may be left out


def test_changing_a_returned_schema_leaves_the_next_one_whole() -> None:
    registry = _registry()
    registry.action_schema()["$defs"]["HangUpCall"]["required"].append("args")
    assert registry.action_schema()["$defs"]["HangUpCall"]["required"] == ["name"]


def test_a_key_sorts_the_arguments_and_keeps_letters_as_they_are() -> None:
    call = default_registry().parse_call("type", {"text": "Zoë", "label": "Name", "clear": True})
    assert call.key() == 'type({"clear": true, "label": "Name", "text": "Zoë"})'


def test_an_unknown_call_fails_with_its_name() -> None:
    call = ActionCall("teleport", DialParams(count=1))
    result = _registry().execute(call, ActionContext(device=None))  # type: ignore[arg-type]
    assert result.error == "unknown action 'teleport'"


def test_the_gate_sees_the_screen_the_call_would_act_on() -> None:
    seen: list[tuple[int, int]] = []

    def gate(call: ActionCall, ctx: ActionContext) -> Refusal | None:
        seen.append(ctx.screen_size)
        return Refusal("not on a phone this narrow") if ctx.screen_size[0] < 500 else None

    registry = _registry()
    call = registry.parse_call("hang_up", {})
    narrow = ActionContext(device=None, screen_size=(400, 800), gate=gate)  # type: ignore[arg-type]
    assert registry.execute(call, narrow).error == "not allowed: not on a phone this narrow"
    assert seen == [(400, 800)]


def test_a_context_moved_to_a_newer_screen_takes_its_size_and_app() -> None:
    element = UIElement(1, BoundingBox(0, 0, 10, 10), text="OK")
    newer = Observation(screen=Screen(b"", "", 720, 1600, package="com.x"), elements=(element,))
    ctx = ActionContext(device=None, screen_size=(1080, 2400)).on(newer)  # type: ignore[arg-type]
    assert ctx.screen_size == (720, 1600) and ctx.elements == (element,)
    assert ctx.package == "com.x"


def test_no_arguments_are_empty_arguments() -> None:
    assert _registry().parse_call("hang_up", None).args() == {}


@pytest.mark.parametrize(
    ("name", "args", "error"),
    [
        ("fly", {}, "unknown action 'fly'; choose one of: dial_twice, hang_up"),
        ("hang_up", [1], "the arguments of 'hang_up' must be a JSON object, got list"),
        ("dial_twice", {}, "bad arguments for 'dial_twice': count: Field required"),
    ],
)
def test_a_call_that_does_not_fit_says_why(name: str, args: Any, error: str) -> None:
    with pytest.raises(ParseError) as caught:
        _registry().parse_call(name, args)
    assert str(caught.value) == error


def test_a_problem_of_all_the_arguments_is_named_as_the_arguments() -> None:
    with pytest.raises(ParseError) as caught:
        default_registry().parse_call("tap", {"x": 1, "y": 2, "element": 3})
    assert str(caught.value) == (
        "bad arguments for 'tap': arguments: give exactly one of: element, x and y, label"
    )
