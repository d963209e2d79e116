"""OCR on real screenshots, merging with the hierarchy, set-of-marks and text rendering."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from mobile_agent.cli import main
from mobile_agent.device.base import Screen
from mobile_agent.errors import ConfigError
from mobile_agent.perception import (
    BoundingBox,
    OcrBox,
    RapidOcrEngine,
    Source,
    UIElement,
    draw_marks,
    get_ocr_engine,
    merge_ocr,
    parse_hierarchy,
    perceive,
    render_elements,
)
from tests.perception.conftest import CORPUS, corpus_xml


def corpus_png(name: str) -> bytes:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    return path.read_bytes()


@pytest.fixture(scope="module")
def engine() -> RapidOcrEngine:
    return RapidOcrEngine()


def test_ocr_reads_visible_strings_of_a_real_screenshot(engine: RapidOcrEngine) -> None:
    boxes = engine.recognize(corpus_png("pair_react_native_otp_login_form.png"))
    texts = " | ".join(b.text for b in boxes)
    for expected in ("Enter Your Number", "Get OTP", "Version 1.0.0"):
        assert expected in texts
    for b in boxes:
        assert 0 <= b.bounds.x1 < b.bounds.x2 <= 1080 and 0 <= b.bounds.y1 < b.bounds.y2 <= 2400


def test_ocr_results_are_cached_per_image() -> None:
    png = corpus_png("pair_tinyscreen_launcher_widget_picker_240x320.png")
    engine = RapidOcrEngine()
    first = engine.recognize(png)
    assert first
    engine._engine = None  # a cache hit must not need the model
    engine._load = lambda: pytest.fail("model reloaded for a cached image")  # type: ignore[method-assign]
    assert engine.recognize(png) == first


def test_merge_adds_only_text_the_hierarchy_lacks(engine: RapidOcrEngine) -> None:
    png = corpus_png("pair_react_native_otp_login_form.png")
    elements = parse_hierarchy(corpus_xml("pair_react_native_otp_login_form.xml"))
    merged = merge_ocr(elements, RapidOcrEngine().recognize(png))
    ocr_only = [e for e in merged if e.source is Source.OCR]
    assert any("MAP" in e.text for e in ocr_only), "the logo text exists only in pixels"
    hierarchy_texts = {e.text for e in elements}
    assert not [e for e in ocr_only if e.text in hierarchy_texts], "no duplicates of hierarchy text"
    assert [e.id for e in merged] == list(range(1, len(merged) + 1))


def test_merge_fuzzy_duplicate_and_new_text() -> None:
    button = UIElement(
        id=1, bounds=BoundingBox(0, 0, 400, 100), text="Save changes", clickable=True
    )
    boxes = [
        OcrBox("Save chanqes", BoundingBox(20, 20, 380, 80), 0.9),  # OCR typo of the same label
        OcrBox("Total: $42", BoundingBox(0, 500, 300, 560), 0.95),  # drawn-only text
    ]
    merged = merge_ocr([button], boxes)
    assert [e.text for e in merged] == ["Save changes", "Total: $42"]
    assert merged[1].source is Source.OCR


def test_perceive_auto_runs_ocr_for_webview_screens(engine: RapidOcrEngine) -> None:
    png = corpus_png("pair_amap_navigation_chinese.png")
    xml = corpus_xml("pair_amap_navigation_chinese.xml")
    with Image.open(io.BytesIO(png)) as img:
        width, height = img.size
    screen = Screen(png=png, hierarchy_xml=xml, width=width, height=height)
    never = perceive(screen, ocr=engine, ocr_policy="never")
    always = perceive(screen, ocr=engine, ocr_policy="always")
    assert not never.ocr_used and always.ocr_used
    assert len(always.elements) > len(never.elements)
    assert "ocr" in always.timings_ms and "parse" in always.timings_ms
    with pytest.raises(ConfigError):
        perceive(screen, ocr=engine, ocr_policy="sometimes")


def test_draw_marks_keeps_size_and_changes_pixels() -> None:
    png = corpus_png("pair_tinyscreen_launcher_widget_picker_240x320.png")
    elements = parse_hierarchy(corpus_xml("pair_tinyscreen_launcher_widget_picker_240x320.xml"))
    marked = draw_marks(png, elements)
    before = Image.open(io.BytesIO(png)).convert("RGB")
    after = Image.open(io.BytesIO(marked)).convert("RGB")
    assert after.size == before.size
    assert before.tobytes() != after.tobytes()


def test_render_elements_lines_flags_and_masking() -> None:
    elements = [
        UIElement(
            id=1,
            bounds=BoundingBox(0, 0, 100, 100),
            text="Wi-Fi",
            class_name="android.widget.Switch",
            clickable=True,
            checkable=True,
            checked=False,
        ),
        UIElement(
            id=2,
            bounds=BoundingBox(0, 100, 100, 200),
            text="hunter2",
            class_name="android.widget.EditText",
            editable=True,
            password=True,
            focused=True,
        ),
        UIElement(
            id=3,
            bounds=BoundingBox(0, 200, 100, 300),
            description="New note",
            class_name="android.widget.ImageButton",
            clickable=True,
        ),
        UIElement(id=4, bounds=BoundingBox(0, 300, 100, 400), text="x" * 300),
    ]
    lines = render_elements(elements, max_text=40).splitlines()
    assert lines[0] == '[1] Switch "Wi-Fi" (50,50) clickable unchecked'
    assert "hunter2" not in lines[1] and "editable" in lines[1] and "focused" in lines[1]
    assert lines[2] == '[3] ImageButton desc="New note" (50,250) clickable'
    assert lines[3] == '[4] Text "' + "x" * 39 + '…" (50,350)'


def test_get_ocr_engine_names() -> None:
    assert get_ocr_engine("none") is None
    assert get_ocr_engine("rapidocr") is get_ocr_engine("rapidocr")
    with pytest.raises(ConfigError):
        get_ocr_engine("tesseract")


def test_inspect_cli_json_and_marks(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    xml = CORPUS / "pair_react_native_otp_login_form.xml"
    png = CORPUS / "pair_react_native_otp_login_form.png"
    if not xml.exists():
        pytest.skip("corpus not available")
    marks = tmp_path / "marks.png"
    assert (
        main(["inspect", "--xml", str(xml), "--image", str(png), "--json", "--marks", str(marks)])
        == 0
    )
    items = json.loads(capsys.readouterr().out)
    field = next(i for i in items if i["editable"])
    assert set(field) >= {
        "id",
        "bounds",
        "text",
        "description",
        "resource_id",
        "class",
        "clickable",
        "editable",
        "scrollable",
        "source",
    }
    assert field["class"] == "android.widget.EditText" and len(field["bounds"]) == 4
    assert Image.open(marks).size == (1080, 2400)


def test_inspect_cli_missing_file_is_a_clear_error(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["inspect", "--xml", str(tmp_path / "nope.xml")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_inspect_cli_marks_without_image_is_refused(capsys) -> None:  # type: ignore[no-untyped-def]
    xml = CORPUS / "dialog_anr_system_ui_not_responding.xml"
    if not xml.exists():
        pytest.skip("corpus not available")
    assert main(["inspect", "--xml", str(xml), "--marks", "/tmp/never-written.png"]) == 1
    assert "--image" in capsys.readouterr().err
