"""One call from a captured `Screen` to the elements the agents see."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from mobile_agent.errors import ConfigError, MobileAgentError, ParseError
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import UIElement
from mobile_agent.perception.hierarchy import HierarchyAnalysis, analyse_hierarchy
from mobile_agent.perception.merge import merge_ocr
from mobile_agent.perception.ocr import OcrEngine

log = logging.getLogger(__name__)

OCR_POLICIES = ("auto", "always", "never")
MIN_LABELLED = 3  # fewer labelled elements than this: the hierarchy is nearly empty


@dataclass(frozen=True)
class Perception:
    """What perception made of one screen."""

    elements: list[UIElement]
    screen: Screen
    ocr_used: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)


def needs_ocr(analysis: HierarchyAnalysis) -> bool:
    """True when part of the screen likely shows text the hierarchy lacks: a large
    WebView / canvas / map region without text, or a nearly empty hierarchy."""
    if analysis.text_gaps:
        return True
    labelled = sum(1 for e in analysis.elements if e.text or e.description)
    return labelled < MIN_LABELLED


def perceive(
    screen: Screen, *, ocr: OcrEngine | None = None, ocr_policy: str = "auto"
) -> Perception:
    """Parse the hierarchy and, when `ocr_policy` says so, merge in OCR text.

    Policies: "always", "never", "auto" (only when `needs_ocr`). OCR needs a screenshot and
    an engine; a failing engine is logged and the hierarchy elements are used alone.
    """
    if ocr_policy not in OCR_POLICIES:
        raise ConfigError(f"unknown OCR policy {ocr_policy!r}; choose one of {OCR_POLICIES}")
    started = time.perf_counter()
    size = (screen.width, screen.height) if screen.width > 0 and screen.height > 0 else None
    analysis = _analyse(screen.hierarchy_xml, size)
    timings = {"parse": _ms(started)}
    elements = analysis.elements
    wanted = ocr_policy == "always" or (ocr_policy == "auto" and needs_ocr(analysis))
    used = False
    if wanted and ocr is not None and screen.png:
        started = time.perf_counter()
        try:
            boxes = ocr.recognize(screen.png)
        except MobileAgentError:
            raise
        except Exception:  # an OCR failure must not cost the step its hierarchy
            log.warning("OCR with %s failed; using the hierarchy alone", ocr.name, exc_info=True)
        else:
            timings["ocr"] = _ms(started)
            started = time.perf_counter()
            elements = merge_ocr(elements, boxes)
            timings["merge"] = _ms(started)
            used = True
    return Perception(elements, screen, used, timings)


def _analyse(xml: str, size: tuple[int, int] | None) -> HierarchyAnalysis:
    """The hierarchy's analysis; an empty or broken dump leaves OCR as the only source."""
    if xml.strip():
        try:
            return analyse_hierarchy(xml, screen_size=size)
        except ParseError as exc:
            log.warning("unusable hierarchy dump (%s); perceiving from pixels only", exc)
    return HierarchyAnalysis([], size or (0, 0), 0, [], 0)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
