"""When the notetaker runs ("new": only for text it has not read), and the notetaker running
beside the reflector's call, its notes kept only after a success."""

from __future__ import annotations

import json
import threading
from typing import Any

from scripted_agents import (
    KEEP_NOTES,
    ElementScript,
    agent_sequence,
    manager,
    notetaker,
    operator,
    reflector,
    tap_el,
)

from mobile_agent.llm.base import Completion, Message

from .harness import SETTINGS, run_script

OPEN_NOTES = operator("open_app", {"app": "Notes"})
NEW = SETTINGS.model_copy(update={"evident_outcomes": True, "notetaker": "new"})


def test_new_policy_skips_screens_whose_text_was_all_read() -> None:
    run = run_script(
        [
            manager("Look"),
            OPEN_NOTES,  # the notes list: new text
            operator("home"),  # the home screen: new text
            OPEN_NOTES,  # read already
            operator("home"),  # read already
            operator("finish"),
            KEEP_NOTES,
        ],
        settings=NEW,
    )
    assert agent_sequence(run.model).count("notetaker") == 2
    called = [c.step for c in run.events.of("model_called") if c.agent == "notetaker"]
    assert called == [1, 2]


def test_always_policy_takes_notes_after_every_success() -> None:
    run = run_script(
        [manager("Look"), OPEN_NOTES, operator("home"), OPEN_NOTES, operator("finish"), KEEP_NOTES],
        settings=NEW.model_copy(update={"notetaker": "always"}),
    )
    assert agent_sequence(run.model).count("notetaker") == 3


class _Meeting(ElementScript):
    """The reflector's call waits until the notetaker's has begun (it never would if the two
    ran one after the other) and records the threads the calls ran on."""

    def __init__(self, script: list[Any]) -> None:
        super().__init__(script)
        self.notes_begun = threading.Event()
        self.met = False

    def complete(self, messages: list[Message], **kwargs: Any) -> Completion:
        system = messages[0].text
        if system.startswith("Role: notetaker"):
            self.notes_begun.set()
        elif system.startswith("Role: reflector"):
            self.met = self.notes_begun.wait(10)
        return super().complete(messages, **kwargs)


def _overlap_run(verdict: str) -> tuple[Any, _Meeting, list[str]]:
    script = [
        manager("Create the note"),
        OPEN_NOTES,
        tap_el("New note"),
        reflector(verdict),
        notetaker("the editor is open", seen="Title"),
        operator("finish"),
        KEEP_NOTES,
    ]
    model = _Meeting(script)
    threads: list[str] = []
    run = run_script(
        script,
        model=model,
        settings=NEW.model_copy(update={"notes_beside_verdict": True}),
        listeners=[lambda event: threads.append(threading.current_thread().name)],
    )
    return run, model, threads


def test_the_notetaker_runs_beside_the_reflector_and_its_events_come_after_the_verdict() -> None:
    run, model, threads = _overlap_run("success")
    assert model.met, "the reflector's call ended before the notetaker's began"
    assert run.result is not None and run.result.notes == "the editor is open"
    kinds = [(e.kind, getattr(e, "agent", "")) for e in run.events.events if e.step == 2]
    verdict = kinds.index(("reflected", ""))
    assert kinds.index(("model_called", "notetaker")) > verdict
    assert kinds.index(("notes_updated", "")) > verdict
    assert set(threads) == {threading.current_thread().name}  # every event on the run's thread


def test_notes_taken_beside_a_failed_verdict_are_dropped_but_their_call_is_counted() -> None:
    run, model, _ = _overlap_run("wrong_page")
    assert model.met
    assert run.events.of("notes_updated") == []
    assert run.result is not None and run.result.notes == ""
    noted = [c.step for c in run.events.of("model_called") if c.agent == "notetaker"]
    assert noted == [1, 2]  # after the app opened, and beside the verdict of step 2
    assert run.result.model_calls == len(run.events.of("model_called"))


def test_a_notetaker_reply_matched_to_its_screen_is_kept() -> None:
    reply = json.dumps({"thought": "t", "notes": "four notes"})
    run = run_script(
        [
            manager("Look"),
            OPEN_NOTES,
            {"match": "Role: notetaker", "reply": reply},
            operator("finish"),
            KEEP_NOTES,
        ],
        settings=NEW,
    )
    assert run.result is not None and run.result.notes == "four notes"


def test_notes_beside_the_verdict_work_on_the_state_as_it_was_when_they_began() -> None:
    from mobile_agent.agents import AgentState
    from mobile_agent.runner.notes import _snapshot

    state = AgentState(task="t", plan=["Open Notes", "Write"], current_subgoal="Open Notes")
    copy = _snapshot(state)
    state.done_subgoals.append("Open Notes")  # what the verdict does meanwhile
    state.progress = "Notes is open"
    assert copy.done_subgoals == [] and copy.progress == ""
    assert copy.plan == state.plan and copy.plan is not state.plan
