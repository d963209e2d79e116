"""The experience reflectors: after a task, distil tips and shortcuts from what the run did.

Two agents with the contract of the others (`messages(state)`, `parse(text)`,
`response_schema()`), reading an `ExperienceState`: the finished run as the memory store
recorded it — the task, how it ended, each step's action with its target resolved to the
element's label, description or resource id, the verdicts — and the tips and shortcuts
already known, so that nothing is proposed twice.

`parse` refuses a reply that proposes anything unusable (`RefusedReflection`, a `ParseError`
listing every problem, item by item): a shortcut step that is no atomic action or names an
element by its number or a point by coordinates, a tip that names element numbers, anything
that repeats a known item or another item of the same reply. An empty list is a valid
reflection: nothing was learned.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mobile_agent.actions import BUILTIN_ACTIONS, Registry
from mobile_agent.agents.prompting import render, system_user, untrusted
from mobile_agent.agents.replies import Thought, extract_json, schema_of, validate
from mobile_agent.errors import ParseError, describe_validation_error
from mobile_agent.llm.base import Message
from mobile_agent.memory.models import MAX_STEPS, ShortcutSpec, Tip
from mobile_agent.memory.validation import shortcut_problems

TIPS_MAX = 5  # tips one reflection may propose (more are cut)
TIP_MAX = 400  # characters of one tip
SHORTCUTS_MAX = 3  # shortcuts one reflection may propose (more are cut)
STEPS_SHOWN = 60  # steps of the run shown to the reflectors (the last ones)
# Actions a shortcut may not use: they end the task, wait for the user, or need coordinates.
NOT_IN_SHORTCUTS = frozenset({"finish", "ask_user", "swipe"})
_NUMBERED = re.compile(r"\[\d+\]|\belement\s*#?\d+", re.IGNORECASE)

Check = Callable[[ShortcutSpec], list[str]]


class RefusedReflection(ParseError):
    """A reflection that proposes something unusable; `problems` names each item and why."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("the reflection was refused: " + "; ".join(self.problems))


@dataclass(frozen=True)
class ExperienceStep:
    """One step of the finished run, as the reflectors read it."""

    number: int
    app: str = ""  # the package in front when the step acted
    description: str = ""  # the operator's words for the action
    summary: str = ""  # what the action did, element numbers left out
    target: str = ""  # the element acted on, in words: text, description, resource id
    replay: dict[str, Any] | None = None  # the action as a shortcut step, targets by label
    outcome: str = ""  # success, no_change, wrong_page, failed, finished, …
    feedback: str = ""

    def text(self) -> str:
        """The step as the reflectors' prompts show it."""
        head = f"step {self.number}" + (f" (in {self.app})" if self.app else "")
        lines = [f"{head}: {self.description or '(no description)'}"]
        if self.summary:
            lines.append(f"  did: {self.summary}")
        if self.target:
            lines.append(f"  on: {self.target}")
        if self.replay is not None:
            lines.append(f"  replay as: {json.dumps(self.replay, ensure_ascii=False)}")
        verdict = self.outcome or "(no verdict)"
        lines.append(f"  verdict: {verdict}" + (f" — {self.feedback}" if self.feedback else ""))
        return "\n".join(lines)


@dataclass(frozen=True)
class ExperienceState:
    """What the experience reflectors read: the finished run and what is already known."""

    task: str
    run_id: str = ""
    state: str = ""  # the run's final state
    reason: str = ""
    answer: str = ""
    steps: tuple[ExperienceStep, ...] = ()
    tips: tuple[Tip, ...] = ()  # known tips relevant to the task
    shortcuts: tuple[ShortcutSpec, ...] = ()  # known shortcuts relevant to the task

    def ending(self) -> str:
        """How the run ended, in one line."""
        count = len(self.steps)
        text = f"Final state: {self.state or 'unknown'}, after {count} step"
        text += "s" if count != 1 else ""
        text += f" ({self.reason})" if self.reason else ""
        return text + (f". Answer: {self.answer}" if self.answer else ".")


# -- replies ---------------------------------------------------------------------------------
class TipProposal(BaseModel):
    """One proposed tip."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    text: str = Field(..., min_length=1, max_length=TIP_MAX)
    app: str = Field("", max_length=200)
    source_step: int | None = Field(None, ge=1)

    @field_validator("text", "app", mode="before")
    @classmethod
    def _stripped(cls, value: Any) -> Any:
        return " ".join(value.split()) if isinstance(value, str) else value

    @field_validator("source_step", mode="before")
    @classmethod
    def _step(cls, value: Any) -> Any:
        return _step_number({"source_step": value})


class TipsOutput(BaseModel):
    """The tips reflector's reply."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    thought: Thought = ""
    tips: tuple[TipProposal, ...] = ()

    @field_validator("tips", mode="before")
    @classmethod
    def _at_most(cls, value: Any) -> Any:
        return value[:TIPS_MAX] if isinstance(value, list) else value


class ShortcutProposal(BaseModel):
    """One proposed shortcut and the run's step its sequence begins at."""

    model_config = ConfigDict(frozen=True)

    spec: ShortcutSpec
    source_step: int | None = Field(None, ge=1)


class ShortcutsOutput(BaseModel):
    """The shortcuts reflector's reply."""

    model_config = ConfigDict(frozen=True)

    thought: Thought = ""
    shortcuts: tuple[ShortcutProposal, ...] = ()


# -- the agents --------------------------------------------------------------------------------
class TipsReflector:
    """Proposes tips: general lessons of the run. `known` are the stored tips a reply may
    not repeat."""

    role = "experience_tips"
    images = False

    def __init__(self, known: Sequence[Tip] = ()) -> None:
        self.known = tuple(known)

    def messages(self, state: ExperienceState) -> list[Message]:
        system = render("experience_tips.system", tips_max=str(TIPS_MAX), tip_max=str(TIP_MAX))
        return system_user(system, render("experience_tips.user", **run_values(state)))

    def response_schema(self) -> dict[str, Any]:
        """JSON schema of the reply."""
        return schema_of(TipsOutput)

    def parse(self, text: str) -> TipsOutput:
        out = validate(TipsOutput, extract_json(text))
        seen = {_norm(tip.text): "a known tip" for tip in self.known}
        problems = []
        for number, tip in enumerate(out.tips, start=1):
            where = f"tip {number} ({_short(tip.text)!r})"
            if _NUMBERED.search(tip.text):
                problems.append(f"{where}: names an element by its number; name it by its label")
            twin = seen.setdefault(_norm(tip.text), f"tip {number}")
            if twin != f"tip {number}":
                problems.append(f"{where}: repeats {twin}")
        if problems:
            raise RefusedReflection(problems)
        return out


class ShortcutsReflector:
    """Proposes shortcuts: sequences of the run's actions worth replaying. `known` are the
    stored shortcuts a reply may not repeat; `check` gives more problems of a spec (by
    default the registry checks of `shortcut_problems`; learning uses the store's)."""

    role = "experience_shortcuts"
    images = False

    def __init__(self, known: Sequence[ShortcutSpec] = (), *, check: Check | None = None) -> None:
        self.known = tuple(known)
        self.check = check or shortcut_problems

    def messages(self, state: ExperienceState) -> list[Message]:
        system = render(
            "experience_shortcuts.system",
            actions=step_actions().prompt_text(),
            shortcuts_max=str(SHORTCUTS_MAX),
            steps_max=str(MAX_STEPS),
        )
        return system_user(system, render("experience_shortcuts.user", **run_values(state)))

    def response_schema(self) -> dict[str, Any]:
        """JSON schema of the reply."""
        item = ShortcutSpec.model_json_schema()
        defs = item.pop("$defs", {})
        item["properties"]["source_step"] = {"type": ["integer", "null"], "minimum": 1}
        return {
            "type": "object",
            "properties": {
                "thought": {"type": "string"},
                "shortcuts": {"type": "array", "items": item, "maxItems": SHORTCUTS_MAX},
            },
            "required": ["shortcuts"],
            "$defs": defs,
        }

    def parse(self, text: str) -> ShortcutsOutput:
        data = extract_json(text)
        raw = data.get("shortcuts", [])
        if not isinstance(raw, list):
            raise ParseError('"shortcuts" must be a list (empty when nothing is worth reusing)')
        found: list[ShortcutProposal] = []
        problems: list[str] = []
        for number, item in enumerate(raw[:SHORTCUTS_MAX], start=1):
            name = item.get("name") if isinstance(item, dict) else None
            where = f"shortcut {number}" + (f" ({str(name)[:64]!r})" if name else "")
            proposal, wrong = self._proposal(item, [p.spec for p in found])
            problems += [f"{where}: {problem}" for problem in wrong]
            if proposal is not None and not wrong:
                found.append(proposal)
        if problems:
            raise RefusedReflection(problems)
        thought = data.get("thought")
        return ShortcutsOutput(
            thought=thought if isinstance(thought, str) else "", shortcuts=tuple(found)
        )

    def _proposal(
        self, item: Any, earlier: Sequence[ShortcutSpec]
    ) -> tuple[ShortcutProposal | None, list[str]]:
        """The item as a proposal, and what is wrong with it (nothing when it is usable)."""
        if not isinstance(item, dict):
            return None, ["is not a JSON object"]
        fields = {k: v for k, v in item.items() if k in ShortcutSpec.model_fields}
        try:
            spec = ShortcutSpec.model_validate(fields)
            proposal = ShortcutProposal(spec=spec, source_step=_step_number(item))
        except ValidationError as exc:
            return None, [describe_validation_error(exc, "shortcut")]
        wrong = [*self.check(spec), *_shortcut_rules(spec), *_repeats(spec, self.known, earlier)]
        return proposal, list(dict.fromkeys(wrong))


def step_actions() -> Registry:
    """The atomic actions a shortcut step may use."""
    return Registry(act for act in BUILTIN_ACTIONS if act.name not in NOT_IN_SHORTCUTS)


def run_values(state: ExperienceState) -> dict[str, str]:
    """The template values both reflectors' user messages share."""
    shown = state.steps[-STEPS_SHOWN:]
    steps = [step.text() for step in shown]
    if len(state.steps) > len(shown):
        steps.insert(0, f"({len(state.steps) - len(shown)} earlier steps not shown)")
    body = "\n".join([state.ending(), *steps])
    tips = "\n".join(f"- {t.text}" + (f" (in {t.app})" if t.app else "") for t in state.tips)
    return {
        "task": state.task,
        "run": untrusted(
            "run_steps", body, "What the run did, as stored; labels come from screens"
        ),
        "tips": untrusted("known_tips", tips, "Tips stored from earlier runs"),
        "shortcuts": untrusted(
            "known_shortcuts", "\n".join(map(shortcut_line, state.shortcuts)), "Stored shortcuts"
        ),
    }


def shortcut_line(spec: ShortcutSpec) -> str:
    """A known shortcut in one line: name, parameters, description and steps."""
    steps = json.dumps([s.model_dump() for s in spec.steps], ensure_ascii=False)
    params = ", ".join(p.name for p in spec.params)
    return f"- {spec.name}({params}): {spec.description} Steps: {steps}"


def _shortcut_rules(spec: ShortcutSpec) -> list[str]:
    """What a learned shortcut must be beyond what the store checks."""
    problems = []
    if len(spec.steps) < 2:
        problems.append("a shortcut needs at least two steps (one action is no shortcut)")
    for number, step in enumerate(spec.steps, start=1):
        if step.action in NOT_IN_SHORTCUTS:
            problems.append(f"step {number} ({step.action}) may not be part of a shortcut")
        label = step.args.get("label")
        if isinstance(label, str) and _NUMBERED.fullmatch(label.strip()):
            problems.append(f"step {number} ({step.action}): the label {label!r} is a number")
    return problems


def _repeats(
    spec: ShortcutSpec, known: Sequence[ShortcutSpec], earlier: Sequence[ShortcutSpec]
) -> list[str]:
    """How `spec` repeats a known shortcut or an earlier one of the same reply."""
    problems = []
    for other in (*known, *earlier):
        if other.name.casefold() == spec.name.casefold():
            problems.append(f"the name {spec.name!r} is already taken")
        if other.steps_key() == spec.steps_key():
            problems.append(f"it has the same steps as the shortcut {other.name!r}")
    return problems


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".!")


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def _step_number(item: dict[str, Any]) -> int | None:
    """The item's `source_step` when it is a step number (anything else is dropped)."""
    value = item.get("source_step")
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return value if ok else None
