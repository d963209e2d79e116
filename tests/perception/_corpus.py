"""Access to the real UI dumps and screenshots in ../shared/corpus/hierarchies (see SOURCES.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from mobile_agent.perception.artifacts import Screen

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "hierarchies"
MISSING = f"the corpus of real dumps is not available at {CORPUS}"


def corpus_files(pattern: str = "*.xml") -> list[Path]:
    """Corpus files matching `pattern` (empty when the corpus is absent)."""
    return sorted(CORPUS.glob(pattern)) if CORPUS.is_dir() else []


def read_xml(name: str) -> str:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(MISSING)
    return path.read_text(encoding="utf-8")


def read_png(name: str) -> bytes:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(MISSING)
    return path.read_bytes()


def pair_screen(stem: str) -> Screen:
    """The Screen of a `pair_*` dump: its screenshot and hierarchy."""
    png = read_png(f"{stem}.png")
    with Image.open(io.BytesIO(png)) as img:
        width, height = img.size
    return Screen(png=png, hierarchy_xml=read_xml(f"{stem}.xml"), width=width, height=height)
