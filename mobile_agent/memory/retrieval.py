"""Retrieval: the tips and shortcuts relevant to a new task.

The runner needs one thing: `Retriever.retrieve(task) -> Retrieved`, whose `tips_text()` and
`runner_shortcuts()` go straight into `Runner(tips=..., shortcuts=...)`. `FtsRetriever` ranks
approved items (and proposed ones when the settings allow) by SQLite FTS5 BM25 over the
task's words; `EmbeddingRetriever` (`memory.embeddings`) by cosine similarity with a local
sentence-transformers model, and `ModelRetriever` (`memory.chosen`) lets a model choose among
the full-text candidates. `make_retriever` picks one as the settings say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from mobile_agent.memory.models import Status, StoredShortcut, Tip
from mobile_agent.memory.shortcut_store import shortcut_from_row
from mobile_agent.memory.tip_store import tip_from_row

if TYPE_CHECKING:
    from mobile_agent.actions.shortcuts import Shortcut
    from mobile_agent.llm.base import ChatModel
    from mobile_agent.memory.store import Store

RETRIEVALS = ("fts", "embeddings", "model")

MAX_TERMS = 32
_WORD = re.compile(r"\w+")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "with",
        "then",
        "than",
        "there",
        "their",
        "them",
        "they",
        "you",
        "your",
        "please",
        "can",
        "could",
        "would",
        "should",
        "will",
    ]
)


@dataclass(frozen=True)
class Retrieved:
    """What memory gives one task."""

    tips: tuple[Tip, ...] = ()
    shortcuts: tuple[StoredShortcut, ...] = ()

    def tips_text(self) -> str:
        """The tips as the agents' prompts show them, one per line ("" when none)."""
        return "\n".join(
            f"- {tip.text}" + (f" (in {tip.app})" if tip.app else "") for tip in self.tips
        )

    def runner_shortcuts(self) -> list[Shortcut]:
        """The shortcuts as the registry runs them."""
        return [s.to_shortcut() for s in self.shortcuts]

    @property
    def tip_ids(self) -> tuple[int, ...]:
        return tuple(tip.id for tip in self.tips if tip.id is not None)

    @property
    def shortcut_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.shortcuts)


class Retriever(Protocol):
    """Chooses the tips and shortcuts for a task."""

    def retrieve(self, task: str, *, app: str = "") -> Retrieved:
        """The items relevant to `task` (`app`: the package in front, when known)."""
        ...


def limits(
    store: Store, tips: int | None, shortcuts: int | None, use_proposed: bool | None
) -> tuple[int, int, tuple[Status, ...]]:
    """How many tips and shortcuts a retriever gives, and of which statuses: the arguments,
    else the store's settings. Approved ones, and proposed ones when allowed: never
    disabled or suspect ones."""
    settings = store.settings
    proposed = settings.use_proposed if use_proposed is None else use_proposed
    return (
        settings.tips if tips is None else tips,
        settings.shortcuts if shortcuts is None else shortcuts,
        (Status.APPROVED, Status.PROPOSED) if proposed else (Status.APPROVED,),
    )


class FtsRetriever:
    """Ranks items by full-text relevance to the task (SQLite FTS5, BM25)."""

    def __init__(
        self,
        store: Store,
        *,
        tips: int | None = None,
        shortcuts: int | None = None,
        use_proposed: bool | None = None,
    ) -> None:
        self.store = store
        self.tips, self.shortcuts, self.statuses = limits(store, tips, shortcuts, use_proposed)

    def retrieve(self, task: str, *, app: str = "") -> Retrieved:
        """The best-matching tips (general ones, or scoped to `app` when it is given) and
        shortcuts; nothing when the task shares no word with them."""
        query = fts_query(task)
        if not query:
            return Retrieved()
        return Retrieved(self._tips(query, app), self._shortcuts(query))

    def _tips(self, query: str, app: str) -> tuple[Tip, ...]:
        if self.tips <= 0:
            return ()
        marks = ", ".join("?" * len(self.statuses))
        rows = self.store.query(
            "SELECT tips.* FROM tips_fts JOIN tips ON tips.rowid = tips_fts.rowid "
            f"WHERE tips_fts MATCH ? AND tips.status IN ({marks}) "
            "AND (? = '' OR tips.app = '' OR tips.app = ?) "
            "ORDER BY bm25(tips_fts), tips.successes DESC LIMIT ?",
            [query, *map(str, self.statuses), app, app, self.tips],
        )
        return tuple(tip_from_row(row) for row in rows)

    def _shortcuts(self, query: str) -> tuple[StoredShortcut, ...]:
        if self.shortcuts <= 0:
            return ()
        marks = ", ".join("?" * len(self.statuses))
        rows = self.store.query(
            "SELECT shortcuts.* FROM shortcuts_fts "
            "JOIN shortcuts ON shortcuts.rowid = shortcuts_fts.rowid "
            f"WHERE shortcuts_fts MATCH ? AND shortcuts.status IN ({marks}) "
            "ORDER BY bm25(shortcuts_fts), shortcuts.successes DESC LIMIT ?",
            [query, *map(str, self.statuses), self.shortcuts],
        )
        return tuple(shortcut_from_row(row) for row in rows)


def fts_query(text: str) -> str:
    """An FTS5 query matching any of the words of `text` (each quoted; stop words and
    one-letter words left out)."""
    words = [w for w in _WORD.findall(text.casefold()) if len(w) > 1 and w not in _STOPWORDS]
    unique = list(dict.fromkeys(words))[:MAX_TERMS]
    return " OR ".join(f'"{word}"' for word in unique)


def make_retriever(
    store: Store, settings: Any = None, *, model: ChatModel | None = None
) -> Retriever:
    """The retriever the settings choose: `memory_retrieval` is "fts" (the default),
    "embeddings" (the local model in `memory_embedding_model`) or "model" (`model` chooses
    among the full-text candidates). `ConfigError` when the choice cannot be made."""
    from mobile_agent.errors import ConfigError

    kind = getattr(settings, "memory_retrieval", None) or "fts"
    if kind == "fts":
        return FtsRetriever(store)
    if kind == "embeddings":
        path = getattr(settings, "memory_embedding_model", None) or ""
        if not str(path).strip():
            raise ConfigError(
                "memory_retrieval is 'embeddings' but memory_embedding_model names no model "
                "(the directory of a sentence-transformers model)"
            )
        from mobile_agent.memory.embeddings import EmbeddingRetriever

        return EmbeddingRetriever(store, str(path))
    if kind == "model":
        if model is None:
            raise ConfigError("memory_retrieval is 'model' but no model was given to choose")
        from mobile_agent.memory.chosen import ModelRetriever

        return ModelRetriever(store, model)
    raise ConfigError(f"memory_retrieval must be one of {', '.join(RETRIEVALS)}, not {kind!r}")
