"""Learning from a finished run: the experience reflectors read it, the store keeps what
they propose.

    learned = learn_from_run(store, run_id, model)      # after the run was recorded
    learned.line()                                      # "learned 1 tip and 1 shortcut …"

The run is read back as the store recorded it (`experience_state`): each step's action with
its target resolved, from the elements of the screen the step acted on, to a label the
action can name again on another screen (`"element": 7` becomes `"label": "New note"`).
Each reflector is asked once, and once more with the problem when its reply is unusable; a
reply still unusable, or a failed model call, proposes nothing. What is proposed is stored
in one transaction, as `proposed`, with its provenance (run, step): a failure to store
leaves the store as it was. When a screen of the run, or the item's own text, carries text
that tries to instruct an agent or fake the user's consent, the item is stored as `suspect`
instead, with the reason (`memory.suspects`): never used until a person approves it.

This is the one module of `memory` that uses the agents and a model.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

# A module, not its names: `agents.experience` imports `memory.models`, so either package
# may be imported first.
from mobile_agent.agents import experience
from mobile_agent.agents.replies import repair_messages
from mobile_agent.errors import Cancelled, LLMError, ParseError, StoreError
from mobile_agent.llm.base import ChatModel, Completion, Usage
from mobile_agent.llm.retry import run_abandonable
from mobile_agent.memory.models import ShortcutSpec, Status, StoredShortcut, Tip
from mobile_agent.memory.retrieval import FtsRetriever
from mobile_agent.memory.store import Store
from mobile_agent.memory.suspects import run_reason, shortcut_reason, tip_reason

log = logging.getLogger(__name__)

KNOWN_TIPS = 20  # known tips shown to the tips reflector (the most relevant to the task)
KNOWN_SHORTCUTS = 10  # known shortcuts shown to the shortcuts reflector
_TARGETED = frozenset({"tap", "long_press", "type"})  # actions that may name an element by label
_NUMBER = re.compile(r"\[\d+\]\s*")


@dataclass(frozen=True)
class Learned:
    """What one run taught: the items stored (proposed, or suspect), what was refused and
    why."""

    run_id: str
    tips: tuple[Tip, ...] = ()
    shortcuts: tuple[StoredShortcut, ...] = ()
    rejected: tuple[str, ...] = ()
    model_calls: int = 0
    usage: Usage = field(default_factory=Usage)
    skipped: str = ""  # why the reflectors were not asked
    held: str = ""  # why (some of) the items were stored as suspect

    def line(self) -> str:
        """What was learned, in one line."""
        if self.skipped:
            return f"nothing learned ({self.skipped})"
        parts = [_count(len(self.tips), "tip")] if self.tips else []
        if self.shortcuts:
            names = ", ".join(s.name for s in self.shortcuts)
            parts.append(f"{_count(len(self.shortcuts), 'shortcut')} ({names})")
        found = " and ".join(parts)
        text = f"learned {found}, {self._review()}" if parts else "nothing new learned"
        if self.rejected:
            more = len(self.rejected) - 1
            text += f"; refused: {self.rejected[0]}" + (f" (and {more} more)" if more else "")
        return text

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON values."""
        return {
            "run_id": self.run_id,
            "tips": [{"id": t.id, "text": t.text, "app": t.app} for t in self.tips],
            "shortcuts": [s.name for s in self.shortcuts],
            "rejected": list(self.rejected),
            "model_calls": self.model_calls,
            "skipped": self.skipped,
            "held": self.held,
        }

    def _review(self) -> str:
        items: tuple[Tip | StoredShortcut, ...] = (*self.tips, *self.shortcuts)
        suspect = sum(item.status is Status.SUSPECT for item in items)
        if not suspect:
            return "proposed for review"
        if suspect == len(items):
            return f"held as suspect: {self.held}"
        return f"proposed for review ({suspect} held as suspect: {self.held})"


def learn_from_run(store: Store, run_id: str, model: ChatModel, *, cancel: Any = None) -> Learned:
    """Ask the tips and shortcuts reflectors about the stored run `run_id` (or the one whose
    id starts with it) and store what they propose. `Cancelled` propagates; other model
    failures and unusable replies propose nothing and say why in `Learned.rejected`."""
    run = store.runs.get(run_id)
    skipped = _not_worth_asking(run)
    state = None if skipped else experience_state(store, run["id"])
    if state is None or not state.steps:
        return Learned(run["id"], skipped=skipped or "the run stored no steps")
    cancel = cancel if cancel is not None else threading.Event()
    tips = _ask(experience.TipsReflector(state.tips), state, model, cancel)
    check = _store_check(store)
    shortcuts = _ask(
        experience.ShortcutsReflector(state.shortcuts, check=check), state, model, cancel
    )
    return _keep(store, state, tips, shortcuts)


def experience_state(store: Store, run_id: str) -> experience.ExperienceState:
    """The stored run as the experience reflectors read it, with the known tips and
    shortcuts most relevant to its task (proposed ones included)."""
    run = store.runs.get(run_id)
    screens = store.runs.screens(run["id"])
    steps = tuple(
        _step(row, _acted_on(screens, row["number"])) for row in store.runs.steps(run["id"])
    )
    known = FtsRetriever(
        store, tips=KNOWN_TIPS, shortcuts=KNOWN_SHORTCUTS, use_proposed=True
    ).retrieve(run["task"])
    return experience.ExperienceState(
        task=run["task"],
        run_id=run["id"],
        state=run["state"],
        reason=run["reason"],
        answer=run["answer"],
        steps=steps,
        tips=known.tips,
        shortcuts=tuple(s.spec() for s in known.shortcuts),
    )


def _not_worth_asking(run: dict[str, Any]) -> str:
    if run["kind"] != "task":
        return f"a {run['kind']} run is no task"
    if run["state"] == "running":
        return "the run has not ended"
    return ""


# -- one step, its target resolved --------------------------------------------------------------
def _acted_on(screens: Sequence[dict[str, Any]], number: int) -> dict[str, Any] | None:
    """The screen step `number` acted on: its own first screen, else (when the runner reused
    the screen the previous step left) the last screen stored before it."""
    own = [s for s in screens if s["step"] == number and s["phase"] == "before"]
    if own:
        return own[0]
    earlier = [s for s in screens if s["step"] < number]
    return earlier[-1] if earlier else None


def _step(row: dict[str, Any], screen: dict[str, Any] | None) -> experience.ExperienceStep:
    replay, target = resolve_action(row.get("action"), screen["elements"] if screen else [])
    failed = row["outcome"] not in ("success", "finished")
    return experience.ExperienceStep(
        number=row["number"],
        app=screen["package"] if screen else "",
        description=row["description"],
        summary=_NUMBER.sub("", row["summary"] or row["error"]),
        target=target,
        replay=replay,
        outcome=row["outcome"],
        feedback=row["feedback"] or (row["reason"] if failed else ""),
    )


def resolve_action(
    action: Any, elements: Sequence[dict[str, Any]]
) -> tuple[dict[str, Any] | None, str]:
    """A stored action as a shortcut step that names its target by label (None when it
    cannot be replayed that way), and its target in words ("" without one)."""
    if not isinstance(action, dict):
        return None, ""
    name, args = action.get("name"), dict(action.get("args") or {})
    found = _target(args, elements)
    target = _describe(found) if found is not None else ""
    if name not in experience.step_actions():
        return None, target
    if name in _TARGETED and ("element" in args or "x" in args):
        label = _label(found, elements) if found is not None else None
        if label is None:
            return None, target
        rest = {k: v for k, v in args.items() if k not in ("element", "x", "y")}
        args = {"label": label, **rest}
    elif "element" in args:  # scrolling inside one element: named by number only
        return None, target
    return {"action": name, "args": args}, target


def _target(args: dict[str, Any], elements: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    if isinstance(args.get("element"), int):
        return next((el for el in elements if el.get("id") == args["element"]), None)
    x, y = args.get("x"), args.get("y")
    if isinstance(x, int) and isinstance(y, int):
        under = [el for el in elements if _contains(el.get("bounds"), x, y)]
        return min(under, key=lambda el: _area(el.get("bounds")), default=None)
    if isinstance(args.get("label"), str):
        return _first_named(elements, args["label"])
    return None


def _label(el: dict[str, Any], elements: Sequence[dict[str, Any]]) -> str | None:
    """The element's hint (a text field), text or description — the first that names this
    element first on its screen, as `label` finds elements."""
    hint = (el.get("extras") or {}).get("hint") if el.get("editable") else None
    for label in (hint, None if el.get("password") else el.get("text"), el.get("description")):
        if isinstance(label, str) and label.strip() and _first_named(elements, label) is el:
            return label
    return None


def _first_named(elements: Sequence[dict[str, Any]], label: str) -> dict[str, Any] | None:
    wanted = _norm(label)
    named = [el for el in elements if wanted in _names(el)]
    named.sort(key=lambda el: not (el.get("clickable") or el.get("editable")))
    return named[0] if named else None


def _names(el: dict[str, Any]) -> set[str]:
    hint = (el.get("extras") or {}).get("hint") if el.get("editable") else ""
    return {_norm(str(v)) for v in (el.get("text"), el.get("description"), hint) if v}


def _describe(el: dict[str, Any]) -> str:
    """The element in words: its kind, text, hint, description and resource id."""
    text = "" if el.get("password") else el.get("text")
    hint = (el.get("extras") or {}).get("hint")
    shown = (
        ("text", text),
        ("hint", hint if hint != text else ""),
        ("description", el.get("description")),
        ("resource id", el.get("resource_id")),
    )
    parts = [f"{key} {value!r}" for key, value in shown if value]
    kind = str(el.get("class") or "element").rsplit(".", 1)[-1]
    return f"{kind} with " + ", ".join(parts) if parts else f"{kind} without text"


def _contains(bounds: Any, x: int, y: int) -> bool:
    if not (isinstance(bounds, list) and len(bounds) == 4):
        return False
    return bool(bounds[0] <= x < bounds[2] and bounds[1] <= y < bounds[3])


def _area(bounds: Any) -> int:
    return int((bounds[2] - bounds[0]) * (bounds[3] - bounds[1]))


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# -- asking the reflectors ---------------------------------------------------------------------
@dataclass
class _Reply:
    output: Any = None
    problems: tuple[str, ...] = ()
    calls: int = 0
    usage: Usage = field(default_factory=Usage)


def _ask(agent: Any, state: experience.ExperienceState, model: ChatModel, cancel: Any) -> _Reply:
    """The agent's parsed reply, re-asked once with the problem; its problems after that."""
    messages, schema, reply = agent.messages(state), agent.response_schema(), _Reply()
    for attempt in (1, 2):
        reply.calls += 1
        try:
            completion = _complete(model, messages, schema, cancel)
        except Cancelled:
            raise
        except LLMError as exc:
            reply.problems = (f"the {agent.role} model call failed: {exc}",)
            return reply
        reply.usage = reply.usage + completion.usage
        try:
            reply.output, reply.problems = agent.parse(completion.text), ()
            return reply
        except experience.RefusedReflection as exc:
            reply.problems = exc.problems
        except ParseError as exc:
            reply.problems = (str(exc),)
        log.info("%s reply unusable (attempt %d): %s", agent.role, attempt, reply.problems)
        messages = repair_messages(messages, completion.text, "; ".join(reply.problems))
    return reply


def _complete(model: ChatModel, messages: list[Any], schema: Any, cancel: Any) -> Completion:
    def call() -> Completion:
        return model.complete(messages, response_schema=schema, cancel=cancel)

    if getattr(model, "honours_cancel", False):
        return call()
    return run_abandonable(call, math.inf, cancel, model.name)


def _store_check(store: Store) -> experience.Check:
    """The store's problems of a spec, and a name already taken by a stored shortcut."""

    def check(spec: ShortcutSpec) -> list[str]:
        problems = store.shortcuts.problems(spec)
        if store.shortcuts.find(spec.name) is not None:
            problems.append(f"the name {spec.name!r} is already taken")
        return problems

    return check


# -- keeping what was proposed ---------------------------------------------------------------
def _keep(
    store: Store, state: experience.ExperienceState, tips: _Reply, shortcuts: _Reply
) -> Learned:
    """Store the proposals in one transaction (all or nothing), as proposed items, or as
    suspect ones when the run's screens or their own texts carry an injection."""
    numbers = {step.number for step in state.steps}
    rejected = (*tips.problems, *shortcuts.problems)
    done = Learned(
        state.run_id,
        rejected=rejected,
        model_calls=tips.calls + shortcuts.calls,
        usage=tips.usage + shortcuts.usage,
    )
    new_tips = tips.output.tips if tips.output else ()
    new_shortcuts = shortcuts.output.shortcuts if shortcuts.output else ()
    run_id, kept, made = state.run_id, [], []
    screens = run_reason(store, run_id) if new_tips or new_shortcuts else ""
    try:
        with store.write():
            for tip in new_tips:  # one stored already (a disabled one, say) stays as it is
                if store.tips.find(tip.text, tip.app) is None:
                    kept.append(
                        store.tips.add(
                            tip.text,
                            app=tip.app,
                            source_run=run_id,
                            source_step=_known(tip.source_step, numbers),
                            suspect_reason=screens or tip_reason(tip.text),
                        )
                    )
            for proposal in new_shortcuts:
                made.append(
                    store.shortcuts.add(
                        proposal.spec,
                        source_run=run_id,
                        source_step=_known(proposal.source_step, numbers),
                        suspect_reason=screens or shortcut_reason(proposal.spec),
                    )
                )
    except StoreError as exc:
        log.warning("nothing learned from run %s was stored: %s", state.run_id, exc)
        return replace(done, rejected=(*rejected, f"nothing was stored: {exc}"))
    log.info("run %s: %d tips and %d shortcuts learned", state.run_id, len(kept), len(made))
    held = _held(store, kept, made)
    if held:
        log.warning("run %s: what it taught is held as suspect: %s", state.run_id, held)
    return replace(done, tips=tuple(kept), shortcuts=tuple(made), held=held)


def _held(store: Store, tips: Sequence[Tip], shortcuts: Sequence[StoredShortcut]) -> str:
    """Why the first suspect item of those stored was held ("" when none is suspect)."""
    for tip in tips:
        if tip.status is Status.SUSPECT and tip.id is not None:
            return store.tips.held_reason(tip.id)
    for shortcut in shortcuts:
        if shortcut.status is Status.SUSPECT:
            return store.shortcuts.held_reason(shortcut.name)
    return ""


def _known(step: int | None, numbers: set[int]) -> int | None:
    return step if step in numbers else None


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
