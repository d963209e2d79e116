"""How agents read replies: the JSON object in a reply, validated; the one repair re-ask.

Free-text fields of a reply (thoughts, descriptions, feedback) have a stated length; a
longer one is cut to it (`Clipped`), never refused: a verbose model still gets its step.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from mobile_agent.errors import ParseError, describe_validation_error
from mobile_agent.llm.base import Message, Role

M = TypeVar("M", bound=BaseModel)

MAX_REPLY_CHARS = 100_000  # longer replies are refused, not parsed
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_PYTHONISH = re.compile(r"(\{\s*'|'\s*:|:\s*(True|False|None)\b)")


# The stated lengths of the free-text reply fields (the prompts quote these numbers).
THOUGHT_MAX = 4000
SUBGOAL_MAX = 500
PLAN_MAX = 20  # subgoals in a plan
DESCRIPTION_MAX = 300
EXPECTATION_MAX = 500
FEEDBACK_MAX = 1000
PROGRESS_MAX = 1000
NOTES_MAX = 20_000  # what a reply may carry; the run keeps a shorter cap (`RunLimits`)


def clip(value: Any, limit: int) -> Any:
    """A string cut to `limit` characters (an ellipsis marks the cut); other values as given."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


def _clipped(limit: int) -> Any:
    return BeforeValidator(lambda value: clip(value, limit))


Thought = Annotated[str, _clipped(THOUGHT_MAX), Field(max_length=THOUGHT_MAX)]
Subgoal = Annotated[str, _clipped(SUBGOAL_MAX), Field(max_length=SUBGOAL_MAX)]
Feedback = Annotated[str, _clipped(FEEDBACK_MAX), Field(max_length=FEEDBACK_MAX)]
Progress = Annotated[str, _clipped(PROGRESS_MAX), Field(max_length=PROGRESS_MAX)]
NotesText = Annotated[str, _clipped(NOTES_MAX), Field(max_length=NOTES_MAX)]


def limits_text() -> dict[str, str]:
    """The stated lengths, as template values (`$thought_max`, …)."""
    values = {
        "THOUGHT_MAX": THOUGHT_MAX,
        "SUBGOAL_MAX": SUBGOAL_MAX,
        "PLAN_MAX": PLAN_MAX,
        "DESCRIPTION_MAX": DESCRIPTION_MAX,
        "EXPECTATION_MAX": EXPECTATION_MAX,
        "FEEDBACK_MAX": FEEDBACK_MAX,
        "PROGRESS_MAX": PROGRESS_MAX,
    }
    return {name.lower(): str(value) for name, value in values.items()}


def repair_messages(messages: list[Message], reply: str, error: str) -> list[Message]:
    """The conversation re-asked once after a reply that could not be used."""
    shown = reply if len(reply) <= 2000 else reply[:2000] + " …"
    ask = (
        f"Your reply could not be used: {error}\n"
        "Answer again with only the JSON object described in the instructions."
    )
    return [*messages, Message(Role.ASSISTANT, shown), Message(Role.USER, ask)]


def extract_json(text: str) -> dict[str, Any]:
    """The JSON object in a reply: bare, in a ```json fence, or amid prose."""
    if text is None or not str(text).strip():
        raise ParseError("the reply is empty")
    if len(text) > MAX_REPLY_CHARS:
        raise ParseError(f"the reply is too long ({len(text)} characters)")
    for candidate in _candidates(text):
        obj = _first_object(candidate)
        if obj is not None:
            return obj
    if _PYTHONISH.search(text):
        raise ParseError("the reply is not JSON: use double quotes and true/false/null")
    raise ParseError("no JSON object found in the reply")


def _candidates(text: str) -> list[str]:
    fenced = [m.group(1) for m in _FENCE.finditer(text)]
    return [*fenced, text]


def _first_object(text: str, tries: int = 20) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1 and tries > 0:
        try:
            value, _ = decoder.raw_decode(text, start)
        except ValueError:
            value = None
        except RecursionError:
            raise ParseError("the reply's JSON is nested too deeply") from None
        if isinstance(value, dict):
            return value
        start = text.find("{", start + 1)
        tries -= 1
    return None


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of a reply model (made once; a fresh copy each time)."""
    return copy.deepcopy(_schema(model))


@cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def validate(model: type[M], data: dict[str, Any]) -> M:
    """`data` as `model`; a `ParseError` listing what is wrong otherwise."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = describe_validation_error(exc, "reply")
        raise ParseError(f"the reply does not fit the format: {problems}") from None
