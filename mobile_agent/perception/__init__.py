"""Perception: pure functions from captured artifacts (hierarchy XML, screenshots) to the
numbered screen elements the agents see, and the one definition of "the same screen"."""

from __future__ import annotations

from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import BoundingBox, Source, UIElement
from mobile_agent.perception.fields import FocusedField, focused_field
from mobile_agent.perception.hierarchy import HierarchyAnalysis, analyse_hierarchy, parse_hierarchy
from mobile_agent.perception.marks import draw_marks
from mobile_agent.perception.merge import merge_ocr
from mobile_agent.perception.ocr import (
    OcrBox,
    OcrEngine,
    PaddleOcrEngine,
    RapidOcrEngine,
    get_ocr_engine,
)
from mobile_agent.perception.ordering import reading_order, renumber
from mobile_agent.perception.pipeline import Perception, needs_ocr, perceive
from mobile_agent.perception.render import elements_to_json, render_element, render_elements
from mobile_agent.perception.settle import SettleResult, screens_equal, wait_for_settle
from mobile_agent.perception.signature import screen_signature
from mobile_agent.perception.xmltree import (
    RawHierarchy,
    RawNode,
    hierarchy_rotation,
    load_hierarchy,
)

__all__ = [
    "BoundingBox",
    "FocusedField",
    "HierarchyAnalysis",
    "OcrBox",
    "OcrEngine",
    "PaddleOcrEngine",
    "Perception",
    "RapidOcrEngine",
    "RawHierarchy",
    "RawNode",
    "Screen",
    "SettleResult",
    "Source",
    "UIElement",
    "analyse_hierarchy",
    "draw_marks",
    "elements_to_json",
    "focused_field",
    "get_ocr_engine",
    "hierarchy_rotation",
    "load_hierarchy",
    "merge_ocr",
    "needs_ocr",
    "parse_hierarchy",
    "perceive",
    "reading_order",
    "render_element",
    "render_elements",
    "renumber",
    "screen_signature",
    "screens_equal",
    "wait_for_settle",
]
