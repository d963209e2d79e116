"""One call from a captured `Screen` to the elements the agents see."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from mobile_agent.errors import ConfigError, MobileAgentError, ParseError
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.captioners import Ask, Captioner, make_captioner
from mobile_agent.perception.elements import BoundingBox, Source, UIElement
from mobile_agent.perception.hierarchy import HierarchyAnalysis, analyse_hierarchy
from mobile_agent.perception.icons import crop_icons, explaining_boxes, find_icon_regions
from mobile_agent.perception.icons import icon_elements as name_icons
from mobile_agent.perception.merge import merge_ocr
from mobile_agent.perception.ocr import OcrBox, OcrEngine
from mobile_agent.perception.ocr_reuse import reusing
from mobile_agent.perception.ordering import renumber

log = logging.getLogger(__name__)

OCR_POLICIES = ("auto", "always", "never")
ICON_POLICIES = OCR_POLICIES
MIN_LABELLED = 3  # fewer labelled elements than this: the hierarchy is nearly empty


@dataclass(frozen=True)
class IconFinder:
    """How perception looks for icons: when ("auto", "always", "never"), who names them,
    and below how many labelled elements of the app a hierarchy counts as thin."""

    captioner: Captioner | None = None
    policy: str = "auto"
    thin_labels: int = MIN_LABELLED

    def __post_init__(self) -> None:
        if self.policy not in ICON_POLICIES:
            raise ConfigError(f"unknown icon policy {self.policy!r}; choose one of {ICON_POLICIES}")


def make_icon_finder(
    policy: str,
    captioner: str,
    thin_labels: int = MIN_LABELLED,
    ask: Ask | None = None,
    model_name: str = "model",
) -> IconFinder | None:
    """The icon finder settings describe (None for "never"); `ask` reaches the run's model,
    used when `captioner` is "model"."""
    if policy == "never":
        return None
    return IconFinder(make_captioner(captioner, ask, model_name), policy, thin_labels)


@dataclass(frozen=True)
class Perception:
    """What perception made of one screen."""

    elements: list[UIElement]
    screen: Screen
    ocr_used: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)
    icons_used: bool = False


def _labelled(analysis: HierarchyAnalysis) -> int:
    return sum(1 for e in analysis.elements if e.text or e.description)


def needs_ocr(analysis: HierarchyAnalysis) -> bool:
    """True when part of the screen likely shows text the hierarchy lacks: a large
    WebView / canvas / map region without text, or a nearly empty hierarchy."""
    return bool(analysis.text_gaps) or _labelled(analysis) < MIN_LABELLED


def is_thin(analysis: HierarchyAnalysis, thin_labels: int = MIN_LABELLED) -> bool:
    """A hierarchy that leaves part of the screen unexplained: a large canvas-like node
    without labels (a game, a map, Flutter without semantics), or fewer than `thin_labels`
    labelled elements in all."""
    return bool(analysis.text_gaps) or _labelled(analysis) < thin_labels


def perceive(
    screen: Screen,
    *,
    ocr: OcrEngine | None = None,
    ocr_policy: str = "auto",
    icons: IconFinder | None = None,
    ocr_reuse: bool = True,
) -> Perception:
    """Parse the hierarchy and, when the policies say so, merge in OCR text and icons.

    OCR policies: "always", "never", "auto" (only when `needs_ocr`). OCR needs a screenshot
    and an engine; a failing engine is logged and the hierarchy elements are used alone. With
    `ocr_reuse`, text of regions unchanged since the engine's last screenshot is reused.
    Icons (see `IconFinder`): "always" (with OCR too, unless its policy is "never"), or
    "auto" when the hierarchy `is_thin` and OCR ran (the detector needs OCR's lines to tell
    text from icons).
    """
    if ocr_policy not in OCR_POLICIES:
        raise ConfigError(f"unknown OCR policy {ocr_policy!r}; choose one of {OCR_POLICIES}")
    started = time.perf_counter()
    size = (screen.width, screen.height) if screen.width > 0 and screen.height > 0 else None
    analysis = _analyse(screen.hierarchy_xml, size)
    timings = {"parse": _ms(started)}
    elements = analysis.elements
    boxes: list[OcrBox] | None = None
    if _ocr_wanted(ocr_policy, analysis, icons) and ocr is not None and screen.png:
        boxes = _recognise(reusing(ocr) if ocr_reuse else ocr, screen.png, timings)
        if boxes is not None:
            started = time.perf_counter()
            elements = merge_ocr(elements, boxes, size)
            timings["merge"] = _ms(started)
    found = False
    if icons is not None and screen.png and _icons_wanted(icons, analysis, boxes is not None):
        started = time.perf_counter()
        try:
            elements = _with_icons(screen, analysis, elements, boxes or [], icons)
        except MobileAgentError:
            raise
        except Exception:  # like OCR, a failing detector or captioner costs only the icons
            log.warning("finding icons failed; going on without them", exc_info=True)
        else:
            timings["icons"] = _ms(started)
            found = True
    return Perception(elements, screen, boxes is not None, timings, found)


def _ocr_wanted(policy: str, analysis: HierarchyAnalysis, icons: IconFinder | None) -> bool:
    """OCR runs "always", or in "auto" where text may be missing or icons were asked for."""
    if policy != "auto":
        return policy == "always"
    return needs_ocr(analysis) or (icons is not None and icons.policy == "always")


def _recognise(engine: OcrEngine, png: bytes, timings: dict[str, float]) -> list[OcrBox] | None:
    started = time.perf_counter()
    try:
        boxes = engine.recognize(png)
    except MobileAgentError:
        raise
    except Exception:  # an OCR failure must not cost the step its hierarchy
        log.warning("OCR with %s failed; using the hierarchy alone", engine.name, exc_info=True)
        return None
    timings["ocr"] = _ms(started)
    return boxes


def _icons_wanted(icons: IconFinder, analysis: HierarchyAnalysis, ocr_ran: bool) -> bool:
    if icons.policy == "always":
        return True
    return icons.policy == "auto" and ocr_ran and is_thin(analysis, icons.thin_labels)


def _with_icons(
    screen: Screen,
    analysis: HierarchyAnalysis,
    elements: list[UIElement],
    boxes: list[OcrBox],
    icons: IconFinder,
) -> list[UIElement]:
    """`elements` with the icons nothing explains, captioned and renumbered. A thin but
    not empty hierarchy with canvas-like gaps is searched only inside the gaps. OCR that
    read an icon as a single character ("X" for a plus) gives way to the icon."""
    area = screen.width * screen.height
    words = [b.bounds for b in boxes if not _lone_glyph(b.text)]
    explained = explaining_boxes([e for e in elements if not _misread(e)], area) + words
    within: list[BoundingBox] = []
    if icons.policy == "auto" and analysis.text_gaps and _labelled(analysis) >= icons.thin_labels:
        within = list(analysis.text_gaps)
    outlines = [e.bounds for e in analysis.elements]
    regions = find_icon_regions(screen.png, within=within, explained=explained, outlines=outlines)
    if not regions:
        return elements
    elements = [e for e in elements if not (_misread(e) and _covers(regions, e.bounds))]
    crops = crop_icons(screen.png, regions)
    captioner = icons.captioner
    captions = captioner.caption(crops) if captioner is not None else [""] * len(crops)
    by = captioner.name if captioner is not None else "none"
    updated, added = name_icons(crops, captions, elements, by)
    log.debug("icons: %d found, %d new elements", len(crops), len(added))
    return renumber([*updated, *added])


def _lone_glyph(text: str) -> bool:
    """One letter or digit at most: as likely an icon's shape misread as text."""
    return sum(ch.isalnum() for ch in text) <= 1


def _misread(element: UIElement) -> bool:
    return element.source is Source.OCR and _lone_glyph(element.text)


def _covers(regions: list[BoundingBox], box: BoundingBox) -> bool:
    return any(r.intersection(box) >= 0.5 * min(r.area, box.area) for r in regions)


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
