"""`mobile-agent inspect --device`: what the agents see on the virtual phone, through the real
adb / uiautomator2 stack, and a clear error when no phone is attached."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from mobile_agent.cli import main

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

LAUNCHER = "com.android.launcher3"


def _inspect_json(serial: str, marks: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    code = main(["inspect", "--device", serial, "--json", "--marks", str(marks)])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_inspect_lists_the_launcher_icons_and_writes_marks(
    connected_phone: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    phone = connected_phone.phone
    assert phone.current()[0] == LAUNCHER
    marks = tmp_path / "m.png"

    elements = _inspect_json(connected_phone.serial, marks, capsys)

    assert isinstance(elements, list) and elements
    assert [el["id"] for el in elements] == list(range(1, len(elements) + 1))
    icons = {el["text"]: el for el in elements if el["package"] == LAUNCHER and el["clickable"]}
    apps = [p.label for p in phone.packages() if p.launcher]
    assert "Notes" in apps
    for label in apps:
        assert label in icons, f"no clickable launcher icon for {label!r}: {sorted(icons)}"
        x1, y1, x2, y2 = icons[label]["bounds"]
        assert 0 <= x1 < x2 <= 1080 and 0 <= y1 < y2 <= 2400, icons[label]
    notes = icons["Notes"]
    assert len(notes["bounds"]) == 4 and all(isinstance(v, int) for v in notes["bounds"])
    assert notes["enabled"] is True

    assert not marks.with_name("m.png.tmp").exists()
    data = marks.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as drawn:
        assert drawn.format == "PNG"
        assert drawn.size == (1080, 2400)
        plain = phone.screenshot().convert("RGB")
        # the numbered boxes are drawn over the screenshot, so the two differ
        assert ImageChops.difference(drawn.convert("RGB"), plain).getbbox() is not None


def test_inspect_text_output_numbers_the_same_elements(
    connected_phone: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", "--device", connected_phone.serial, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert main(["inspect", "--device", connected_phone.serial]) == 0
    rows = capsys.readouterr().out.splitlines()

    assert len(rows) == len(listed)
    notes = next(el for el in listed if el["text"] == "Notes" and el["clickable"])
    x1, y1, x2, y2 = notes["bounds"]
    centre = f"({(x1 + x2) // 2},{(y1 + y2) // 2})"
    row = rows[notes["id"] - 1]
    assert row.startswith(f"[{notes['id']}] ")
    assert '"Notes"' in row and centre in row and row.endswith("clickable")


@pytest.mark.parametrize("argv", [["inspect", "--device", ""], ["inspect", "--json"]])
def test_inspect_without_a_device_fails_with_a_clear_message(
    empty_adb_server: int, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err.startswith("error: No Android device is attached")
    assert "mobile-agent sim start" in captured.err
    assert "Traceback" not in captured.err
