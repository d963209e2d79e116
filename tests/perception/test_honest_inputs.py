"""Inputs that lie get a clear answer: a screenshot that does not fit the dump, dumps in
UTF-16 or with a BOM, a huge or very deep dump, XML that is not a UI dump."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from PIL import Image

from mobile_agent.cli import main
from mobile_agent.errors import ParseError
from mobile_agent.perception import analyse_hierarchy, load_hierarchy, parse_hierarchy
from mobile_agent.perception.inputs import NotAHierarchyDump, ScreenSizeMismatch, decode_dump
from mobile_agent.perception.xmltree import MAX_DEPTH, MAX_NODES

from ._corpus import pair_screen, read_xml

FORM = "pair_react_native_otp_login_form"  # 1080x2400
LAYOUT_XML = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<LinearLayout xmlns:android="http://schemas.android.com/apk/res/android"\n'
    '    android:layout_width="match_parent" android:orientation="vertical">\n'
    '  <TextView android:id="@+id/title" android:text="Hello" />\n'
    '  <Button android:text="OK" android:onClick="ok" />\n'
    "</LinearLayout>\n"
)
ROW = (
    '<node index="0" text="Item {i}" resource-id="a:id/title" class="android.widget.TextView" '
    'package="com.example" content-desc="" clickable="true" enabled="true" '
    'bounds="[0,{y}][1080,{y2}]" />'
)


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def test_a_screenshot_of_another_size_is_a_clear_error() -> None:
    xml = read_xml(f"{FORM}.xml")
    with pytest.raises(ScreenSizeMismatch, match=r"720x1280 .* 1080x2400"):
        analyse_hierarchy(xml, screen_size=(720, 1280))
    assert len(parse_hierarchy(xml, screen_size=(1080, 2400))) == len(parse_hierarchy(xml))


def test_a_scaled_screenshot_of_the_same_aspect_rescales_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    xml = read_xml(f"{FORM}.xml")
    full = parse_hierarchy(xml)
    with caplog.at_level(logging.WARNING):
        half = parse_hierarchy(xml, screen_size=(540, 1200))
    assert "bounds scaled by 0.500" in caplog.text
    assert [e.label for e in half] == [e.label for e in full]
    for big, small in zip(full, half, strict=True):
        assert abs(small.bounds.x1 - big.bounds.x1 / 2) <= 1
        assert abs(small.bounds.y2 - big.bounds.y2 / 2) <= 1


def test_inspect_names_the_mismatch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    screen = pair_screen(FORM)
    (tmp_path / "dump.xml").write_text(screen.hierarchy_xml, encoding="utf-8")
    (tmp_path / "small.png").write_bytes(png(720, 1000))
    args = ["inspect", "--xml", str(tmp_path / "dump.xml"), "--ocr", "none"]
    assert main([*args, "--image", str(tmp_path / "small.png")]) == 1
    assert "do not show the same screen" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_dumps_decode(
    encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xml = read_xml("launcher_samsung_oneui_home_hebrew_rtl.xml").replace("UTF-8", "UTF-16")
    data = xml.encode(encoding)
    assert decode_dump(data).lstrip("\ufeff") == xml.lstrip("\ufeff")
    assert parse_hierarchy(data) == parse_hierarchy(xml)
    path = tmp_path / "dump.xml"
    path.write_bytes(data)
    assert main(["inspect", "--xml", str(path), "--json"]) == 0
    assert "ניהול נכסים להשכרה" in capsys.readouterr().out


def test_a_50_mb_dump_is_read_up_to_the_limit_and_says_so(tmp_path: Path) -> None:
    rows = (ROW.format(i=i, y=i % 2300, y2=i % 2300 + 60) for i in range(270_000))
    head = '<?xml version="1.0"?><hierarchy rotation="0"><node class="android.widget.FrameLayout"'
    path = tmp_path / "huge.xml"
    with path.open("w", encoding="utf-8") as out:
        out.write(f'{head} bounds="[0,0][1080,2400]">')
        out.writelines(rows)
        out.write("</node></hierarchy>")
    assert path.stat().st_size > 50_000_000
    raw = load_hierarchy(path.read_bytes())
    assert raw.count == MAX_NODES, "the parse stops at the limit"
    assert raw.truncated == f"the dump holds more than {MAX_NODES:,} nodes; read up to there"
    assert raw.windows[0].children[-1].get("text") == f"Item {MAX_NODES - 2}"


def test_a_20000_deep_dump_reports_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    depth = 20_000
    inner = '<node text="deepest" clickable="true" bounds="[0,0][100,100]"/>'
    wrap = '<node class="android.widget.FrameLayout" bounds="[0,0][1080,2400]">'
    xml = f"<hierarchy>{wrap * depth}{inner}{'</node>' * depth}</hierarchy>"
    analysis = analyse_hierarchy(xml)  # no RecursionError
    assert analysis.node_count == MAX_DEPTH + 1
    left_out = depth + 1 - (MAX_DEPTH + 1)
    assert analysis.truncated == f"{left_out:,} nodes deeper than {MAX_DEPTH} levels were left out"
    path = tmp_path / "deep.xml"
    path.write_text(xml, encoding="utf-8")
    assert main(["inspect", "--xml", str(path)]) == 0
    assert f"dump truncated: {left_out:,} nodes deeper" in capsys.readouterr().err


def test_a_layout_xml_is_not_a_ui_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(NotAHierarchyDump, match=r"not a UI hierarchy dump.*<LinearLayout>"):
        load_hierarchy(LAYOUT_XML)
    assert issubclass(NotAHierarchyDump, ParseError)
    path = tmp_path / "activity_main.xml"
    path.write_text(LAYOUT_XML, encoding="utf-8")
    assert main(["inspect", "--xml", str(path)]) == 1
    assert "not a UI hierarchy dump" in capsys.readouterr().err
    empty = load_hierarchy('<hierarchy rotation="0"/>')  # an empty dump is still a dump
    assert empty.windows == [] and empty.truncated == ""
