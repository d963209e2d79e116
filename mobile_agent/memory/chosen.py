"""Retrieval chosen by a model: full-text search proposes, the model picks.

    retriever = ModelRetriever(store, model, candidates=20)
    found = retriever.retrieve("Write a note called Groceries")

`FtsRetriever` gives a wider set of candidates (`candidates` tips and as many shortcuts);
one model call (prompts `retrieval.system` / `retrieval.user`, the candidates inside data
blocks) says which of them bear on the task, most useful first. Ids the reply does not know
are ignored, and the store's limits still apply. When the call fails or the reply cannot be
used, the full-text ranking is kept and a warning logged: retrieval never stops a run.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from mobile_agent.agents.prompting import render, system_user, untrusted
from mobile_agent.agents.replies import Thought, extract_json, schema_of, validate
from mobile_agent.errors import Cancelled, LLMError, ParseError
from mobile_agent.memory.models import StoredShortcut, Tip
from mobile_agent.memory.retrieval import FtsRetriever, Retrieved

if TYPE_CHECKING:
    from mobile_agent.llm.base import ChatModel, Message
    from mobile_agent.memory.store import Store

log = logging.getLogger(__name__)

MAX_IDS = 50  # ids a reply may list in each field


class Choice(BaseModel):
    """The model's reply: the ids of the chosen tips and shortcuts, most useful first."""

    model_config = ConfigDict(extra="ignore")

    thought: Thought = ""
    tips: list[str]
    shortcuts: list[str]


class ModelRetriever:
    """Lets a model choose among the full-text candidates (one call per task)."""

    def __init__(
        self,
        store: Store,
        model: ChatModel,
        *,
        candidates: int = 20,
        tips: int | None = None,
        shortcuts: int | None = None,
        use_proposed: bool | None = None,
    ) -> None:
        settings = store.settings
        self.model = model
        self.tips = settings.tips if tips is None else tips
        self.shortcuts = settings.shortcuts if shortcuts is None else shortcuts
        self.fts = FtsRetriever(
            store,
            tips=candidates if self.tips > 0 else 0,
            shortcuts=candidates if self.shortcuts > 0 else 0,
            use_proposed=use_proposed,
        )

    def retrieve(self, task: str, *, app: str = "") -> Retrieved:
        """The candidates the model chose for `task`; the full-text ranking when it gave no
        usable answer."""
        pool = self.fts.retrieve(task, app=app)
        if not pool.tips and not pool.shortcuts:
            return Retrieved()
        try:
            reply = self.model.complete(
                self.messages(task, pool), response_schema=schema_of(Choice)
            )
            choice = validate(Choice, extract_json(reply.text))
        except Cancelled:
            raise
        except (LLMError, ParseError) as exc:
            log.warning("the model's choice of tips and shortcuts failed (%s): using search", exc)
            return self._fallback(pool)
        return self._chosen(pool, choice)

    def messages(self, task: str, pool: Retrieved) -> list[Message]:
        """The prompt: the task and the candidates, numbered T1… and S1…"""
        system = render(
            "retrieval.system", tips_max=str(self.tips), shortcuts_max=str(self.shortcuts)
        )
        tips = "\n".join(f"T{n}: {_tip_line(t)}" for n, t in enumerate(pool.tips, start=1))
        shortcuts = "\n".join(
            f"S{n}: {_shortcut_line(s)}" for n, s in enumerate(pool.shortcuts, start=1)
        )
        user = render(
            "retrieval.user",
            task=task,
            tips=untrusted("candidate_tips", tips, "Tips stored from earlier runs"),
            shortcuts=untrusted("candidate_shortcuts", shortcuts, "Stored shortcuts"),
        )
        return system_user(system, user)

    def _chosen(self, pool: Retrieved, choice: Choice) -> Retrieved:
        tips = _pick(pool.tips, "T", choice.tips, self.tips)
        shortcuts = _pick(pool.shortcuts, "S", choice.shortcuts, self.shortcuts)
        log.debug("the model chose %d tips and %d shortcuts", len(tips), len(shortcuts))
        return Retrieved(tips, shortcuts)

    def _fallback(self, pool: Retrieved) -> Retrieved:
        return Retrieved(pool.tips[: max(0, self.tips)], pool.shortcuts[: max(0, self.shortcuts)])


def _pick(items: tuple[Any, ...], prefix: str, ids: list[str], limit: int) -> tuple[Any, ...]:
    """The items named by `ids` (`T3` is the third), in the reply's order, each once, at most
    `limit`; unknown ids are ignored."""
    chosen: list[Any] = []
    seen: set[int] = set()
    for raw in ids[:MAX_IDS]:
        text = raw.strip().upper()
        if not text.startswith(prefix) or not text[len(prefix) :].isdigit():
            log.debug("ignoring the unknown id %r in the model's choice", raw)
            continue
        index = int(text[len(prefix) :]) - 1
        if 0 <= index < len(items) and index not in seen:
            seen.add(index)
            chosen.append(items[index])
    return tuple(chosen[: max(0, limit)])


def _tip_line(tip: Tip) -> str:
    return tip.text + (f" (in {tip.app})" if tip.app else "")


def _shortcut_line(shortcut: StoredShortcut) -> str:
    params = ", ".join(p.name for p in shortcut.params)
    line = f"{shortcut.name}({params}): {shortcut.description}"
    return line + (f" Precondition: {shortcut.precondition}" if shortcut.precondition else "")
