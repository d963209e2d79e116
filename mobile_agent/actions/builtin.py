"""The atomic actions, each a small module-level function declared with `@action`."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from pydantic import Field, model_validator

from mobile_agent.actions.registry import (
    ActionContext,
    ActionParams,
    ActionResult,
    NoParams,
    RegisteredAction,
    action,
)
from mobile_agent.device.base import Direction, Key
from mobile_agent.perception.elements import UIElement

log = logging.getLogger(__name__)

MAX_TEXT = 2000
MAX_REASON = 500
# Actions whose purpose is not to change the screen: an unchanged screen is no failure.
PASSIVE_ACTIONS = frozenset({"wait", "ask_user"})


class TargetParams(ActionParams):
    """Where to act: exactly one of an element number, a point (x and y), an exact label."""

    element: int | None = Field(None, ge=1, description="the element's number")
    x: int | None = Field(None, ge=0, description="pixels from the left")
    y: int | None = Field(None, ge=0, description="pixels from the top")
    label: str | None = Field(
        None, min_length=1, max_length=200, description="the element's exact text or description"
    )

    @model_validator(mode="after")
    def _one_target(self) -> TargetParams:
        has_point = self.x is not None or self.y is not None
        if has_point and (self.x is None or self.y is None):
            raise ValueError("give both x and y")
        if sum((self.element is not None, has_point, self.label is not None)) != 1:
            raise ValueError("give exactly one of: element, x and y, label")
        return self

    def check(self, ctx: ActionContext) -> str | None:
        if self.element is not None and ctx.element(self.element) is None:
            return f"there is no element {self.element} on this screen"
        if self.x is not None and self.y is not None:
            return _check_point(self.x, self.y, ctx)
        if self.label is not None and find_by_label(ctx.elements, self.label) is None:
            return f"no element on this screen is labelled {self.label!r}"
        return None

    def resolve(self, ctx: ActionContext) -> tuple[tuple[int, int], str]:
        """The point to touch and a short description of it."""
        el = None
        if self.element is not None:
            el = ctx.element(self.element)
        elif self.label is not None:
            el = find_by_label(ctx.elements, self.label)
        if el is not None:
            return el.bounds.center, _describe(el)
        x, y = self.x or 0, self.y or 0  # the validator guarantees both are set here
        return (x, y), f"({x}, {y})"


def _check_point(x: int, y: int, ctx: ActionContext) -> str | None:
    width, height = ctx.screen_size
    if width and height and not (0 <= x < width and 0 <= y < height):
        return f"point ({x}, {y}) is outside the {width}x{height} screen"
    return None


def find_by_label(
    elements: Sequence[UIElement], label: str, *, field: bool = False
) -> UIElement | None:
    """The element `label` names (`UIElement.named`). To tap (`field` False): buttons and
    rows first, then text fields, then plain text, so that a search result wins over the
    search field holding the same words; to type into (`field` True): text fields first.
    Within each, the whole text or description before a folded one (a row's title)."""

    def kind(el: UIElement) -> int:
        if el.editable:
            return 0 if field else 1
        return (1 if field else 0) if el.clickable or el.long_clickable else 2

    ranked = [(kind(el), rank, el) for el in elements if (rank := el.named(label)) is not None]
    ranked.sort(key=lambda item: item[:2])
    return ranked[0][2] if ranked else None


def _describe(el: UIElement) -> str:
    """`[9] "Chloé Anderson"`: the element's number and what it is called."""
    label = " ".join(el.label.split()) if not el.password else "password field"
    if len(label) > 60:
        label = label[:59] + "…"
    return f'[{el.id}] "{label}"' if label else f"[{el.id}]"


class OpenAppParams(ActionParams):
    app: str = Field(
        ..., min_length=1, max_length=200, description='app name or package, e.g. "Notes"'
    )


@action(
    "open_app",
    "Open an installed app by its name or package (never tap around to find it).",
    OpenAppParams,
)
def open_app(p: OpenAppParams, ctx: ActionContext) -> ActionResult:
    info = ctx.device.open_app(p.app)
    return ActionResult(
        ok=True, summary=f"opened {info.label or info.package}", package=info.package
    )


@action("tap", "Tap an element or a point.", TargetParams)
def tap(p: TargetParams, ctx: ActionContext) -> ActionResult:
    (x, y), what = p.resolve(ctx)
    ctx.device.tap(x, y)
    return ActionResult(ok=True, summary=f"tapped {what}")


@action("long_press", "Touch and hold an element or a point.", TargetParams)
def long_press(p: TargetParams, ctx: ActionContext) -> ActionResult:
    (x, y), what = p.resolve(ctx)
    ctx.device.long_press(x, y)
    return ActionResult(ok=True, summary=f"long-pressed {what}")


class TypeParams(ActionParams):
    text: str = Field(..., max_length=MAX_TEXT, description="the text to type")
    element: int | None = Field(None, ge=1, description="the text field's number")
    label: str | None = Field(
        None, min_length=1, max_length=200, description="the text field's exact label"
    )
    clear: bool = Field(False, description="replace the text the field already holds")

    @model_validator(mode="after")
    def _one_field(self) -> TypeParams:
        if self.element is not None and self.label is not None:
            raise ValueError("give element or label, not both")
        return self

    def check(self, ctx: ActionContext) -> str | None:
        if self.element is not None and ctx.element(self.element) is None:
            return f"there is no element {self.element} on this screen"
        if self.label is not None and self.field(ctx) is None:
            return f"no element on this screen is labelled {self.label!r}"
        named = self.element is not None or self.label is not None
        if not named and ctx.elements and not any(e.focused and e.editable for e in ctx.elements):
            return "no text field has the focus; give the field's element number"
        return None

    def field(self, ctx: ActionContext) -> UIElement | None:
        """The text field to tap before typing, if one was named."""
        if self.element is not None:
            return ctx.element(self.element)
        if self.label is None:
            return None
        return find_by_label(ctx.elements, self.label, field=True)


@action(
    "type",
    "Type text into a text field: the one named (tapped first), else the focused one.",
    TypeParams,
)
def type_text(p: TypeParams, ctx: ActionContext) -> ActionResult:
    el = p.field(ctx)
    if el is not None:
        ctx.device.tap(*el.bounds.center)
    ctx.device.type_text(p.text, clear=p.clear)
    target = el or next((e for e in ctx.elements if e.focused and e.editable), None)
    shown = "•" * len(p.text) if target is not None and target.password else p.text
    into = f" into {_describe(el)}" if el is not None else ""
    return ActionResult(ok=True, summary=f'typed "{shown}"{into}')


class ScrollParams(ActionParams):
    direction: Direction = Field(
        ..., description="where the content to reveal lies: down shows what is further down"
    )
    element: int | None = Field(None, ge=1, description="the scrollable element to scroll in")

    def check(self, ctx: ActionContext) -> str | None:
        if self.element is not None and ctx.element(self.element) is None:
            return f"there is no element {self.element} on this screen"
        return None


@action("scroll", "Scroll the screen, or one element, to reveal more content.", ScrollParams)
def scroll(p: ScrollParams, ctx: ActionContext) -> ActionResult:
    el = ctx.element(p.element) if p.element is not None else None
    if el is None:
        ctx.device.scroll(p.direction)
        return ActionResult(ok=True, summary=f"scrolled {p.direction}")
    b = el.bounds
    cx, cy = b.center
    dx, dy = b.width * 3 // 10, b.height * 3 // 10
    start, end = {
        Direction.DOWN: ((cx, cy + dy), (cx, cy - dy)),
        Direction.UP: ((cx, cy - dy), (cx, cy + dy)),
        Direction.RIGHT: ((cx + dx, cy), (cx - dx, cy)),
        Direction.LEFT: ((cx - dx, cy), (cx + dx, cy)),
    }[p.direction]
    ctx.device.swipe(*start, *end)
    return ActionResult(ok=True, summary=f"scrolled {p.direction} in {_describe(el)}")


class SwipeParams(ActionParams):
    x1: int = Field(..., ge=0)
    y1: int = Field(..., ge=0)
    x2: int = Field(..., ge=0)
    y2: int = Field(..., ge=0)
    duration_ms: int = Field(300, ge=50, le=5000)

    def check(self, ctx: ActionContext) -> str | None:
        return _check_point(self.x1, self.y1, ctx) or _check_point(self.x2, self.y2, ctx)


@action("swipe", "Drag a finger from (x1, y1) to (x2, y2).", SwipeParams)
def swipe(p: SwipeParams, ctx: ActionContext) -> ActionResult:
    ctx.device.swipe(p.x1, p.y1, p.x2, p.y2, p.duration_ms / 1000)
    return ActionResult(ok=True, summary=f"swiped ({p.x1}, {p.y1}) → ({p.x2}, {p.y2})")


def _key_action(name: str, key: Key, description: str) -> RegisteredAction:
    def press(p: NoParams, ctx: ActionContext) -> ActionResult:
        ctx.device.press(key)
        return ActionResult(ok=True, summary=f"pressed {key}")

    press.__name__ = name
    return action(name, description)(press)


enter = _key_action("enter", Key.ENTER, "Press Enter (submit a search or a form).")
back = _key_action("back", Key.BACK, "Go back (closes the keyboard first).")
home = _key_action("home", Key.HOME, "Go to the home screen.")
app_switch = _key_action("app_switch", Key.APP_SWITCH, "Show recent apps.")


class WaitParams(ActionParams):
    seconds: float = Field(2.0, gt=0, le=10, description="how long to wait for the screen")


@action("wait", "Wait for something to load before looking again.", WaitParams)
def wait(p: WaitParams, ctx: ActionContext) -> ActionResult:
    interrupted = ctx.cancel.wait(p.seconds)
    return ActionResult(
        ok=True, summary="wait interrupted" if interrupted else f"waited {p.seconds:g} s"
    )


class AskUserParams(ActionParams):
    question: str = Field(
        ..., min_length=1, max_length=500, description="what the user must decide or supply"
    )


@action("ask_user", "Ask the user for information or a decision only they can give.", AskUserParams)
def ask_user(p: AskUserParams, ctx: ActionContext) -> ActionResult:
    reply = ctx.ask_user(p.question) if ctx.ask_user else None
    if reply is None:
        return ActionResult(
            ok=False, summary="nobody answered", error="the user is not available", blocked=True
        )
    return ActionResult(ok=True, summary=f"the user answered: {reply}", user_reply=reply)


class FinishParams(ActionParams):
    success: bool = Field(True, description="false when the task cannot be done")
    answer: str = Field(
        "", max_length=MAX_TEXT, description="the answer, when the task asked a question"
    )
    reason: str = Field(
        "", max_length=MAX_REASON, description="with success false: why the task cannot be done"
    )

    @model_validator(mode="after")
    def _reason_for_failure(self) -> FinishParams:
        if not self.success and not self.reason.strip():
            raise ValueError("give a reason when success is false")
        return self


@action(
    "finish",
    "End the task: done (with the answer, if one was asked for), or impossible (with why).",
    FinishParams,
)
def finish(p: FinishParams, ctx: ActionContext) -> ActionResult:
    summary = "finished" if p.success else f"gave up: {p.reason}"
    return ActionResult(ok=True, summary=summary, finished=True, answer=p.answer)


BUILTIN_ACTIONS: tuple[RegisteredAction, ...] = (
    open_app,
    tap,
    long_press,
    type_text,
    scroll,
    swipe,
    enter,
    back,
    home,
    app_switch,
    wait,
    ask_user,
    finish,
)
