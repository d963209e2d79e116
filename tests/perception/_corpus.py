"""Access to the real UI dumps and screenshots of the corpus (see its SOURCES.md).

Where it is comes from `conftest` (``MOBILE_AGENT_CORPUS`` overrides the default
``../shared/corpus/hierarchies``). Parametrised tests take their cases from
`corpus_params`, which lists the corpus files from `corpus_files.txt`: without the corpus,
every case is still collected, and skipped.
"""

from __future__ import annotations

import fnmatch
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, CORPUS_MISSING
from PIL import Image

from mobile_agent.perception.artifacts import Screen

MISSING = CORPUS_MISSING
MANIFEST = Path(__file__).with_name("corpus_files.txt")

__all__ = ["CORPUS", "MISSING", "corpus_params", "manifest", "pair_screen", "read_png", "read_xml"]


def manifest() -> list[str]:
    """The names of the corpus files, as listed in `corpus_files.txt`."""
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def corpus_params(pattern: str = "*.xml") -> list[Any]:
    """One `pytest.param` per corpus file matching `pattern` (id: the file's stem); each
    is marked skipped when the corpus is absent."""
    if CORPUS.is_dir():
        paths = sorted(CORPUS.glob(pattern))
        marks: list[pytest.MarkDecorator] = []
    else:
        paths = [CORPUS / name for name in manifest() if fnmatch.fnmatch(name, pattern)]
        marks = [pytest.mark.skip(reason=MISSING)]
    return [pytest.param(path, id=path.stem, marks=marks) for path in paths]


def _path(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(MISSING if not CORPUS.is_dir() else f"{name} is missing from the corpus")
    return path


def read_xml(name: str) -> str:
    return _path(name).read_text(encoding="utf-8")


def read_png(name: str) -> bytes:
    return _path(name).read_bytes()


def pair_screen(stem: str) -> Screen:
    """The Screen of a `pair_*` dump: its screenshot and hierarchy."""
    png = read_png(f"{stem}.png")
    with Image.open(io.BytesIO(png)) as img:
        width, height = img.size
    return Screen(png=png, hierarchy_xml=read_xml(f"{stem}.xml"), width=width, height=height)
