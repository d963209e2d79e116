"""One call from a captured `Screen` to the elements the agents see."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from mobile_agent.device.base import Screen
from mobile_agent.errors import ConfigError
from mobile_agent.perception.elements import UIElement
from mobile_agent.perception.hierarchy import parse_hierarchy
from mobile_agent.perception.merge import merge_ocr
from mobile_agent.perception.ocr import OcrEngine

OCR_POLICIES = ("auto", "always", "never")

# Views that draw their own text, invisible to the hierarchy.
_CANVAS = re.compile(
    r'class="(?:android\.webkit\.WebView|android\.view\.SurfaceView|android\.view\.TextureView|'
    r'android\.opengl\.GLSurfaceView)"[^>]*?bounds="\[(\d+),(\d+)\]\[(\d+),(\d+)\]"'
)


@dataclass(frozen=True)
class Perception:
    """What perception made of one screen."""

    screen: Screen
    elements: list[UIElement]
    ocr_used: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)


def needs_ocr(screen: Screen, elements: list[UIElement]) -> bool:
    """True when part of the screen likely shows text the hierarchy lacks."""
    screen_area = max(1, screen.width * screen.height)
    for match in _CANVAS.finditer(screen.hierarchy_xml):
        x1, y1, x2, y2 = (int(v) for v in match.groups())
        if (x2 - x1) * (y2 - y1) >= 0.15 * screen_area:
            return True
    return sum(1 for el in elements if el.text or el.description) < 3


def perceive(
    screen: Screen, *, ocr: OcrEngine | None = None, ocr_policy: str = "auto"
) -> Perception:
    """Parse the hierarchy; add OCR text where the policy says so."""
    if ocr_policy not in OCR_POLICIES:
        raise ConfigError(
            f"unknown OCR policy {ocr_policy!r}; choose one of {', '.join(OCR_POLICIES)}"
        )
    start = time.perf_counter()
    elements = parse_hierarchy(screen.hierarchy_xml, screen_size=(screen.width, screen.height))
    timings = {"parse": (time.perf_counter() - start) * 1000}
    run_ocr = ocr is not None and (
        ocr_policy == "always" or (ocr_policy == "auto" and needs_ocr(screen, elements))
    )
    if run_ocr and ocr is not None:
        start = time.perf_counter()
        elements = merge_ocr(elements, ocr.recognize(screen.png))
        timings["ocr"] = (time.perf_counter() - start) * 1000
    return Perception(screen, elements, run_ocr, timings)
