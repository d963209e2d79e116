"""The README's "From Python" example runs as written, on the virtual phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.e2e


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "the From Python section has no Python example"
    return found.group(1)


def test_the_from_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(_example(), str(README), "exec"), {"__name__": "readme_example"})
    out = capsys.readouterr().out
    assert re.search(r'^\[\d+\] TextView "Notes" \(\d+,\d+\) clickable', out, re.M)
    assert 'held: tap "Delete contact"' in out
    assert out.rstrip().endswith("succeeded")
    assert (tmp_path / "home.png").read_bytes().startswith(b"\x89PNG")
