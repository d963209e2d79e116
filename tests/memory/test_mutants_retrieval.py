"""What retrieval hands the prompts, limits of one item, the words a search uses, and the
errors that say which retrieval setting is wrong."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from mobile_agent.errors import ConfigError
from mobile_agent.memory import FtsRetriever, Status, Store, fts_query
from mobile_agent.memory.models import Tip
from mobile_agent.memory.retrieval import Retrieved, make_retriever

from .conftest import note_spec


def test_tips_are_one_a_line_and_only_scoped_ones_name_their_app() -> None:
    found = Retrieved(
        tips=(Tip(text="Long-press a note to pin it"), Tip(text="Save first", app="com.x.notes"))
    )
    assert found.tips_text() == "- Long-press a note to pin it\n- Save first (in com.x.notes)"
    assert Retrieved().tips_text() == ""


def test_embeddings_without_a_model_say_what_to_set(store: Store) -> None:
    with pytest.raises(ConfigError) as caught:
        make_retriever(store, SimpleNamespace(memory_retrieval="embeddings"))
    assert str(caught.value) == (
        "memory_retrieval is 'embeddings' but memory_embedding_model names no model "
        "(the directory of a sentence-transformers model)"
    )


def test_the_embedding_model_is_looked_for_where_the_setting_says(
    store: Store, tmp_path: Path
) -> None:
    settings = SimpleNamespace(memory_retrieval="embeddings", memory_embedding_model=str(tmp_path))
    with pytest.raises(ConfigError, match=r"does not hold") as caught:
        make_retriever(store, settings)
    assert str(caught.value).startswith(f"{tmp_path} does not hold")


def test_choosing_by_model_without_one_says_so(store: Store) -> None:
    with pytest.raises(ConfigError) as caught:
        make_retriever(store, SimpleNamespace(memory_retrieval="model"))
    assert str(caught.value) == "memory_retrieval is 'model' but no model was given to choose"


def test_a_limit_of_one_gives_the_one_best_item(store: Store) -> None:
    store.tips.add("Save a note before leaving", status=Status.APPROVED)
    store.tips.add("A note can be pinned", status=Status.APPROVED)
    store.shortcuts.add(note_spec(), status=Status.APPROVED)
    found = FtsRetriever(store, tips=1, shortcuts=1).retrieve("save a note")
    assert [t.text for t in found.tips] == ["Save a note before leaving"]
    assert found.shortcut_names == ("new_note",)


def test_one_letter_words_are_not_searched_for() -> None:
    assert fts_query("x y note 2") == '"note"'
