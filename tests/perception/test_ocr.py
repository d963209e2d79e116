"""OCR with the PP-OCR models bundled in the rapidocr wheel, on real screenshots, and its
merging with the hierarchy of the same screen."""

from __future__ import annotations

import importlib.util
import socket
from typing import Any

import pytest

from mobile_agent.errors import ConfigError
from mobile_agent.perception import (
    BoundingBox,
    OcrBox,
    RapidOcrEngine,
    Source,
    UIElement,
    get_ocr_engine,
    merge_ocr,
    parse_hierarchy,
    perceive,
)

from ._corpus import pair_screen, read_png

# Strings that are really visible on each screenshot (checked by eye).
VISIBLE = {
    "pair_react_native_otp_login_form": ["Enter Your Number", "Get OTP", "Version 1.0.0"],
    "pair_amap_navigation_chinese": ["歌连臣街", "退出", "设置", "高德地图"],
    "pair_music_player_overlay_occluded_home_compose": ["NOW PLAYING", "Sony Music India"],
    "pair_tinyscreen_launcher_widget_picker_240x320": ["选择组件类型", "内存信息", "返回"],
    "pair_watch_round_466_profile_menu_compose": ["我的收藏", "稍后再看"],
}


@pytest.fixture(scope="module")
def engine() -> RapidOcrEngine:
    return RapidOcrEngine()


@pytest.mark.parametrize("stem", sorted(VISIBLE))
def test_ocr_reads_visible_strings(engine: RapidOcrEngine, stem: str) -> None:
    screen = pair_screen(stem)
    boxes = engine.recognize(screen.png)
    texts = [b.text for b in boxes]
    for expected in VISIBLE[stem]:
        assert any(expected in t for t in texts), f"{expected!r} not read: {texts}"
    for b in boxes:
        assert 0 <= b.bounds.x1 < b.bounds.x2 <= screen.width
        assert 0 <= b.bounds.y1 < b.bounds.y2 <= screen.height
        assert 0.5 <= b.score <= 1.0


def test_ocr_boxes_sit_where_the_hierarchy_puts_the_same_text(engine: RapidOcrEngine) -> None:
    screen = pair_screen("pair_react_native_otp_login_form")
    (button,) = [e for e in parse_hierarchy(screen.hierarchy_xml) if e.text == "Get OTP"]
    (box,) = [b for b in engine.recognize(screen.png) if b.text == "Get OTP"]
    assert button.bounds.contains_point(*box.bounds.center)


@pytest.mark.parametrize("stem", sorted(VISIBLE))
def test_merge_adds_no_duplicates_of_hierarchy_text(engine: RapidOcrEngine, stem: str) -> None:
    screen = pair_screen(stem)
    elements = parse_hierarchy(screen.hierarchy_xml, screen_size=(screen.width, screen.height))
    merged = merge_ocr(elements, engine.recognize(screen.png))
    from_hierarchy = [e for e in merged if e.source is Source.HIERARCHY]
    assert len(from_hierarchy) == len(elements)
    assert [e.id for e in merged] == list(range(1, len(merged) + 1))
    for added in (e for e in merged if e.source is Source.OCR):
        said = added.text.casefold()
        for el in elements:
            if el.bounds.intersection(added.bounds):
                assert said not in el.text.casefold(), (added, el)
                assert said not in el.description.casefold(), (added, el)


def test_merge_keeps_text_only_the_pixels_hold(engine: RapidOcrEngine) -> None:
    form = pair_screen("pair_react_native_otp_login_form")
    merged = merge_ocr(parse_hierarchy(form.hierarchy_xml), engine.recognize(form.png))
    assert "MAP" in [e.text for e in merged if e.source is Source.OCR]  # the logo's lettering
    nav = pair_screen("pair_amap_navigation_chinese")
    merged = merge_ocr(parse_hierarchy(nav.hierarchy_xml), engine.recognize(nav.png))
    ocr_texts = [e.text for e in merged if e.source is Source.OCR]
    assert "高德地图" in ocr_texts and "德辅道西" in ocr_texts  # drawn on the map
    assert "退出" not in ocr_texts  # a hierarchy TextView already says it


def test_perceive_auto_runs_ocr_only_where_the_hierarchy_lacks_text(
    engine: RapidOcrEngine,
) -> None:
    nav = pair_screen("pair_amap_navigation_chinese")  # the map is a bare TextureView
    auto = perceive(nav, ocr=engine)
    never = perceive(nav, ocr=engine, ocr_policy="never")
    assert auto.ocr_used and not never.ocr_used
    assert len(auto.elements) > len(never.elements)
    assert {"parse", "ocr", "merge"} <= set(auto.timings_ms)
    form = pair_screen("pair_react_native_otp_login_form")
    assert not perceive(form, ocr=engine).ocr_used
    assert perceive(form, ocr=engine, ocr_policy="always").ocr_used
    assert not perceive(nav, ocr=None, ocr_policy="always").ocr_used
    with pytest.raises(ConfigError):
        perceive(form, ocr=engine, ocr_policy="sometimes")


def test_perceive_survives_an_unreadable_screenshot(engine: RapidOcrEngine) -> None:
    nav = pair_screen("pair_amap_navigation_chinese")
    broken = type(nav)(
        png=b"\x89PNG broken", hierarchy_xml=nav.hierarchy_xml, width=1080, height=2400
    )
    result = perceive(broken, ocr=engine, ocr_policy="always")
    assert not result.ocr_used and result.elements == perceive(nav).elements


def test_results_are_cached_per_image(engine: RapidOcrEngine) -> None:
    png = read_png("pair_watch_round_466_profile_menu_compose.png")
    first = engine.recognize(png)
    model = engine._engine
    engine._engine = None  # a cached image must not need the model
    try:
        assert engine.recognize(png) == first
    finally:
        engine._engine = model


def test_models_load_from_the_wheel_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("OCR tried to use the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    fresh = RapidOcrEngine(threads=1)
    boxes = fresh.recognize(read_png("pair_tinyscreen_launcher_widget_picker_240x320.png"))
    assert any("返回" in b.text for b in boxes)


def test_get_ocr_engine_by_name() -> None:
    assert get_ocr_engine("none") is None
    shared = get_ocr_engine("rapidocr")
    assert isinstance(shared, RapidOcrEngine) and get_ocr_engine("rapidocr") is shared
    with pytest.raises(ConfigError, match="tesseract"):
        get_ocr_engine("tesseract")


@pytest.mark.skipif(
    importlib.util.find_spec("paddleocr") is not None, reason="paddleocr is installed here"
)
def test_paddleocr_missing_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="paddleocr is not installed"):
        get_ocr_engine("paddleocr")


def test_merge_rules_on_hand_made_boxes() -> None:
    save = UIElement(id=1, bounds=BoundingBox(0, 0, 400, 100), text="Save changes", clickable=True)
    now = UIElement(id=2, bounds=BoundingBox(0, 200, 200, 260), text="现在")
    enter = UIElement(id=3, bounds=BoundingBox(210, 200, 400, 260), text="进入")
    boxes = [
        OcrBox("Save chanqes", BoundingBox(20, 20, 380, 80), 0.9),  # misread, same label
        OcrBox("现在进入", BoundingBox(0, 200, 400, 260), 0.99),  # two elements in one line
        OcrBox("Total:", BoundingBox(0, 500, 120, 560), 0.95),  # drawn-only text …
        OcrBox("$42", BoundingBox(140, 502, 220, 560), 0.97),  # … continued on its line
        OcrBox("川", BoundingBox(800, 0, 1000, 56), 0.95),  # an icon read as a wide glyph
        OcrBox("faint", BoundingBox(0, 700, 100, 740), 0.55),  # not confident enough
        OcrBox("•", BoundingBox(0, 800, 20, 820), 0.99),  # no letters or digits
    ]
    merged = merge_ocr([save, now, enter], boxes)
    assert [(e.text, e.source) for e in merged] == [
        ("Save changes", Source.HIERARCHY),
        ("现在", Source.HIERARCHY),
        ("进入", Source.HIERARCHY),
        ("Total: $42", Source.OCR),
    ]
    assert merged[3].bounds.as_list() == [0, 500, 220, 560]
    assert merged[3].extras["score"] == 0.95
