"""Reading replies at their edges: lengths exactly at a limit, the number of places an
object is looked for, where the search goes on after a false start, and the exact words of
every refusal and of the re-ask."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, model_validator

from mobile_agent.agents.replies import (
    MAX_REPLY_CHARS,
    clip,
    extract_json,
    limits_text,
    repair_messages,
    schema_of,
    validate,
)
from mobile_agent.errors import ParseError
from mobile_agent.llm.base import Message, Role


def test_a_string_at_its_limit_is_kept_one_longer_is_cut() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcd", 3) == "ab…"
    assert clip(12345, 3) == 12345


def test_the_stated_lengths_are_template_values() -> None:
    assert limits_text() == {
        "thought_max": "4000",
        "subgoal_max": "500",
        "plan_max": "20",
        "description_max": "300",
        "expectation_max": "500",
        "feedback_max": "1000",
        "progress_max": "1000",
    }


def test_the_re_ask_shows_a_reply_of_2000_characters_whole_and_cuts_a_longer_one() -> None:
    asked = [Message(Role.USER, "task")]
    whole = repair_messages(asked, "x" * 2000, "bad")
    assert whole[1] == Message(Role.ASSISTANT, "x" * 2000)
    assert whole[2] == Message(
        Role.USER,
        "Your reply could not be used: bad\n"
        "Answer again with only the JSON object described in the instructions.",
    )
    cut = repair_messages(asked, "y" * 2000 + "z", "bad")
    assert cut[1] == Message(Role.ASSISTANT, "y" * 2000 + " …")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("  ", "the reply is empty"),
        ("{'action': 'back'}", "the reply is not JSON: use double quotes and true/false/null"),
        ("I would tap Save.", "no JSON object found in the reply"),
        ('{"a":' * 19000, "the reply's JSON is nested too deeply"),
    ],
)
def test_each_refusal_says_what_was_wrong(text: str, error: str) -> None:
    with pytest.raises(ParseError) as caught:
        extract_json(text)
    assert str(caught.value) == error


def test_a_reply_of_the_longest_allowed_length_is_read() -> None:
    text = '{"ok": 1}'.ljust(MAX_REPLY_CHARS)
    assert extract_json(text) == {"ok": 1}
    with pytest.raises(ParseError, match=r"too long \(100001 characters\)"):
        extract_json(text + " ")


def test_an_object_is_looked_for_at_twenty_places_at_most() -> None:
    assert extract_json("{x " * 19 + '{"ok": 1}') == {"ok": 1}
    with pytest.raises(ParseError, match="no JSON object"):
        extract_json("{x " * 20 + '{"ok": 1}')


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('I think {{"thought": "t"}', {"thought": "t"}),  # right after a stray brace
        ('>{"ok": 1}', {"ok": 1}),  # a brace at any place
        ('{bad {"ok": 1} {bad', {"ok": 1}),  # the first good one, not the last brace
    ],
)
def test_the_search_goes_on_at_the_next_brace(text: str, found: dict) -> None:
    assert extract_json(text) == found


class _Window(BaseModel):
    start: int
    end: int

    @model_validator(mode="after")
    def _ordered(self) -> _Window:
        if self.end < self.start:
            raise ValueError("end before start")
        return self


def test_a_problem_of_the_whole_reply_is_named_as_the_reply() -> None:
    with pytest.raises(ParseError) as caught:
        validate(_Window, {"start": 2, "end": 1})
    assert str(caught.value) == "the reply does not fit the format: reply: end before start"


def test_changing_a_returned_schema_leaves_the_next_one_whole() -> None:
    schema_of(_Window)["properties"]["start"]["type"] = "string"
    assert schema_of(_Window)["properties"]["start"]["type"] == "integer"
