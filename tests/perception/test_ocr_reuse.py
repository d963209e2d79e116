"""OCR reuse (only changed regions are read again, and what it returns equals a full read),
OCR text normalised before merging (variants, width, spaces), and text on large pictures."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from mobile_agent.perception import RapidOcrEngine
from mobile_agent.perception.elements import BoundingBox, Source, UIElement
from mobile_agent.perception.merge import merge_ocr, normalize
from mobile_agent.perception.ocr import OcrBox
from mobile_agent.perception.ocr_reuse import ReusingOcr, changed_regions, reusing
from mobile_agent.perception.render import render_elements
from virtual_phone.phone import Phone

TUNES = "com.example.tunes"


class Counting:
    """The real engine, with a record of the image sizes it was asked to read."""

    def __init__(self, engine: RapidOcrEngine) -> None:
        self.engine = engine
        self.name = engine.name
        self.sizes: list[tuple[int, int]] = []

    def recognize(self, png: bytes) -> list[OcrBox]:
        with Image.open(io.BytesIO(png)) as img:
            self.sizes.append(img.size)
        return self.engine.recognize(png)


@pytest.fixture(scope="module")
def engine() -> RapidOcrEngine:
    return RapidOcrEngine()


def _texts(boxes: list[OcrBox]) -> list[str]:
    return sorted(normalize(b.text) for b in boxes)


def _words(boxes: list[OcrBox]) -> list[str]:
    """Texts of three characters or more (a lone avatar letter is read or not by chance
    in any crop, whole screenshots included)."""
    return [t for t in _texts(boxes) if len(t) >= 3]


def test_unchanged_and_changed_regions(engine: RapidOcrEngine) -> None:
    phone = Phone(seed=0)
    phone.start_app(TUNES)
    counting = Counting(engine)
    reader = ReusingOcr(counting)
    first = reader.recognize(phone.screenshot_png())
    assert counting.sizes == [(1080, 2400)] and "bluetrain" in _texts(first)
    # GIVEN the same pixels again THEN nothing is read
    assert reader.recognize(phone.screenshot_png()) == first
    assert len(counting.sizes) == 1 and reader.stats.reused == 1
    # WHEN the replay button bumps the play count THEN only that line's region is read …
    phone.tap(147, 1203)
    png = phone.screenshot_png()
    after = reader.recognize(png)
    read = counting.sizes[1:]
    assert read and all(w * h < 0.1 * 1080 * 2400 for w, h in read), read
    assert reader.stats.partial == 1
    # … and the result is what reading the whole screenshot gives
    assert "plays1shuffleoff" in _texts(after)
    assert _words(after) == _words(engine.recognize(png))


def test_a_scrolled_list_and_another_size_are_read_again(engine: RapidOcrEngine) -> None:
    phone = Phone(seed=0)
    assert phone.start_app("com.example.contacts")
    counting = Counting(engine)
    reader = ReusingOcr(counting)
    top = reader.recognize(phone.screenshot_png())
    phone.swipe(540, 1800, 540, 900, 300)
    png = phone.screenshot_png()
    scrolled = reader.recognize(png)
    whole = engine.recognize(png)
    assert _words(scrolled) == _words(whole)  # nothing stale, nothing missed
    assert set(_words(top)) - set(_words(whole))  # names did scroll away
    small = io.BytesIO()
    Image.open(io.BytesIO(png)).resize((270, 600)).save(small, format="PNG")
    reader.recognize(small.getvalue())
    assert counting.sizes[-1] == (270, 600)  # another size: read whole
    reader.forget()
    reader.recognize(png)
    assert counting.sizes[-1] == (1080, 2400)


def test_shared_wrapper_per_engine(engine: RapidOcrEngine) -> None:
    wrapper = reusing(engine)
    assert reusing(engine) is wrapper and reusing(wrapper) is wrapper
    assert wrapper.name == "rapidocr"


def test_changed_regions_grow_over_the_lines_they_touch() -> None:
    before = np.zeros((400, 300, 3), dtype=np.uint8)
    after = before.copy()
    assert changed_regions(before, after) == []
    after[100:104, 200:204] = 255  # a digit at the end of a line changes
    line = OcrBox("Likes 3", BoundingBox(20, 90, 210, 120), 0.99)
    far = OcrBox("Title", BoundingBox(20, 300, 120, 330), 0.99)
    (region,) = changed_regions(before, after, [line, far])  # type: ignore[misc]
    assert region.x1 <= 20 and region.x2 >= 210  # the whole line, not just the digit
    assert region.y1 <= 90 and region.y2 >= 120 and region.y2 < 300  # not the far line
    after[96:98, 0:2] = 255  # a second change inside the grown region: still one region
    assert len(changed_regions(before, after, [line]) or []) == 1
    assert changed_regions(before, np.zeros((10, 10, 3), np.uint8)) is None


# -- normalisation and image text -------------------------------------------------------


def test_character_variants_width_and_spaces_do_not_duplicate_hierarchy_text() -> None:
    why = UIElement(id=1, bounds=BoundingBox(0, 0, 400, 80), text="為什麼")
    ok = UIElement(id=2, bounds=BoundingBox(0, 100, 200, 180), text="OK")
    boxes = [
        OcrBox("爲什麼", BoundingBox(10, 10, 390, 70), 0.95),  # a variant form
        OcrBox("ＯＫ", BoundingBox(10, 110, 190, 170), 0.95),  # full width
        OcrBox("Drawn   only\u3000text", BoundingBox(0, 300, 500, 360), 0.95),
    ]
    merged = merge_ocr([why, ok], boxes)
    assert [(e.text, e.source) for e in merged] == [
        ("為什麼", Source.HIERARCHY),
        ("OK", Source.HIERARCHY),
        ("Drawn only text", Source.OCR),
    ]
    assert normalize("裏") == normalize("裡") and normalize("A b") == normalize("ab")


def test_text_on_a_large_picture_is_image_text_not_a_control() -> None:
    poster = UIElement(
        id=1, bounds=BoundingBox(0, 200, 1080, 1400), class_name="android.widget.ImageView"
    )
    boxes = [
        OcrBox("SUMMER SALE", BoundingBox(100, 500, 900, 600), 0.95),
        OcrBox("Buy now", BoundingBox(100, 1600, 400, 1680), 0.95),
    ]
    merged = merge_ocr([poster], boxes, (1080, 2400))
    texts = {e.text: e for e in merged}
    assert texts["SUMMER SALE"].extras.get("image_text") is True
    assert not texts["SUMMER SALE"].clickable
    assert "image_text" not in texts["Buy now"].extras
    listing = render_elements(merged)
    assert '"SUMMER SALE"' in listing and "image text" in listing
    small = UIElement(
        id=1, bounds=BoundingBox(0, 200, 200, 400), class_name="android.widget.ImageView"
    )
    inside = [OcrBox("LOGO", BoundingBox(20, 250, 180, 300), 0.95)]
    assert "image_text" not in merge_ocr([small], inside, (1080, 2400))[-1].extras
