"""When the notetaker runs, and running it beside the reflector.

Policies: "always" (after every successful step), "never", and "new": only when the screen
shows text the notetaker has not read yet in this run — a screen made of text it has already
read can add nothing to the notes, so that call is saved.

`NoteKeeper.start` runs the notetaker on a worker thread while the runner waits for the
reflector's verdict (the notes are needed only after a success); `finish` joins it, sends its
events from the runner's thread and keeps the notes only when the step succeeded.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mobile_agent.agents import AgentState, Notetaker
from mobile_agent.events import NotesUpdated
from mobile_agent.perception.observation import Observation
from mobile_agent.runner.calls import Held, ModelCalls
from mobile_agent.runner.ends import StepEnd

log = logging.getLogger(__name__)

NOTETAKER_POLICIES = ("new", "always", "never")


@dataclass
class NotesJob:
    """One notetaker call, in flight on a worker thread or done."""

    texts: frozenset[str]
    held: Held = field(default_factory=list)
    reply: Any = None
    error: BaseException | None = None
    thread: threading.Thread | None = None


class NoteKeeper:
    """Decides when the notetaker runs, runs it, and applies its notes."""

    def __init__(
        self,
        notetaker: Notetaker,
        calls: ModelCalls,
        send: Callable[..., None],
        *,
        policy: str = "new",
        max_chars: int = 2000,
    ) -> None:
        if policy not in NOTETAKER_POLICIES:
            raise ValueError(f"notetaker must be one of {NOTETAKER_POLICIES}, not {policy!r}")
        self.notetaker, self.calls, self.send = notetaker, calls, send
        self.policy, self.max_chars = policy, max_chars
        self._read: set[str] = set()  # texts the notetaker was shown in this run

    def wanted(self, screen: Observation | None) -> bool:
        """Whether a successful step on `screen` should be followed by notes."""
        if self.policy != "new":
            return self.policy == "always"
        return bool(screen_texts(screen) - self._read)

    def start(self, state: AgentState) -> NotesJob:
        """The notetaker called on a worker thread, on a copy of the state as it is now."""
        job = NotesJob(screen_texts(state.screen))
        snapshot = _snapshot(state)

        def work() -> None:
            try:
                job.reply = self.calls.ask(self.notetaker, snapshot, held=job.held)
            except BaseException as exc:  # re-raised on the runner's thread by `finish`
                job.error = exc

        job.thread = threading.Thread(target=work, name="notetaker", daemon=True)
        job.thread.start()
        return job

    def take(self, state: AgentState) -> None:
        """The notetaker called now; its notes applied."""
        job = NotesJob(screen_texts(state.screen))
        job.reply = self.calls.ask(self.notetaker, state, held=job.held)
        self.finish(job, state, keep=True)

    def abandon(self, job: NotesJob) -> None:
        """Leave `job` behind (the step ended another way): its notes and events are dropped;
        its call, cancelled with the run or not, ends on its own thread."""
        job.held.clear()
        log.debug("notes of the step dropped: the step ended before its verdict")

    def finish(self, job: NotesJob, state: AgentState, *, keep: bool) -> None:
        """Wait for `job`, send its events, and apply its notes when `keep`."""
        if job.thread is not None:
            job.thread.join()
        for kind, fields in job.held:
            self.send(kind, **fields)
        if job.error is not None:
            raise job.error
        if not keep:
            return
        self._read |= job.texts
        out = job.reply
        if isinstance(out, StepEnd):  # notes stay as they were; the step's action did succeed
            log.warning("the notetaker gave no usable notes: %s", out.reason)
            return
        notes = cap(out.notes.strip(), self.max_chars)
        if notes != state.notes:  # unchanged notes are no news
            state.notes = notes
            self.send(NotesUpdated, notes=notes)


def _snapshot(state: AgentState) -> AgentState:
    """A copy of `state` that later changes to it (its lists included) do not reach."""
    snapshot = copy.copy(state)
    for name, value in vars(snapshot).items():
        if isinstance(value, list):
            setattr(snapshot, name, list(value))
    return snapshot


def screen_texts(screen: Observation | None) -> frozenset[str]:
    """The texts and descriptions a screen shows, case and spacing folded."""
    if screen is None:
        return frozenset()
    found = set()
    for element in screen.elements:
        for text in (element.text, element.description):
            folded = " ".join(text.split()).casefold()
            if folded:
                found.add(folded)
    return frozenset(found)


def cap(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
