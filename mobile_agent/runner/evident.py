"""Outcomes the screens decide alone, so that no reflector call is needed for them.

After an action, the runner asks `evident_outcome` first. It returns a verdict with its
reason when the two screens settle the question, and `None` when it needs judgement:

* nothing on the screen changed after a tap, press, swipe, scroll, type or back → no_change;
* the app in front left the task's apps (the safety gate's scope) for another → wrong_page;
* `open_app` brought the app to the front, `home` the home screen → success;
* the typed text is now in the field that was typed into → success;
* a scroll moved the content of the same app → success;
* a shortcut ran every step, each on the element it expected → success;
* `ask_user` got the user's answer → success.

A success is evident only while the operator did not say the action completes the subgoal:
whether a subgoal is done needs judgement, so the reflector still decides those.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass

from PIL import Image, ImageChops

from mobile_agent.actions import ActionCall, ActionResult
from mobile_agent.agents import Outcome
from mobile_agent.perception.observation import Observation
from mobile_agent.safety.classify import is_system

log = logging.getLogger(__name__)

STATUS_BAR_SHARE = 0.04  # the top of the screen that holds the clock: ignored when comparing
PIXEL_TOLERANCE = 8  # per-channel difference below which two pixels count as the same
_QUIET = ("wait", "finish", "ask_user")  # actions that need not change the screen


@dataclass(frozen=True)
class Evident:
    """A verdict computed from the screens, with the reason recorded for it."""

    outcome: Outcome
    reason: str


@dataclass(frozen=True)
class Acted:
    """What the rules look at: the call, its result and the screens around it."""

    call: ActionCall
    result: ActionResult
    before: Observation
    after: Observation
    scope: frozenset[str] = frozenset()  # the task's apps (empty: any app)
    shortcuts: Collection[str] = ()  # the names of shortcut actions


Rule = Callable[[Acted], Evident | None]


def evident_outcome(acted: Acted) -> Evident | None:
    """The verdict the screens settle, or `None` when the outcome needs judgement."""
    if not acted.result.ok:
        return None
    left = _left_scope(acted)
    if left is not None:
        return left
    rule = _RULES.get(acted.call.name)
    if rule is None and acted.call.name in acted.shortcuts:
        rule = _shortcut
    if rule is not None:
        verdict = rule(acted)
        if verdict is not None:
            return verdict
    if acted.call.name not in _QUIET and unchanged(acted.before, acted.after):
        return Evident(Outcome.NO_CHANGE, "nothing on the screen changed after the action")
    return None


def unchanged(before: Observation, after: Observation) -> bool:
    """The same app, the same elements as the agents see them, and the same pixels outside
    the status bar."""
    if (before.package, before.activity, before.keyboard) != (
        after.package,
        after.activity,
        after.keyboard,
    ):
        return False
    if before.elements_text != after.elements_text:
        return False
    return same_pixels(before.png, after.png)


def same_pixels(first: bytes, second: bytes) -> bool:
    """Two screenshots alike below the status bar (both empty counts as alike)."""
    if first == second:
        return True
    if not first or not second:
        return False
    try:
        a, b = (Image.open(io.BytesIO(data)).convert("RGB") for data in (first, second))
    except OSError:
        log.warning("a screenshot could not be decoded; the outcome is left to judgement")
        return False
    if a.size != b.size:
        return False
    top = int(a.height * STATUS_BAR_SHARE)
    box = (0, top, a.width, a.height)
    diff = ImageChops.difference(a.crop(box), b.crop(box))
    changed = diff.convert("L").point(lambda value: 255 if value > PIXEL_TOLERANCE else 0)
    return changed.getbbox() is None


def _left_scope(acted: Acted) -> Evident | None:
    now, was = acted.after.package, acted.before.package
    if not acted.scope or not now or now == was or now in acted.scope or is_system(now):
        return None
    if acted.call.name == "open_app" and now == acted.result.package:
        return None  # the app was asked for by name
    return Evident(Outcome.WRONG_PAGE, f"the action left the task's apps for {now}")


def _opened(acted: Acted) -> Evident | None:
    package = acted.after.package
    if acted.result.package and package == acted.result.package:
        return Evident(Outcome.SUCCESS, f"{package} is in front")
    return None


def _home(acted: Acted) -> Evident | None:
    if is_system(acted.after.package) and not acted.after.keyboard:
        return Evident(Outcome.SUCCESS, "the home screen is in front")
    return None


def _typed(acted: Acted) -> Evident | None:
    text = str(acted.call.args().get("text", "")).strip()
    if not text:
        return None
    wanted = " ".join(text.split()).casefold()
    for element in acted.after.elements:
        if element.editable and not element.password:
            shown = " ".join(element.text.split()).casefold()
            if wanted in shown and (element.focused or _same_field(acted, element.bounds)):
                return Evident(Outcome.SUCCESS, f'the field now holds "{text}"')
    return None


def _same_field(acted: Acted, bounds: object) -> bool:
    number = acted.call.args().get("element")
    target = acted.before.element(number) if isinstance(number, int) else None
    return target is not None and target.bounds == bounds


def _scrolled(acted: Acted) -> Evident | None:
    before, after = acted.before, acted.after
    if before.package == after.package and before.elements_text != after.elements_text:
        return Evident(Outcome.SUCCESS, "the content moved")
    return None


def _shortcut(acted: Acted) -> Evident | None:
    if unchanged(acted.before, acted.after):
        return None
    return Evident(Outcome.SUCCESS, "every step of the shortcut found what it expected")


def _answered(acted: Acted) -> Evident | None:
    if acted.result.user_reply is not None and acted.result.user_reply.strip():
        return Evident(Outcome.SUCCESS, "the user answered")
    return None


_RULES: dict[str, Rule] = {
    "open_app": _opened,
    "home": _home,
    "type": _typed,
    "scroll": _scrolled,
    "ask_user": _answered,
}
