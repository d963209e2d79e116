"""Real UI dumps from phones (see SOURCES.md in the corpus folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "hierarchies"


def corpus_files(pattern: str = "*.xml") -> list[Path]:
    return sorted(CORPUS.glob(pattern)) if CORPUS.is_dir() else []


def corpus_xml(name: str) -> str:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available (expected in ../shared/corpus/hierarchies)")
    return path.read_text(encoding="utf-8")
