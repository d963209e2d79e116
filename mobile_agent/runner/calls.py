"""Model calls of a run: one repair re-ask per reply, usage and time tallies.

`ask` returns the agent's parsed reply, or a failed `StepEnd` when the reply stays unusable
(after its one repair) or a transient provider failure outlasted the call's retries. Fatal
model errors (bad key, bad request), `Cancelled`, and a second call in a row that outlasts its
retries propagate: they end the run.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from mobile_agent.agents import AgentState, repair_messages
from mobile_agent.config import AGENT_ROLES
from mobile_agent.errors import Cancelled, DeadlineExceeded, LLMError, ParseError, Truncated
from mobile_agent.events import ModelCalled
from mobile_agent.llm.base import ChatModel, Completion, Message, Usage
from mobile_agent.llm.retry import run_abandonable
from mobile_agent.runner.ends import StepEnd, failed

log = logging.getLogger(__name__)

# Calls in a row that outlast their retries (each already bounded by its deadline) before
# the run ends: one such call fails its step; a second means the provider is unreachable.
UNANSWERED_LIMIT = 2

Send = Callable[..., None]  # send(EventClass, **fields) fills in the run id and step
Held = list[tuple[type, dict[str, Any]]]  # events kept back by a call on another thread


class ModelCalls:
    """Asks agents for replies and keeps count of calls, tokens, cost and model time.

    Backends that honour `cancel` (the `ChatModel` contract) end a stopped call themselves;
    any other is abandoned on a worker thread, so a stop never waits for a model.
    """

    def __init__(
        self,
        models: Mapping[str, ChatModel],
        cancel: threading.Event,
        send: Send,
        schemas: Mapping[str, Callable[[], dict[str, Any]]] | None = None,
    ) -> None:
        self.models = models
        self.cancel = cancel
        self.send = send
        self.schemas = dict(schemas or {})
        self.calls = 0
        self.usage = Usage()
        self.time_s = 0.0
        self.unanswered = 0  # calls in a row that outlasted their retries unanswered
        self._lock = threading.Lock()  # two calls may run at once (notes beside a verdict)

    def ask(
        self,
        agent: Any,
        state: AgentState,
        check: Callable[[Any], str | None] | None = None,
        *,
        held: Held | None = None,
    ) -> Any:
        """The agent's parsed reply, re-asked once with the problem; a failed `StepEnd` after.

        `check` may refuse a parsed reply with feedback (e.g. an element not on screen).
        With `held`, the call's events are appended there instead of sent (for a call on
        another thread: the runner sends them on its own).
        """
        role: str = agent.role
        messages: list[Message] = agent.messages(state)
        problem = ""
        for attempt in (1, 2):
            text = self._complete(role, messages, attempt, held)
            if isinstance(text, StepEnd):
                return text
            try:
                out = agent.parse(text)
                problem = (check(out) if check else None) or ""
            except ParseError as exc:
                problem = str(exc)
            if not problem:
                return out
            log.info("%s reply unusable (attempt %d): %s", role, attempt, problem)
            messages = repair_messages(messages, text, problem)
        return failed(role, f"the {role}'s reply was unusable twice: {problem}")

    def _complete(
        self, role: str, messages: list[Message], attempt: int, held: Held | None = None
    ) -> str | StepEnd:
        """One call: its text, or a failed step when a transient failure outlasted retries."""
        if self.cancel.is_set():
            raise Cancelled("the run was stopped")
        model = self.models[role]
        schema = self.schemas[role]() if role in self.schemas else None
        started = time.perf_counter()
        usage, reply = Usage(), None
        try:
            completion = self._call(model, messages, schema)
            usage, reply = completion.usage, completion.text or ""
            self.unanswered = 0
            return reply
        except Truncated as exc:
            return failed(role, f"model call failed: {exc}")
        except LLMError as exc:
            if isinstance(exc, Cancelled) or not (
                exc.retryable or isinstance(exc, DeadlineExceeded)
            ):
                raise
            self.unanswered += 1
            if self.unanswered >= UNANSWERED_LIMIT:
                raise  # the provider is down, not slow once: the run ends with its reason
            return failed(role, f"model call failed: {exc}")
        finally:
            latency = time.perf_counter() - started
            fields = _called(role, model, usage, latency, attempt, reply, messages)
            with self._lock:
                self.calls += 1
                self.time_s += latency
                self.usage = self.usage + usage
            if held is None:
                self.send(ModelCalled, **fields)
            else:
                held.append((ModelCalled, fields))

    def _call(self, model: ChatModel, messages: list[Message], schema: Any) -> Completion:
        """`model.complete`; a backend that does not promise to honour the cancel event is
        left behind on its worker thread when the run is stopped."""

        def call() -> Completion:
            return model.complete(messages, response_schema=schema, cancel=self.cancel)

        if getattr(model, "honours_cancel", False):
            return call()
        return run_abandonable(call, math.inf, self.cancel, model.name)


def _called(
    role: str,
    model: ChatModel,
    usage: Usage,
    latency: float,
    attempt: int,
    reply: str | None,
    messages: list[Message],
) -> dict[str, Any]:
    """The fields of the `ModelCalled` event of one call."""
    return {
        "agent": role,
        "model": model.name,
        "usage": usage,
        "latency_s": latency,
        "attempt": attempt,
        "ok": reply is not None,
        "prompt_chars": sum(len(m.text) for m in messages),
        "prompt": _as_text(messages),
        "reply": reply or "",
    }


def _as_text(messages: list[Message]) -> str:
    """The conversation as plain text, each message under its role (images counted)."""
    parts = []
    for message in messages:
        count = len(message.images)
        images = f" (+{count} image{'s' if count > 1 else ''})" if count else ""
        parts.append(f"## {message.role.value}{images}\n{message.text}")
    return "\n\n".join(parts)


def models_by_role(models: ChatModel | Mapping[str, ChatModel]) -> dict[str, ChatModel]:
    """One model per agent role: a single model for all, or a mapping (with "default")."""
    if isinstance(models, Mapping):
        default = models.get("default") or models.get("operator")
        found = {role: models.get(role) or default for role in AGENT_ROLES}
        missing = [role for role, model in found.items() if model is None]
        if missing:
            raise ValueError(f"no model for: {', '.join(missing)}")
        return found  # type: ignore[return-value]
    return dict.fromkeys(AGENT_ROLES, models)
