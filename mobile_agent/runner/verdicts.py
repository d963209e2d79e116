"""The reflect phase of a step: the verdict on the action, the progress record, the notes.

The verdict is evident from the screens when they settle it (`runner.evident`), and the
reflector's otherwise; while the reflector is asked, the notetaker may run beside it
(`runner.notes`). `Reflected` says which of the two judged (`judged_by`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace

from mobile_agent.agents import (
    AgentState,
    OperatorOutput,
    Outcome,
    Reflector,
    ReflectorOutput,
)
from mobile_agent.agents.prompting import computed_progress
from mobile_agent.events import Reflected
from mobile_agent.perception.observation import Observation
from mobile_agent.runner.calls import ModelCalls
from mobile_agent.runner.ends import StepEnd, judged
from mobile_agent.runner.evident import Acted, Evident, evident_outcome
from mobile_agent.runner.notes import NoteKeeper, NotesJob

ScopeOf = Callable[[Observation], frozenset[str]]  # the task's apps, seen from a screen


class Verdicts:
    """Judges each action that ran and keeps the state's progress and notes up to date."""

    def __init__(
        self,
        reflector: Reflector,
        calls: ModelCalls,
        notes: NoteKeeper,
        send: Callable[..., None],
        checkpoint: Callable[[], None],
        *,
        scope_of: ScopeOf,
        shortcuts: Collection[str] = (),
        evident: bool = True,
        notes_beside: bool = True,
    ) -> None:
        self.reflector, self.calls, self.notes = reflector, calls, notes
        self.send, self.checkpoint = send, checkpoint
        self.scope_of, self.shortcuts = scope_of, shortcuts
        self.evident, self.notes_beside = evident, notes_beside

    def judge(self, chosen: OperatorOutput, state: AgentState, new_screen: bool) -> StepEnd:
        """The step's end after its action: evident from the screens, else the reflector's
        (with the notetaker beside it when notes may be wanted)."""
        evident = self.evident_verdict(chosen, state)
        if evident is not None:
            verdict = ReflectorOutput(outcome=evident.outcome, feedback=evident.reason)
            return self._judged(chosen, state, verdict, None, new_screen, "screens")
        beside = self.notes_beside and self.notes.wanted(state.screen)
        notes = self.notes.start(state) if beside else None
        try:
            answer = self.calls.ask(self.reflector, state)
        except BaseException:
            if notes is not None:
                self.notes.abandon(notes)
            raise
        return self._judged(chosen, state, answer, notes, new_screen, "reflector")

    def evident_verdict(self, chosen: OperatorOutput, state: AgentState) -> Evident | None:
        """The verdict the screens settle, when allowed and when they do."""
        before, after, result = state.before, state.screen, state.last_result
        if not self.evident or before is None or after is None or result is None:
            return None
        acted = Acted(chosen.action, result, before, after, self.scope_of(before), self.shortcuts)
        found = evident_outcome(acted)
        if found is not None and found.outcome is Outcome.SUCCESS and chosen.completes_subgoal:
            return None  # whether the subgoal is done needs judgement
        return found

    def _judged(
        self,
        chosen: OperatorOutput,
        state: AgentState,
        verdict: ReflectorOutput | StepEnd,
        notes: NotesJob | None,
        new_screen: bool,
        judged_by: str,
    ) -> StepEnd:
        call, description = chosen.action, chosen.description
        summary = state.last_result.summary if state.last_result else ""
        if isinstance(verdict, StepEnd):
            if notes is not None:
                self.notes.finish(notes, state, keep=False)
            return replace(verdict, action=call, description=description, summary=summary)
        outcome = judged(verdict, call)
        success = outcome is Outcome.SUCCESS
        if success:
            record_progress(state, verdict, summary)
        self.send(
            Reflected,
            outcome=outcome.value,
            feedback=verdict.feedback,
            subgoal_completed=verdict.subgoal_completed,
            progress=state.progress if success else "",
            judged_by=judged_by,
        )
        if notes is not None:
            self.notes.finish(notes, state, keep=success)
        elif success and self.notes.wanted(state.screen):
            self.checkpoint()
            self.notes.take(state)
        return StepEnd(
            outcome.value,
            reason=verdict.feedback,
            action=call,
            description=description,
            subgoal_completed=verdict.subgoal_completed and success,
            new_screen=new_screen,
            summary=summary,
        )


def record_progress(state: AgentState, verdict: ReflectorOutput, summary: str) -> None:
    """After a success: the subgoal marked done when it is, the progress record rewritten
    (the reflector's, or one made from what is evident)."""
    current = state.current_subgoal
    if verdict.subgoal_completed and current and not state.is_done(current):
        state.done_subgoals.append(current)
    written = verdict.progress.strip()
    state.progress = written or computed_progress(state, summary)
