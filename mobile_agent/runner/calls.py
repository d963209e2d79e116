"""Model calls of a run: one repair re-ask per reply, cancellation, usage and time tallies."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from mobile_agent.agents import AgentState, repair_messages
from mobile_agent.errors import Cancelled, DeadlineExceeded, LLMError, ParseError, Truncated
from mobile_agent.events import ModelCalled
from mobile_agent.llm.base import ChatModel, Message, Usage
from mobile_agent.runner.control import Control
from mobile_agent.runner.flow import StepFailed

log = logging.getLogger(__name__)

Send = Callable[..., None]  # send(EventClass, **fields) fills in the run id and step


class ModelCalls:
    """Asks agents for replies and keeps count of calls, tokens, cost and model time."""

    def __init__(
        self,
        models: Mapping[str, ChatModel],
        control: Control,
        send: Send,
        schemas: Mapping[str, Callable[[], dict[str, Any]]] | None = None,
    ) -> None:
        self.models = models
        self.control = control
        self.send = send
        self.schemas = dict(schemas or {})
        self.calls = 0
        self.usage = Usage()
        self.time_s = 0.0

    def ask(
        self, agent: Any, state: AgentState, check: Callable[[Any], str | None] | None = None
    ) -> Any:
        """The agent's parsed reply, re-asked once with the problem; `StepFailed` after that.

        `check` may refuse a parsed reply with feedback (e.g. an element not on screen).
        """
        role: str = agent.role
        messages: list[Message] = agent.messages(state)
        problem = ""
        for attempt in (1, 2):
            text = self._complete(role, messages, attempt)
            try:
                out = agent.parse(text)
                problem = (check(out) if check else None) or ""
            except ParseError as exc:
                problem = str(exc)
            if not problem:
                return out
            log.info("%s reply unusable (attempt %d): %s", role, attempt, problem)
            messages = repair_messages(messages, text, problem)
        raise StepFailed(role, f"the {role}'s reply was unusable twice: {problem}")

    def _complete(self, role: str, messages: list[Message], attempt: int) -> str:
        """One call. Transient failures fail the step; Cancelled and fatal errors propagate."""
        model = self.models[role]
        schema = self.schemas[role]() if role in self.schemas else None
        started = time.perf_counter()
        usage, ok = Usage(), False
        try:
            completion = self.control.call(
                lambda: model.complete(messages, response_schema=schema, cancel=self.control.cancel)
            )
            usage, ok = completion.usage, True
            return completion.text or ""
        except (DeadlineExceeded, Truncated) as exc:
            raise StepFailed(role, f"model call failed: {exc}") from exc
        except LLMError as exc:
            if exc.retryable and not isinstance(exc, Cancelled):
                raise StepFailed(role, f"model call failed: {exc}") from exc
            raise
        finally:
            latency = time.perf_counter() - started
            self.calls += 1
            self.time_s += latency
            self.usage = self.usage + usage
            self.send(
                ModelCalled,
                agent=role,
                model=model.name,
                usage=usage,
                latency_s=latency,
                attempt=attempt,
                ok=ok,
                prompt_chars=sum(len(m.text) for m in messages),
            )
