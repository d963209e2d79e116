"""Retrieval by embeddings: items ranked by cosine similarity to the task.

    retriever = EmbeddingRetriever(store, "~/models/all-MiniLM-L6-v2")
    found = retriever.retrieve("Write a note called Groceries")

The model is a sentence-transformers model in a local directory; it is never downloaded
(the load runs with `HF_HUB_OFFLINE=1` and `local_files_only`). sentence-transformers and
torch come with the `local` extra and are imported only when a retriever is made. A tip is
embedded by its text, a shortcut by its name, description and precondition. Embeddings are
cached in the store's `embeddings` table, one row per item and model with the digest of the
text embedded, so only new or changed items are embedded again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mobile_agent.errors import ConfigError
from mobile_agent.memory.models import StoredShortcut, Tip, now_iso
from mobile_agent.memory.retrieval import Retrieved, limits
from mobile_agent.memory.shortcut_store import shortcut_from_row
from mobile_agent.memory.tip_store import tip_from_row

if TYPE_CHECKING:
    from mobile_agent.memory.store import Store

log = logging.getLogger(__name__)

MODEL_FILES = ("modules.json", "config_sentence_transformers.json", "config.json")
INSTALL_HINT = "install the local extra: pip install 'mobile-agent[local]'"
BATCH = 64


@dataclass(frozen=True)
class _Candidate:
    """An item that may be retrieved: its id, the text embedded and its success count."""

    kind: str  # "tip" or "shortcut"
    id: int
    text: str
    successes: int

    @property
    def digest(self) -> str:
        return text_digest(self.text)


class EmbeddingRetriever:
    """Ranks items by cosine similarity of their embedding to the task's (a local
    sentence-transformers model; same limits and status rules as `FtsRetriever`)."""

    def __init__(
        self,
        store: Store,
        model_path: str | Path,
        *,
        tips: int | None = None,
        shortcuts: int | None = None,
        use_proposed: bool | None = None,
        min_score: float = 0.2,
        model_name: str | None = None,
    ) -> None:
        self.store = store
        self.tips, self.shortcuts, self.statuses = limits(store, tips, shortcuts, use_proposed)
        self.min_score = min_score
        path = Path(model_path).expanduser()
        self.model_name = model_name or str(path.resolve())
        self.encoder = load_model(path)
        self._vectors: dict[tuple[str, int], tuple[str, np.ndarray]] = {}
        self._loaded = False

    def retrieve(self, task: str, *, app: str = "") -> Retrieved:
        """The tips (general ones, or scoped to `app` when given) and shortcuts most similar to
        `task`, best first; none below `min_score`."""
        if not task.strip() or (self.tips <= 0 and self.shortcuts <= 0):
            return Retrieved()
        tips = self._tip_candidates(app) if self.tips > 0 else []
        shortcuts = self._shortcut_candidates() if self.shortcuts > 0 else []
        if not tips and not shortcuts:
            return Retrieved()
        self._refresh([*tips, *shortcuts])
        query = self.embed([task])[0]
        best_tips = self._best(query, tips, self.tips)
        best_shortcuts = self._best(query, shortcuts, self.shortcuts)
        return Retrieved(self._tips(best_tips), self._shortcuts(best_shortcuts))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 embeddings of `texts`, one row each."""
        vectors = self.encoder.encode(
            list(texts),
            batch_size=BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def refresh(self) -> int:
        """Embed every retrievable item not yet cached for this model (or changed since);
        returns how many were embedded."""
        return self._refresh([*self._tip_candidates(""), *self._shortcut_candidates()])

    # -- candidates --------------------------------------------------------------------------

    def _marks(self) -> str:
        return ", ".join("?" * len(self.statuses))

    def _tip_candidates(self, app: str) -> list[_Candidate]:
        rows = self.store.query(
            f"SELECT id, text, successes FROM tips WHERE status IN ({self._marks()}) "
            "AND (? = '' OR app = '' OR app = ?)",
            [*map(str, self.statuses), app, app],
        )
        return [_Candidate("tip", r["id"], r["text"], r["successes"]) for r in rows]

    def _shortcut_candidates(self) -> list[_Candidate]:
        rows = self.store.query(
            "SELECT id, name, description, precondition, successes FROM shortcuts "
            f"WHERE status IN ({self._marks()})",
            [*map(str, self.statuses)],
        )
        return [_Candidate("shortcut", r["id"], shortcut_text(r), r["successes"]) for r in rows]

    # -- the cache ---------------------------------------------------------------------------

    def _refresh(self, candidates: list[_Candidate]) -> int:
        """Make sure every candidate has its current embedding in memory and in the store."""
        if not self._loaded:
            self._load_cache()
        stale = [c for c in candidates if self._cached(c) is None]
        if not stale:
            return 0
        vectors = self.embed([c.text for c in stale])
        rows = []
        for candidate, vector in zip(stale, vectors, strict=True):
            self._vectors[(candidate.kind, candidate.id)] = (candidate.digest, vector)
            rows.append(self._row(candidate, vector))
        with self.store.write() as db:
            db.table("embeddings").insert_all(rows, replace=True)
        log.debug("embedded %d items with %s", len(stale), self.model_name)
        return len(stale)

    def _cached(self, candidate: _Candidate) -> np.ndarray | None:
        found = self._vectors.get((candidate.kind, candidate.id))
        if found is None or found[0] != candidate.digest:
            return None
        return found[1]

    def _load_cache(self) -> None:
        rows = self.store.query(
            "SELECT kind, item_id, digest, dim, vector FROM embeddings WHERE model = ?",
            [self.model_name],
        )
        dim = _dimension(self.encoder)
        for row in rows:
            if row["dim"] == dim:
                vector = np.frombuffer(row["vector"], dtype="<f4")
                self._vectors[(row["kind"], row["item_id"])] = (row["digest"], vector)
        self._loaded = True

    def _row(self, candidate: _Candidate, vector: np.ndarray) -> dict[str, Any]:
        return {
            "kind": candidate.kind,
            "item_id": candidate.id,
            "model": self.model_name,
            "digest": candidate.digest,
            "dim": int(vector.shape[0]),
            "vector": vector.astype("<f4").tobytes(),
            "created_at": now_iso(),
        }

    # -- ranking -----------------------------------------------------------------------------

    def _best(self, query: np.ndarray, candidates: list[_Candidate], limit: int) -> list[int]:
        """The ids of the `limit` candidates most similar to `query` (ties: more successes)."""
        if not candidates or limit <= 0:
            return []
        matrix = np.stack([self._vector(c) for c in candidates])
        scores = matrix @ query
        order = sorted(
            range(len(candidates)), key=lambda i: (-float(scores[i]), -candidates[i].successes)
        )
        return [candidates[i].id for i in order[:limit] if scores[i] >= self.min_score]

    def _vector(self, candidate: _Candidate) -> np.ndarray:
        vector = self._cached(candidate)
        if vector is None:  # refreshed just before: only a concurrent edit gets here
            vector = self.embed([candidate.text])[0]
        return vector

    def _tips(self, ids: list[int]) -> tuple[Tip, ...]:
        rows = {r["id"]: r for r in self._rows("tips", ids)}
        return tuple(tip_from_row(rows[i]) for i in ids if i in rows)

    def _shortcuts(self, ids: list[int]) -> tuple[StoredShortcut, ...]:
        rows = {r["id"]: r for r in self._rows("shortcuts", ids)}
        return tuple(shortcut_from_row(rows[i]) for i in ids if i in rows)

    def _rows(self, table: str, ids: list[int]) -> list[dict[str, Any]]:
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        return self.store.query(f"SELECT * FROM {table} WHERE id IN ({marks})", ids)


def _dimension(encoder: Any) -> int:
    """The length of the model's embeddings (the method was renamed in sentence-transformers 6)."""
    method = getattr(encoder, "get_embedding_dimension", None)
    if method is None:
        method = encoder.get_sentence_embedding_dimension
    return int(method())


def shortcut_text(row: dict[str, Any]) -> str:
    """What a shortcut is embedded by: its name (words), description and precondition."""
    parts = [str(row["name"]).replace("_", " "), row["description"], row.get("precondition")]
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())


def text_digest(text: str) -> str:
    """A short digest of the text an item is embedded by (its cache version)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def load_model(path: Path) -> Any:
    """The sentence-transformers model in the directory `path`, loaded on the CPU without
    touching the network; `ConfigError` when it cannot be."""
    if not path.is_dir() or not any((path / name).is_file() for name in MODEL_FILES):
        raise ConfigError(
            f"{path} does not hold a sentence-transformers model "
            "(a directory with modules.json, as SentenceTransformer.save() writes it)"
        )
    with _offline():
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError(
                f"retrieval by embeddings needs sentence-transformers: {INSTALL_HINT}"
            ) from None
        try:
            return SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds for a bad directory
            raise ConfigError(f"cannot load the embedding model in {path}: {exc}") from None


@contextlib.contextmanager
def _offline() -> Iterator[None]:
    """`HF_HUB_OFFLINE=1` while a model loads: a local path must never become a download."""
    previous = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = previous
