"""The policy gate every device action passes: consequential ones need the user.

    gate = SafetyGate(Policy(allow=frozenset({"send"})), confirm=ask_on_terminal)
    Runner(device, models, gate=gate)          # also Replayer(device, gate=gate)

For each call the gate finds its concern (`classify`) on the screen the call acts on. An
app on the deny list (or off the allow list) is refused outright. A concern whose kind the
policy allows passes; any other is put to the user through `confirm`: approved once, it
passes; declined, the call is refused and the operator hears why; with nobody to ask
(`confirm` is None or answers None) the call is held and the run ends `blocked`, saying how
to allow it. Nothing on the screen, in the model's reply or in memory reaches the policy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from mobile_agent.actions.builtin import find_by_label
from mobile_agent.actions.registry import ActionCall, ActionContext, Refusal
from mobile_agent.device.base import AppInfo
from mobile_agent.perception.elements import UIElement
from mobile_agent.safety.classify import (
    KINDS,
    Concern,
    element_kind,
    is_system,
    is_yes_button,
    words,
)

log = logging.getLogger(__name__)

Confirm = Callable[[Concern], "bool | None"]  # True: approved once; False: declined; None: nobody
ALL = "all"
_TARGETED = {"tap", "long_press"}
# Calls that never act on the app in front (leaving it, waiting, asking, ending).
_HARMLESS = {"back", "home", "app_switch", "wait", "ask_user", "finish", "scroll"}


@dataclass(frozen=True)
class Policy:
    """What a run may do without asking. `allow`: kinds of `KINDS` (or "all"); `scope`: the
    task's apps (empty: the apps `task` names, if any, else any app); `allow_apps` (empty:
    any) and `deny_apps`: packages or labels that may, or may never, be used."""

    allow: frozenset[str] = frozenset()
    scope: frozenset[str] = frozenset()
    allow_apps: frozenset[str] = frozenset()
    deny_apps: frozenset[str] = frozenset()
    task: str = ""  # with no `scope`, the apps the task names (by name) are its scope

    def __post_init__(self) -> None:
        check_kinds(self.allow)

    def allows(self, kind: str) -> bool:
        return ALL in self.allow or kind in self.allow


def check_kinds(kinds: Iterable[str]) -> list[str]:
    """`kinds` as given (lower case, no repeats); `ValueError` naming any that is unknown."""
    given = list(dict.fromkeys(k.strip().lower() for k in kinds if k.strip()))
    unknown = [k for k in given if k not in KINDS and k != ALL]
    if unknown:
        raise ValueError(
            f"unknown kind of action to allow: {', '.join(unknown)} "
            f"(choose from {', '.join(KINDS)} or {ALL})"
        )
    return given


@dataclass(frozen=True)
class Decision:
    """One concern the gate met and what became of it."""

    concern: Concern
    # "allowed" (by the policy), "approved" (by the user), "continued" (the next step of an
    # act just approved, such as its confirmation dialog), "declined", "held" or "refused"
    outcome: str


@dataclass
class SafetyGate:
    """The gate (see the module's docstring). `decisions` records every concern met."""

    policy: Policy = field(default_factory=Policy)
    confirm: Confirm | None = None
    decisions: list[Decision] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._apps: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None
        self._approved: Concern | None = None  # the concern of the call just before, approved
        self._labels: dict[str, str] = {}  # package → the app's name, for the user

    def __call__(self, call: ActionCall, ctx: ActionContext) -> Refusal | None:
        scope, allowed, denied = self._packages(ctx)
        package = self._package(call, ctx)
        listed = _listed(package, allowed, denied)
        if listed:
            name = self._labels.get(package, package)
            self._record(Concern("scope", f"{_action_text(call)} in {name}", package), "refused")
            return Refusal(f"{name} is {listed}")
        concern = find_concern(call, ctx, scope, package, self._labels)
        just_approved, self._approved = self._approved, None
        if concern is None:
            return None
        if just_approved is not None and concern.confirms(just_approved):
            # the same act, one step on (the dialog confirming what was just approved); once
            self._record(concern, "continued")
            return None
        refusal = self._decide(concern)
        if refusal is None:
            self._approved = concern
        return refusal

    # -- deciding ------------------------------------------------------------------------
    def _decide(self, concern: Concern) -> Refusal | None:
        if self.policy.allows(concern.kind):
            self._record(concern, "allowed")
            return None
        answer = self.confirm(concern) if self.confirm is not None else None
        if answer is True:
            self._record(concern, "approved")
            return None
        if answer is False:
            self._record(concern, "declined")
            return Refusal(f"the user declined to {concern.what} ({concern.meaning})")
        self._record(concern, "held")
        return Refusal(held_message(concern), blocked=True)

    def _record(self, concern: Concern, outcome: str) -> None:
        log.info("safety gate: %s %s (%s)", outcome, concern.what, concern.kind)
        with self._lock:
            self.decisions.append(Decision(concern, outcome))

    # -- apps ----------------------------------------------------------------------------
    def scope(self, ctx: ActionContext) -> frozenset[str]:
        """The task's apps as packages (empty: any app)."""
        return self._packages(ctx)[0]

    def _packages(self, ctx: ActionContext) -> tuple[frozenset[str], ...]:
        """The scope, allow and deny lists as packages (names resolved once, on the phone)."""
        if self._apps is None:
            apps = installed(ctx)
            self._labels = {app.package: app.label for app in apps if app.label}
            policy = self.policy
            scope = policy.scope or named_apps(policy.task, apps)
            self._apps = tuple(  # type: ignore[assignment]
                frozenset(resolve_app(apps, name) for name in names)
                for names in (scope, policy.allow_apps, policy.deny_apps)
            )
        assert self._apps is not None
        return self._apps

    def _package(self, call: ActionCall, ctx: ActionContext) -> str:
        """The app the call acts in: the one it opens, or its target's, or the screen's."""
        if call.name == "open_app":
            return resolve_app(installed(ctx), str(getattr(call.params, "app", "")))
        target = target_element(call, ctx)
        return target.package if target is not None and target.package else ctx.package


def _listed(package: str, allowed: frozenset[str], denied: frozenset[str]) -> str:
    """Why the app lists refuse `package` ("" when they do not)."""
    if not package or is_system(package):
        return ""
    if package in denied:
        return "on the list of apps never to use"
    if allowed and package not in allowed:
        return "not on the list of apps this run may use"
    return ""


def held_message(concern: Concern) -> str:
    """What a held call says: what was held and how to allow it."""
    return (
        f"held: {concern.what} would {concern.meaning}, which needs your confirmation and "
        f"nobody could confirm it; allow it with --allow {concern.kind}"
    )


def find_concern(
    call: ActionCall,
    ctx: ActionContext,
    scope: frozenset[str] = frozenset(),
    package: str = "",
    labels: Mapping[str, str] | None = None,
) -> Concern | None:
    """The concern of `call` on the screen of `ctx`, or None for an everyday action;
    `scope`: the packages of the task (empty: any), `package`: the app the call acts in,
    `labels`: the apps' names by package, to name them to the user."""
    outside = bool(scope) and bool(package) and not is_system(package) and package not in scope
    named = (labels or {}).get(package or ctx.package, package or ctx.package)
    if call.name == "open_app":
        return Concern("scope", f"open {named} (outside the task)", package) if outside else None
    target = target_element(call, ctx)
    where = package or ctx.package
    if outside and call.name not in _HARMLESS:
        return Concern(
            "scope", f"{_action_text(call, target)} in {named} (outside the task)", where
        )
    if call.name == "type" and target is not None and target.password:
        return Concern("password", f"type into the password field of {named}", where)
    if call.name == "enter":
        focused = next((e for e in ctx.elements if e.focused and e.editable), None)
        if focused is not None and _is_compose(focused):
            return Concern("send", f"press Enter in {_quote(focused)} of {named}", where)
        return None
    if call.name in _TARGETED and target is not None:
        kind = element_kind(target, ctx.elements)
        if kind:
            said = "" if is_yes_button(target) else words(target.text or target.description)
            return Concern(kind, f"{_action_text(call, target)} in {named}", where, said)
    return None


def target_element(call: ActionCall, ctx: ActionContext) -> UIElement | None:
    """The element a call acts on: named by number or label, or under its point."""
    params = call.params
    number = getattr(params, "element", None)
    if isinstance(number, int):
        return ctx.element(number)
    label = getattr(params, "label", None)
    if isinstance(label, str):
        return find_by_label(ctx.elements, label, field=call.name == "type")
    x, y = getattr(params, "x", None), getattr(params, "y", None)
    if isinstance(x, int) and isinstance(y, int):
        under = [e for e in ctx.elements if e.bounds.contains_point(x, y)]
        return min(under, key=lambda e: e.bounds.area, default=None)
    if call.name == "type":
        return next((e for e in ctx.elements if e.focused and e.editable), None)
    return None


def installed(ctx: ActionContext) -> list[AppInfo]:
    """The phone's apps (none when it cannot list them: names are then taken as given)."""
    try:
        return list(ctx.device.installed_apps())
    except Exception as exc:
        log.debug("could not list the apps: %s", exc)
        return []


def named_apps(task: str, apps: Iterable[AppInfo]) -> frozenset[str]:
    """The installed apps a task names: an app's name as a whole word, in any case, or
    without its plural s ("a note" names Notes, "message Dana" names Messages)."""
    said = f" {words(task)} "
    named = set()
    for app in apps:
        label = words(app.label)
        forms = {label, label[:-1]} if label.endswith("s") and len(label) > 3 else {label}
        if label and any(f" {form} " in said for form in forms):
            named.add(app.package)
    return frozenset(named)


def resolve_app(apps: Iterable[AppInfo], name: str) -> str:
    """The package that an app's name (its label, any case) or package names; the name
    itself when no installed app has it."""
    wanted = words(name)
    for app in apps:
        if name == app.package or wanted == words(app.label):
            return app.package
    return name


def _is_compose(field_: UIElement) -> bool:
    said = words(f"{field_.resource_id} {field_.text} {field_.description}")
    return any(w in said.split() for w in ("message", "compose", "reply", "comment", "chat"))


def _quote(el: UIElement) -> str:
    label = " ".join(el.label.split())[:40]
    return f'"{label}"' if label else "the field"


def _action_text(call: ActionCall, target: UIElement | None = None) -> str:
    verb = {"tap": "tap", "long_press": "long-press", "type": "type into"}.get(call.name, call.name)
    return f"{verb} {_quote(target)}" if target is not None else verb
