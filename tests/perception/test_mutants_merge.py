"""Merging OCR with the hierarchy where boxes overlap only in part."""

from __future__ import annotations

from mobile_agent.perception import BoundingBox, OcrBox, Source, UIElement, merge_ocr


def _label(text: str, bounds: BoundingBox) -> UIElement:
    return UIElement(id=1, bounds=bounds, text=text, package="com.example.notes")


def _ocr_texts(merged: list[UIElement]) -> list[str]:
    return [e.text for e in merged if e.source is Source.OCR]


def test_an_ocr_box_overlapping_its_element_by_half_is_a_duplicate() -> None:
    save = _label("Save", BoundingBox(0, 0, 400, 100))
    shifted = OcrBox("Save", BoundingBox(200, 0, 600, 100), 0.95)  # half of it on the element
    assert _ocr_texts(merge_ocr([save], [shifted])) == []


def test_the_same_text_barely_touching_the_element_is_new_text() -> None:
    save = _label("Save", BoundingBox(0, 0, 400, 100))
    elsewhere = OcrBox("Save", BoundingBox(380, 0, 780, 100), 0.95)  # a twentieth overlaps
    merged = merge_ocr([save], [elsewhere])
    assert _ocr_texts(merged) == ["Save"]
    assert merged[-1].bounds == BoundingBox(380, 0, 780, 100)


def test_small_text_inside_a_large_element_is_compared_with_it() -> None:
    """The overlap is measured against the smaller of the two boxes."""
    row = _label("Inbox", BoundingBox(0, 0, 1080, 400))
    inside = OcrBox("Inbox", BoundingBox(20, 20, 140, 60), 0.95)
    assert _ocr_texts(merge_ocr([row], [inside])) == []


def test_new_text_takes_the_package_of_the_smallest_element_holding_it() -> None:
    screen = UIElement(id=1, bounds=BoundingBox(0, 0, 1080, 2400), package="com.android.systemui")
    card = UIElement(id=2, bounds=BoundingBox(0, 1000, 1080, 1400), package="com.example.notes")
    merged = merge_ocr([screen, card], [OcrBox("Total 42", BoundingBox(40, 1100, 400, 1160), 0.9)])
    added = [e for e in merged if e.source is Source.OCR]
    assert [(e.text, e.package) for e in added] == [("Total 42", "com.example.notes")]
    assert added[0].extras == {"score": 0.9}
    assert [e.id for e in merged] == list(range(1, len(merged) + 1))
