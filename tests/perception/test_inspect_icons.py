"""`mobile-agent inspect --icons` on a saved screen drawn without a hierarchy (Tunes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mobile_agent.cli import main
from virtual_phone.phone import Phone


@pytest.fixture(scope="module")
def tunes_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    phone = Phone(seed=0)
    assert phone.start_app("com.example.tunes")
    folder = tmp_path_factory.mktemp("tunes")
    xml, png = folder / "tunes.xml", folder / "tunes.png"
    xml.write_text(phone.hierarchy_xml(), encoding="utf-8")
    png.write_bytes(phone.screenshot_png())
    return xml, png


def _icons(capsys: pytest.CaptureFixture[str], *extra: str, files: tuple[Path, Path]) -> list:
    xml, png = files
    assert main(["inspect", "--xml", str(xml), "--image", str(png), "--json", *extra]) == 0
    return [e for e in json.loads(capsys.readouterr().out) if e["source"] == "icon"]


def test_icons_are_listed_only_when_asked(
    tunes_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _icons(capsys, files=tunes_files) == []
    found = _icons(capsys, "--icons", "always", files=tunes_files)
    assert len(found) == 5  # replay, like, add, remove, settings: pixels only
    assert all(e["clickable"] for e in found)
    rows = sorted(e["bounds"][1] for e in found)
    assert rows[-1] - rows[0] < 40  # one row of buttons


def test_a_captioner_inspect_cannot_have_is_refused(
    tunes_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    xml, png = tunes_files
    for captioner, said in (("model", "no model"), ("wizard", "unknown icon captioner")):
        args = ["inspect", "--xml", str(xml), "--image", str(png), "--icons", "always"]
        assert main([*args, "--captioner", captioner]) != 0
        assert said in capsys.readouterr().err
