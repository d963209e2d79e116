"""Merging OCR with the hierarchy where boxes overlap only in part."""

from __future__ import annotations

import pytest

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


def _kept(boxes: list[OcrBox], elements: list[UIElement] | None = None) -> list[str]:
    return _ocr_texts(merge_ocr(elements or [], boxes))


def _box(text: str, x1: int, y1: int, x2: int, y2: int, score: float = 0.9) -> OcrBox:
    return OcrBox(text, BoundingBox(x1, y1, x2, y2), score)


@pytest.mark.parametrize(
    ("box", "kept"),
    [
        (_box("Save", 0, 0, 80, 20, score=0.7), True),  # confident enough, just
        (_box("Save", 0, 0, 80, 20, score=0.69), False),
        (_box("ab", 0, 0, 44, 10), True),  # two glyphs no wider than 2.2 heights each
        (_box("ab", 0, 0, 45, 10), False),  # wider: an icon read as text
        (_box("a", 0, 0, 22, 10), True),
        (_box("a", 0, 0, 23, 10), False),
        (_box("abc", 0, 0, 1000, 10), True),  # three glyphs or more: any width
    ],
)
def test_which_ocr_text_is_plausible(box: OcrBox, kept: bool) -> None:
    assert _kept([box]) == ([box.text] if kept else [])


@pytest.mark.parametrize(
    ("right", "one_line"),
    [
        (_box("42", 58, 100, 98, 110), True),  # a gap of 0.8 heights
        (_box("42", 59, 100, 99, 110), False),
        (_box("42", 48, 100, 88, 110), True),  # overlapping by 0.2 heights
        (_box("42", 47, 100, 87, 110), False),
        (_box("42", 52, 100, 92, 115), True),  # 1.5 times as tall
        (_box("42", 52, 100, 92, 116), False),
        (_box("42", 52, 104, 92, 114), True),  # sharing 0.6 heights vertically
        (_box("42", 52, 105, 92, 115), False),
        (_box("42", 52, 112, 92, 122), False),  # below, not beside
        (_box("42", 52, 100, 62, 110), True),  # as wide as tall
        (_box("42", 52, 100, 61, 110), False),  # narrower: not a word on the line
    ],
)
def test_which_boxes_continue_a_text_line(right: OcrBox, one_line: bool) -> None:
    left = _box("Total", 0, 100, 50, 110)
    texts = _kept([left, right])
    assert texts == (["Total 42"] if one_line else ["Total", "42"])


def _near(text: str) -> UIElement:
    return _label(text, BoundingBox(0, 0, 400, 40))


@pytest.mark.parametrize(
    ("known", "read", "duplicate"),
    [
        ("Save changes", "Save", True),  # a fragment of the element's text
        ("123", "(1/2/3)", True),  # punctuation does not count
        ("abcdef", "abcdefghij", True),  # the element's text makes 0.6 of the OCR text
        ("abcde", "abcdefghij", False),  # less than that
        ("abcde", "abcdx", True),  # one letter misread in five: ratio 0.8
        ("abdf", "abcdef", True),  # ratio 0.8 without being a substring
        ("wxyz1234", "abcd5678", False),  # same length, nothing in common
    ],
)
def test_when_ocr_text_repeats_an_overlapping_element(
    known: str, read: str, duplicate: bool
) -> None:
    texts = _kept([_box(read, 10, 5, 390, 35)], [_near(known)])
    assert texts == ([] if duplicate else [read])


def test_a_long_paragraph_with_a_misread_letter_is_a_duplicate() -> None:
    """Over 200 characters, no letter is treated as noise by the fuzzy comparison."""
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"]
    paragraph = " ".join(words[(i * i + i // 3) % 8] for i in range(60))
    misread = paragraph.replace("gamma", "gamna", 1)
    assert _kept([_box(misread, 10, 5, 390, 35)], [_near(paragraph)]) == []


def test_ocr_text_made_of_several_elements_texts_is_a_duplicate() -> None:
    """The longest texts are taken out first (taking "cd" out first would leave "abefg");
    what is left must be under a fifth."""
    parts = [
        _label("abcdefg", BoundingBox(0, 0, 140, 40)),
        _label("cd", BoundingBox(40, 0, 80, 40)),
        _label("hijkl", BoundingBox(140, 0, 240, 40)),
    ]
    assert _kept([_box("abcdefghijkl", 0, 5, 240, 35)], parts) == []
    leftover = [
        _label("abcd", BoundingBox(0, 0, 80, 40)),
        _label("efgh", BoundingBox(80, 0, 160, 40)),
    ]
    assert _kept([_box("abcdefghij", 0, 5, 200, 35)], leftover) == []  # 2 of 10 left
    assert _kept([_box("abcdefghijk", 0, 5, 220, 35)], leftover) == ["abcdefghijk"]


def test_folded_text_is_compared_part_by_part() -> None:
    folded = _label("Unread mail | 3 new", BoundingBox(0, 0, 400, 40))
    assert _kept([_box("Unreed mail", 10, 5, 390, 35)], [folded]) == []  # one part, misread


def test_an_element_within_the_margin_of_the_ocr_box_is_near_it() -> None:
    """The box grows by a quarter of its height on every side (at least 2 px)."""
    for x1, near in ((104, True), (106, False)):
        tiny = _label("Save", BoundingBox(x1, 0, x1 + 2, 20))
        assert _kept([_box("Save", 0, 0, 100, 20)], [tiny]) == ([] if near else ["Save"])
    for y1, near in ((24, True), (26, False)):
        tiny = _label("Save", BoundingBox(0, y1, 100, y1 + 2))
        assert _kept([_box("Save", 0, 0, 100, 20)], [tiny]) == ([] if near else ["Save"])
    for x2, near in ((-4, True), (-6, False)):
        tiny = _label("Save", BoundingBox(x2 - 2, 0, x2, 20))
        assert _kept([_box("Save", 0, 0, 100, 20)], [tiny]) == ([] if near else ["Save"])
    for y2, near in ((-4, True), (-6, False)):
        tiny = _label("Save", BoundingBox(0, y2 - 2, 100, y2))
        assert _kept([_box("Save", 0, 0, 100, 20)], [tiny]) == ([] if near else ["Save"])


def test_the_margin_of_a_small_or_odd_sized_box() -> None:
    """At least 2 px; a quarter of the height rounded down."""
    small = _box("Save", 0, 0, 100, 8)
    assert _kept([small], [_label("Save", BoundingBox(101, 0, 103, 8))]) == []
    assert _kept([small], [_label("Save", BoundingBox(102, 0, 104, 8))]) == ["Save"]
    odd = _box("Save", 0, 0, 100, 22)  # a margin of 5, not 5.5
    assert _kept([odd], [_label("Save", BoundingBox(105, 0, 106, 22))]) == ["Save"]


def test_an_overlap_of_exactly_three_tenths_counts() -> None:
    edge = _label("Save", BoundingBox(102, 0, 112, 20))  # 3 of its 10 px within the margin
    assert _kept([_box("Save", 0, 0, 100, 20)], [edge]) == []


def test_new_text_outside_every_element_has_no_package_and_a_rounded_score() -> None:
    card = UIElement(id=1, bounds=BoundingBox(0, 0, 100, 100), package="com.example.notes")
    merged = merge_ocr([card], [OcrBox("Total 42", BoundingBox(200, 500, 400, 540), 0.987654)])
    added = [e for e in merged if e.source is Source.OCR]
    assert [(e.text, e.package, e.extras) for e in added] == [("Total 42", "", {"score": 0.988})]


def test_boxes_one_pixel_high_still_make_a_line_and_flat_ones_do_not() -> None:
    thin = [_box("abc", 0, 0, 10, 1), _box("def", 10, 0, 20, 1)]
    assert _kept(thin) == ["abc def"]
    flat = [_box("abc", 0, 0, 10, 0), _box("def", 10, 0, 20, 0)]
    assert _kept(flat) == ["abc", "def"]
