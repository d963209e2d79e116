"""Perception over real captures: every app screen of the virtual phone, through adb.

Expected elements come from the phone's own view tree (`phone.nodes()`), not from the
code under test.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from mobile_agent.device import AndroidDevice, Key, connect
from mobile_agent.perception.elements import Source, UIElement

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

APPS = [
    "com.example.notes",
    "com.example.contacts",
    "com.android.settings",
    "com.example.browser",
    "com.google.android.deskclock",
    "com.android.camera2",
]
_SYSTEM = ("com.android.systemui", "com.google.android.inputmethod")


@pytest.fixture
def device(connected_phone: Any) -> Iterator[AndroidDevice]:
    dev = connect(connected_phone.serial, timeout_s=30)
    try:
        yield dev
    finally:
        dev.close()


def walk(roots: list[Any]) -> Iterator[Any]:
    for root in roots:
        yield root
        yield from walk(root.children)


def has_text_below(node: Any) -> bool:
    return any(n.text for n in walk(node.children))


def app_nodes(phone: Any, package: str) -> list[Any]:
    return [n for n in walk(phone.nodes()) if n.package == package]


def box(element: UIElement) -> tuple[int, int, int, int]:
    b = element.bounds
    return (b.x1, b.y1, b.x2, b.y2)


@pytest.mark.parametrize("package", ["com.android.launcher3", *APPS])
def test_elements_of_every_app_screen(
    device: AndroidDevice, connected_phone: Any, package: str
) -> None:
    from mobile_agent.perception import parse_hierarchy

    if package == "com.android.launcher3":
        device.press(Key.HOME)
    else:
        device.open_app(package)
    screen = device.screen()
    elements = parse_hierarchy(screen.hierarchy_xml)
    truth = app_nodes(connected_phone.phone, package)
    assert truth, f"{package} shows no views"

    texts = " ".join(f"{e.text} {e.description}" for e in elements)
    for node in truth:
        if node.text:
            assert node.text in texts, f"text {node.text!r} of {package} is missing"
    for node in truth:
        if node.clickable and node.content_desc and not node.text and not has_text_below(node):
            found = [e for e in elements if e.description == node.content_desc]
            assert found, f"icon-only button {node.content_desc!r} of {package} is missing"
            assert any(box(e) == node.bounds and e.clickable for e in found)
        if "EditText" in node.class_name:
            field = [e for e in elements if e.editable and box(e) == node.bounds]
            assert field, f"text field {node.resource_id} of {package} is missing"
            assert field[0].resource_id == node.resource_id
        if node.checkable:
            toggles = [e for e in elements if e.checkable and box(e) == node.bounds]
            if toggles:  # a checkable row may be merged into its clickable parent
                assert toggles[0].checked == node.checked


def _norm(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def test_ocr_reads_text_that_only_the_web_page_draws(
    device: AndroidDevice, connected_phone: Any
) -> None:
    from mobile_agent.perception import get_ocr_engine, perceive

    device.open_app("com.example.browser")
    screen = device.screen()
    drawn_only = [
        t.text for t in connected_phone.phone.screen_texts() if not t.reported and _norm(t.text)
    ]
    assert len(drawn_only) >= 5, "the browser page should draw text outside the hierarchy"
    assert not any(t in screen.hierarchy_xml for t in drawn_only)

    result = perceive(screen, ocr=get_ocr_engine("rapidocr"), ocr_policy="always")
    read = [_norm(e.text) for e in result.elements if e.source == Source.OCR]

    def found(text: str) -> bool:
        want = _norm(text)
        return any(want in r or difflib.SequenceMatcher(None, want, r).ratio() >= 0.8 for r in read)

    hits = [t for t in drawn_only if found(t)]
    assert len(hits) >= 0.8 * len(drawn_only), f"OCR read only {hits} of {drawn_only}"
