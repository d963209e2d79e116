"""The action registry: each action is declared once, everything else is derived.

A `RegisteredAction` is a name, a description, a pydantic parameter model and a small
executor function. From the registered actions the registry derives the operator prompt's
action list, the JSON schema of the operator's reply (a discriminated union on the action
name), validation of a model's arguments (errors become feedback text, not exceptions) and
dispatch.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from mobile_agent.device.base import Device
from mobile_agent.errors import (
    AppNotFound,
    DeviceDisconnected,
    DeviceError,
    ParseError,
    describe_validation_error,
)
from mobile_agent.perception.elements import UIElement
from mobile_agent.perception.observation import Observation

log = logging.getLogger(__name__)

# The user channel: a question in, the user's answer out (None = nobody can answer).
AskUser = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Refusal:
    """The gate's no: why, and whether the run must wait for the user (`blocked`: nobody
    could confirm) or may go on (the operator hears the reason)."""

    reason: str
    blocked: bool = False


# The policy gate: sees every call before it runs (shortcut steps included); a `Refusal`
# stops the call.
Gate = Callable[["ActionCall", "ActionContext"], "Refusal | None"]


@dataclass(frozen=True)
class ActionResult:
    """What one action did. Expected failures are values: `ok=False` with an `error`."""

    ok: bool
    summary: str
    error: str = ""
    finished: bool = False  # the task is complete (the `finish` action)
    answer: str = ""  # the final answer given with `finish`
    blocked: bool = False  # the run cannot go on without the user
    user_reply: str | None = None  # what the user answered to `ask_user`
    package: str = ""  # the app the action brought to the front by name (`open_app`)
    # screens observed while the action ran (between a shortcut's steps), oldest first
    observations: tuple[Observation, ...] = ()

    @classmethod
    def failure(cls, error: str, observations: tuple[Observation, ...] = ()) -> ActionResult:
        """A failed action with its feedback."""
        return cls(ok=False, summary=f"failed: {error}", error=error, observations=observations)


@dataclass(frozen=True)
class ActionContext:
    """Everything an executor may use, handed in; executors never call back into the runner.

    `observe` settles and observes the screen again (a shortcut replays its later steps on
    what it returns); `gate` sees every atomic call before it runs.
    """

    device: Device
    elements: Sequence[UIElement] = ()
    screen_size: tuple[int, int] = (0, 0)
    cancel: threading.Event = field(default_factory=threading.Event)
    ask_user: AskUser | None = None
    observe: Callable[[], Observation] | None = None
    gate: Gate | None = None
    package: str = ""  # the app in front when the screen was observed

    def element(self, number: int) -> UIElement | None:
        """The element with this number on the current screen, if any."""
        return next((el for el in self.elements if el.id == number), None)

    def on(self, observation: Observation) -> ActionContext:
        """The same context on a newer screen."""
        return replace(
            self,
            elements=observation.elements,
            screen_size=observation.size,
            package=observation.package,
        )


class ActionParams(BaseModel):
    """Base of every parameter model: strict about unknown keys, with a context check."""

    model_config = ConfigDict(extra="forbid")

    def check(self, ctx: ActionContext) -> str | None:
        """Feedback when the arguments do not fit the current screen, else None."""
        return None


class NoParams(ActionParams):
    """An action without parameters."""


Executor = Callable[[Any, ActionContext], ActionResult]


@dataclass(frozen=True)
class RegisteredAction:
    """One declared action."""

    name: str
    description: str
    params: type[ActionParams]
    executor: Executor

    def __call__(self, params: ActionParams, ctx: ActionContext) -> ActionResult:
        return self.executor(params, ctx)


def action(
    name: str, description: str, params: type[ActionParams] = NoParams
) -> Callable[[Executor], RegisteredAction]:
    """Declare an action: decorates its module-level executor function."""

    def wrap(fn: Executor) -> RegisteredAction:
        return RegisteredAction(name=name, description=description, params=params, executor=fn)

    return wrap


@dataclass(frozen=True)
class ActionCall:
    """A validated request to run one action."""

    name: str
    params: ActionParams

    def args(self) -> dict[str, Any]:
        """The arguments as given, as plain JSON values (unset optional ones left out)."""
        return self.params.model_dump(mode="json", exclude_none=True, exclude_defaults=True)

    def key(self) -> str:
        """A canonical string that identifies the action and its arguments."""
        return f"{self.name}({json.dumps(self.args(), sort_keys=True, ensure_ascii=False)})"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "args": self.args()}


class Registry:
    """The set of actions an operator may choose from."""

    def __init__(self, actions: Iterable[RegisteredAction] = ()) -> None:
        self._actions: dict[str, RegisteredAction] = {}
        self._derived: dict[str, Any] = {}  # prompt text and schema, made once per action set
        for act in actions:
            self.register(act)

    def register(self, act: RegisteredAction) -> None:
        """Add an action; names are unique."""
        if act.name in self._actions:
            raise ValueError(f"action {act.name!r} is already registered")
        self._actions[act.name] = act
        self._derived.clear()

    def get(self, name: str) -> RegisteredAction | None:
        return self._actions.get(name)

    @property
    def names(self) -> list[str]:
        return list(self._actions)

    def __contains__(self, name: object) -> bool:
        return name in self._actions

    def __len__(self) -> int:
        return len(self._actions)

    # -- derived: prompt text and output schema -------------------------------------
    def prompt_text(self) -> str:
        """The action list for the operator prompt: one block per action."""
        if "prompt" not in self._derived:
            self._derived["prompt"] = "\n".join(_describe(a) for a in self._actions.values())
        return str(self._derived["prompt"])

    def call_model(self) -> Any:
        """A pydantic type for `{"name": ..., "args": {...}}`, discriminated on the name."""
        variants = [
            create_model(
                f"{_camel(act.name)}Call",
                __config__=ConfigDict(extra="forbid"),
                name=(Literal[act.name], ...),  # type: ignore[valid-type,arg-type]
                args=(act.params, _args_default(act.params)),
            )
            for act in self._actions.values()
        ]
        if len(variants) == 1:
            return variants[0]
        from typing import Annotated, Union

        return Annotated[Union[tuple(variants)], Field(discriminator="name")]  # noqa: UP007

    def action_schema(self) -> dict[str, Any]:
        """JSON schema of one action call (the `action` field of the operator's reply)."""
        from pydantic import TypeAdapter

        if "schema" not in self._derived:
            self._derived["schema"] = TypeAdapter(self.call_model()).json_schema()
        return copy.deepcopy(self._derived["schema"])  # type: ignore[no-any-return]

    # -- validation and dispatch ------------------------------------------------------
    def parse_call(self, name: Any, args: Any) -> ActionCall:
        """Validate a model's action name and arguments; `ParseError` carries feedback."""
        if not isinstance(name, str) or name not in self._actions:
            raise ParseError(f"unknown action {name!r}; choose one of: {', '.join(self.names)}")
        if args is None:
            args = {}
        if not isinstance(args, dict):
            raise ParseError(
                f"the arguments of {name!r} must be a JSON object, got {type(args).__name__}"
            )
        act = self._actions[name]
        try:
            params = act.params.model_validate(args)
        except ValidationError as exc:
            raise ParseError(
                f"bad arguments for {name!r}: {describe_validation_error(exc, 'arguments')}"
            ) from None
        return ActionCall(name, params)

    def check(self, call: ActionCall, ctx: ActionContext) -> str | None:
        """Feedback when the call does not fit the current screen, else None."""
        return call.params.check(ctx)

    def execute(self, call: ActionCall, ctx: ActionContext) -> ActionResult:
        """Check the call against the screen, pass it through the gate, and run it.

        Device loss propagates as `DeviceDisconnected`; everything else the phone refuses (an
        unknown app, a timed-out or rejected call) comes back as a failed `ActionResult`.
        """
        act = self._actions.get(call.name)
        if act is None:
            return ActionResult.failure(f"unknown action {call.name!r}")
        problem = self.check(call, ctx)
        if problem:
            return ActionResult.failure(problem)
        refusal = ctx.gate(call, ctx) if ctx.gate else None
        if refusal is not None:
            failed = ActionResult.failure(f"not allowed: {refusal.reason}")
            return replace(failed, blocked=refusal.blocked)
        try:
            return act(call.params, ctx)
        except DeviceDisconnected:
            raise  # the phone is gone: the run ends
        except (AppNotFound, DeviceError) as exc:  # the phone refused this call: feedback
            return ActionResult.failure(str(exc))


def _describe(act: RegisteredAction) -> str:
    schema = act.params.model_json_schema()
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    if not props:
        return f"- {act.name}: {act.description} Arguments: none."
    fields = [
        _describe_field(name, prop, name in required, schema.get("$defs", {}))
        for name, prop in props.items()
    ]
    return f"- {act.name}: {act.description} Arguments: " + "; ".join(fields) + "."


def _describe_field(name: str, prop: dict[str, Any], required: bool, defs: dict[str, Any]) -> str:
    kind = _type_name(prop, defs)
    text = f"{name} ({kind}{'' if required else ', optional'})"
    if prop.get("description"):
        text += f": {prop['description']}"
    return text


def _type_name(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        target = defs.get(prop["$ref"].rsplit("/", 1)[-1], {})
        return _type_name(target, defs)
    if "enum" in prop:
        return " | ".join(json.dumps(v) for v in prop["enum"])
    if "anyOf" in prop:
        kinds = [_type_name(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        return " | ".join(kinds)
    kind = str(prop.get("type", "any"))
    marks = {
        "minimum": "≥{}",
        "exclusiveMinimum": ">{}",
        "maximum": "≤{}",
        "maxLength": "≤{} chars",
    }
    bounds = [fmt.format(prop[k]) for k, fmt in marks.items() if k in prop]
    return " ".join([kind, *bounds])


def _args_default(params: type[ActionParams]) -> Any:
    """Arguments may be left out only when every parameter has a default."""
    if any(f.is_required() for f in params.model_fields.values()):
        return ...
    return Field(default_factory=params)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))
