"""Set-of-marks images and the compact text the prompts carry."""

from __future__ import annotations

import io
import json

from PIL import Image

from mobile_agent.perception import (
    BoundingBox,
    Source,
    UIElement,
    draw_marks,
    elements_to_json,
    parse_hierarchy,
    render_elements,
)

from ._corpus import pair_screen, read_xml


def pixels(png: bytes) -> Image.Image:
    with Image.open(io.BytesIO(png)) as img:
        return img.convert("RGB")


def test_draw_marks_same_size_boxes_drawn_outside_untouched() -> None:
    screen = pair_screen("pair_react_native_otp_login_form")
    elements = parse_hierarchy(screen.hierarchy_xml)
    (button,) = [e for e in elements if e.text == "Get OTP"]
    marked = draw_marks(screen.png, [button])
    before, after = pixels(screen.png), pixels(marked)
    assert after.size == before.size
    assert before.tobytes() != after.tobytes()
    b = button.bounds
    assert after.getpixel((b.center[0], b.y1)) != before.getpixel((b.center[0], b.y1))  # frame
    far = (b.center[0], 2300)  # far from the box and its label
    assert after.getpixel(far) == before.getpixel(far)


def test_draw_marks_on_every_pair_and_tiny_screens() -> None:
    for stem in (
        "pair_tinyscreen_launcher_widget_picker_240x320",
        "pair_watch_round_466_profile_menu_compose",
        "pair_amap_navigation_chinese",
    ):
        screen = pair_screen(stem)
        elements = parse_hierarchy(screen.hierarchy_xml)
        marked = pixels(draw_marks(screen.png, elements))
        assert marked.size == (screen.width, screen.height)
        assert marked.tobytes() != pixels(screen.png).tobytes()


def test_draw_marks_with_no_elements_keeps_the_picture() -> None:
    screen = pair_screen("pair_watch_round_466_profile_menu_compose")
    assert pixels(draw_marks(screen.png, [])).tobytes() == pixels(screen.png).tobytes()


def box(y: int) -> BoundingBox:
    return BoundingBox(0, y, 100, y + 100)


def test_render_lines_flags_masking_and_truncation() -> None:
    elements = [
        UIElement(1, box(0), text="Wi-Fi", class_name="android.widget.Switch", clickable=True,
                  checkable=True),
        UIElement(2, box(100), text="hunter2", class_name="android.widget.EditText",
                  editable=True, password=True, focused=True),
        UIElement(3, box(200), description="New note", class_name="android.widget.ImageButton",
                  clickable=True),
        UIElement(4, box(300), text="x" * 300),
        UIElement(5, box(400), resource_id="com.app:id/menu_button", clickable=True,
                  enabled=False),
        UIElement(6, box(500), text="Total: $42", source=Source.OCR),
        UIElement(7, box(600), text='Say "hi"\nnow', description='Say "hi" now',
                  class_name="android.widget.TextView", scrollable=True, selected=True),
    ]  # fmt: skip
    lines = render_elements(elements, max_text=40).splitlines()
    assert lines == [
        '[1] Switch "Wi-Fi" (50,50) clickable unchecked',
        '[2] EditText "•••••••" (50,150) editable focused password',
        '[3] ImageButton desc="New note" (50,250) clickable',
        '[4] View "' + "x" * 39 + '…" (50,350)',
        "[5] View id=menu_button (50,450) clickable disabled",
        '[6] Text "Total: $42" (50,550) ocr',
        "[7] TextView \"Say 'hi' now\" (50,650) scrollable selected",
    ]


def test_render_hint_and_other_windows_on_real_dumps() -> None:
    form = render_elements(parse_hierarchy(read_xml("pair_react_native_otp_login_form.xml")))
    assert 'EditText hint="Enter Your Number"' in form
    assert 'ViewGroup "Get OTP" desc="Send OTP"' in form
    keyboard = render_elements(
        parse_hierarchy(read_xml("shop_avito_search_keyboard_open_cyrillic.xml"))
    )
    lines = keyboard.splitlines()
    space = next(line for line in lines if 'desc="Space"' in line)
    assert space.endswith("app=com.google.android.inputmethod.latin")
    field = next(line for line in lines if '"littlest pet shop"' in line and "editable" in line)
    assert "app=" not in field  # the main app is not named on every line
    robot = render_elements(
        parse_hierarchy(read_xml("webview_hybrid_robot_vacuum_app_german_statusbar.xml"))
    )
    assert 'Button "Bathroom"' in robot and "\ue68c" not in robot  # icon glyphs dropped


def test_elements_to_json_round_trips_through_json() -> None:
    elements = parse_hierarchy(read_xml("bank_pin_entry_thai_empty_class.xml"))
    items = json.loads(json.dumps(elements_to_json(elements), ensure_ascii=False))
    assert len(items) == len(elements)
    one = next(i for i in items if i["text"] == "1")
    assert one["clickable"] is True and one["source"] == "hierarchy"
    assert one["class"] == "android.widget.LinearLayout" and len(one["bounds"]) == 4
    assert {"id", "description", "resource_id", "editable", "scrollable"} <= set(one)
