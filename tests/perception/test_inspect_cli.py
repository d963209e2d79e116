"""`mobile-agent inspect` on saved dumps and screenshots."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from mobile_agent.cli import main

from ._corpus import CORPUS, MISSING

FORM = CORPUS / "pair_react_native_otp_login_form"


@pytest.fixture(autouse=True)
def _corpus_present() -> None:
    if not CORPUS.is_dir():
        pytest.skip(MISSING)


def test_json_lists_elements_with_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--xml", str(FORM.with_suffix(".xml")), "--json", "--ocr", "none"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in items] == list(range(1, len(items) + 1))
    field = next(i for i in items if i["editable"])
    assert {
        "id", "bounds", "text", "description", "resource_id", "class",
        "clickable", "editable", "scrollable", "source",
    } <= set(field)  # fmt: skip
    assert field["class"] == "android.widget.EditText"
    assert field["resource_id"] == "phone-input" and len(field["bounds"]) == 4


def test_text_output_and_marks_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marks = tmp_path / "marks.png"
    code = main(
        [
            "inspect", "--xml", str(FORM.with_suffix(".xml")),
            "--image", str(FORM.with_suffix(".png")), "--marks", str(marks),
        ]
    )  # fmt: skip
    assert code == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert all(line.startswith(f"[{i}] ") for i, line in enumerate(lines, start=1))
    assert any('"Get OTP"' in line for line in lines)
    assert str(marks) in captured.err and f"{len(lines)} elements" in captured.err
    with Image.open(marks) as img:
        assert img.size == (1080, 2400)
    assert marks.read_bytes() != FORM.with_suffix(".png").read_bytes()


def test_ocr_always_adds_text_from_pixels(capsys: pytest.CaptureFixture[str]) -> None:
    nav = CORPUS / "pair_amap_navigation_chinese"
    args = [
        "inspect",
        "--xml",
        str(nav.with_suffix(".xml")),
        "--image",
        str(nav.with_suffix(".png")),
    ]
    assert main([*args, "--json", "--ocr-policy", "always"]) == 0
    sources = {i["source"] for i in json.loads(capsys.readouterr().out)}
    assert sources == {"hierarchy", "ocr"}
    assert main([*args, "--json", "--ocr", "none"]) == 0
    assert {i["source"] for i in json.loads(capsys.readouterr().out)} == {"hierarchy"}


def test_a_jpeg_screenshot_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jpeg = tmp_path / "shot.jpg"
    with Image.open(FORM.with_suffix(".png")) as img:
        img.convert("RGB").save(jpeg, format="JPEG")
    marks = tmp_path / "marks.png"
    args = ["inspect", "--xml", str(FORM.with_suffix(".xml")), "--image", str(jpeg)]
    assert main([*args, "--ocr", "none", "--marks", str(marks)]) == 0
    assert Image.open(io.BytesIO(marks.read_bytes())).format == "PNG"
    capsys.readouterr()


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--xml", str(tmp_path / "nope.xml")]) == 1
    err = capsys.readouterr().err
    assert "cannot read hierarchy" in err and "nope.xml" in err


def test_unreadable_image_and_broken_xml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_png = tmp_path / "shot.png"
    not_png.write_text("plain text")
    assert main(["inspect", "--xml", str(FORM.with_suffix(".xml")), "--image", str(not_png)]) == 1
    assert "cannot read image" in capsys.readouterr().err
    broken = tmp_path / "dump.xml"
    broken.write_text("<hierarchy><node text='cut off")
    assert main(["inspect", "--xml", str(broken)]) == 1
    assert "not well-formed" in capsys.readouterr().err


def test_marks_need_an_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "never.png"
    assert main(["inspect", "--xml", str(FORM.with_suffix(".xml")), "--marks", str(out)]) == 1
    assert "--image" in capsys.readouterr().err and not out.exists()
