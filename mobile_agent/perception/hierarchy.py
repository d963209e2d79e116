"""uiautomator hierarchy XML → numbered `UIElement`s.

What is kept: every actionable node (clickable, long-clickable, checkable, editable,
scrollable, NAF, a focused control) and every node that carries text or a description.
Pure layout containers are dropped, as are invisible, zero-size and off-screen nodes.
The text of non-actionable descendants is folded into their nearest clickable ancestor,
so a Compose button whose label sits in a child `View` becomes one element with that label.
Then same-label duplicates and single-control wrappers merge (`nesting`), what another
window or a popup hides is dropped (`occlusion`), controls get nearby labels (`labels`) and
the elements are numbered in the layout's reading order (`ordering`, `direction`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from mobile_agent.perception.direction import is_rtl
from mobile_agent.perception.drafts import Draft, fold_key, node_desc, node_text
from mobile_agent.perception.elements import FOLD_SEPARATOR, BoundingBox, UIElement
from mobile_agent.perception.inputs import SIZE_SLACK, fit_screen
from mobile_agent.perception.labels import attach_nearby_labels
from mobile_agent.perception.nesting import merge_nested
from mobile_agent.perception.occlusion import hide_occluded
from mobile_agent.perception.ordering import renumber
from mobile_agent.perception.xmltree import RawHierarchy, RawNode, load_hierarchy

log = logging.getLogger(__name__)

_EDIT_CLASS = re.compile(r"EditText|AutoComplete|TextField|TextInput|EditBox|SearchBox", re.I)
_CANVAS_CLASS = re.compile(
    r"WebView|TextureView|SurfaceView|MapView|Canvas|UnityPlayer|FlutterView|GameView", re.I
)

MIN_SIDE = 2  # px; thinner nodes are squeezed or collapsed views nobody can see or tap
MAX_FOLD_SHARE = 0.5  # a clickable larger than this share of the screen keeps no child text
GAP_MIN_SHARE = 0.1  # canvas-like nodes at least this large may hide text from the hierarchy
GAP_MAX_LABELS = 2  # a canvas-like node with fewer labelled descendants lacks its text


@dataclass(slots=True)
class HierarchyAnalysis:
    """Elements plus what `perceive` needs to decide about OCR."""

    elements: list[UIElement]
    screen_size: tuple[int, int]
    rotation: int
    text_gaps: list[BoundingBox]
    node_count: int
    truncated: str = ""  # what the reader's limits left out of a huge or deep dump


def parse_hierarchy(
    xml: str | bytes, *, screen_size: tuple[int, int] | None = None
) -> list[UIElement]:
    """The screen's elements from a uiautomator dump, numbered 1..N in reading order.

    `screen_size` is (width, height) of the current orientation; when None it is inferred
    from the largest window bounds. Malformed XML raises `ParseError`.
    """
    return analyse_hierarchy(xml, screen_size=screen_size).elements


def analyse_hierarchy(
    xml: str | bytes, *, screen_size: tuple[int, int] | None = None
) -> HierarchyAnalysis:
    """`parse_hierarchy` plus the screen size used and the regions lacking text.

    A `screen_size` the dump's bounds overrun is a `ScreenSizeMismatch`, unless the aspect
    ratio is the same: then the bounds are scaled to it (with a warning)."""
    raw = load_hierarchy(xml)
    if raw.truncated:
        log.warning("hierarchy dump truncated: %s", raw.truncated)
    size = _screen_size(raw, screen_size)
    builder = _Builder(size)
    for window in raw.windows:
        builder.visit(window, None, None)
    drafts = merge_nested(builder.drafts, builder.area * MAX_FOLD_SHARE)
    drafts = hide_occluded(drafts, raw.windows, size)
    elements = [_element(d, raw.windows) for d in drafts]
    rtl = is_rtl(elements, size[0])
    elements = renumber(attach_nearby_labels(elements, screen_size=size, rtl=rtl), rtl=rtl)
    gaps = builder.canvases
    log.debug(
        "hierarchy: %d nodes → %d elements, %d text gaps", raw.count, len(elements), len(gaps)
    )
    return HierarchyAnalysis(elements, size, raw.rotation, gaps, raw.count, raw.truncated)


class _Builder:
    def __init__(self, size: tuple[int, int]) -> None:
        self.width, self.height = size
        self.area = max(1, self.width * self.height)
        self.drafts: list[Draft] = []
        self.canvases: list[BoundingBox] = []

    def visit(self, node: RawNode, owner: Draft | None, parent: Draft | None) -> int:
        """Walk `node`'s subtree; `owner` absorbs child text, `parent` is the nearest draft.
        Returns how many visible labelled nodes the subtree holds."""
        bounds = self.visible_bounds(node)
        labelled = 0
        if bounds is not None:
            labelled = int(bool(node_text(node) or node_desc(node)))
            if self.is_actionable(node, bounds):
                if parent is not None and parent.bounds == bounds:
                    parent.merged.append(node)  # a control wrapped in a same-sized control
                    parent.absorbs = parent.absorbs or self.absorbs(node, bounds)
                else:
                    parent = Draft(node, bounds, self.absorbs(node, bounds), parent)
                    self.drafts.append(parent)
                owner = parent if parent.absorbs else None
            elif labelled:
                self.place_label(node, bounds, owner, parent)
        inside = 0
        for child in node.children:  # a loop, not sum(): one frame per level of a deep dump
            inside += self.visit(child, owner, parent)
        if bounds is not None and inside < GAP_MAX_LABELS and self.is_canvas(node, bounds):
            self.canvases.append(bounds)
        return labelled + inside

    def place_label(
        self, node: RawNode, bounds: BoundingBox, owner: Draft | None, parent: Draft | None
    ) -> None:
        """Fold a non-actionable label into its owner, or keep it as an element."""
        x, y = bounds.center
        if owner is not None and owner.bounds.contains_point(x, y):
            owner.fold(node)
        else:
            self.drafts.append(Draft(node, bounds, False, parent))

    def visible_bounds(self, node: RawNode) -> BoundingBox | None:
        if node.rect is None or node.get("visible-to-user").lower() == "false":
            return None
        x1, y1, x2, y2 = node.rect
        box = BoundingBox(max(0, x1), max(0, y1), min(self.width, x2), min(self.height, y2))
        return box if box.width >= MIN_SIDE and box.height >= MIN_SIDE else None

    def is_actionable(self, node: RawNode, bounds: BoundingBox) -> bool:
        if any(node.flag(a) for a in ("clickable", "long-clickable", "checkable", "scrollable")):
            return True
        if node.flag("NAF") or is_editable(node):
            return True
        return node.flag("focused") and bounds.area <= self.area * MAX_FOLD_SHARE

    def absorbs(self, node: RawNode, bounds: BoundingBox) -> bool:
        pressable = any(node.flag(a) for a in ("clickable", "long-clickable", "checkable"))
        return (pressable or is_editable(node)) and bounds.area <= self.area * MAX_FOLD_SHARE

    def is_canvas(self, node: RawNode, bounds: BoundingBox) -> bool:
        """A large WebView / TextureView / map-like node that may draw text itself."""
        if bounds.area < self.area * GAP_MIN_SHARE:
            return False
        return bool(_CANVAS_CLASS.search(node.class_name))


def is_editable(node: RawNode) -> bool:
    """Whether a raw node is a text field (flagged editable or password, or a field class)."""
    if node.flag("editable") or node.flag("password"):
        return True
    return bool(_EDIT_CLASS.search(node.class_name))


def _element(draft: Draft, windows: list[RawNode]) -> UIElement:
    nodes = [draft.node, *draft.merged]
    for node in draft.merged:
        draft.fold(node)
    editable = any(is_editable(n) for n in nodes)
    text, desc = _labels(draft, nodes, editable)
    node = draft.node
    return UIElement(
        id=0,
        bounds=draft.bounds,
        text=text,
        description=desc,
        resource_id=next((r for n in nodes if (r := n.get("resource-id").strip())), ""),
        class_name=_best_class(nodes),
        package=node.get("package") or windows[node.window].get("package"),
        clickable=draft.option or any(n.flag("clickable") for n in nodes),
        long_clickable=any(n.flag("long-clickable") for n in nodes),
        editable=editable,
        scrollable=any(n.flag("scrollable") for n in nodes),
        checkable=any(n.flag("checkable") for n in nodes),
        checked=any(n.flag("checked") for n in nodes),
        selected=any(n.flag("selected") for n in nodes),
        focused=any(n.flag("focused") for n in nodes),
        enabled=all(n.get("enabled", "true").lower() != "false" for n in nodes),
        password=any(n.flag("password") for n in nodes),
        extras=_extras(nodes),
    )


def _labels(draft: Draft, nodes: list[RawNode], editable: bool) -> tuple[str, str]:
    """(text, description) of an element from its own labels and the folded ones.

    Without own text, the folded child texts become the text (what the screen shows);
    otherwise, like every folded text of an editable field, they extend the description.
    """
    text = next((t for n in nodes if (t := node_text(n))), "")
    desc = next((d for n in nodes if (d := node_desc(n))), "")
    texts = [t for t in draft.texts if t != text]
    descs = [d for d in draft.descs if d not in (text, desc) and d not in draft.texts]
    if editable or text:
        extra = [t for t in texts if t != desc] + descs
    else:
        text, extra = FOLD_SEPARATOR.join(texts), descs
    covered = f"{fold_key(text)}\n{fold_key(desc)}"
    extra = [e for e in extra if fold_key(e) not in covered]
    if extra:
        desc = FOLD_SEPARATOR.join([desc, *extra] if desc else extra)
    return text, desc


_GENERIC_CLASS = re.compile(r"(Layout|ViewGroup|\.View|Frame)$")


def _best_class(nodes: list[RawNode]) -> str:
    """The most telling class of same-sized nested nodes (an EditText over its frame)."""
    named = [n for n in nodes if n.class_name]
    for wanted in (is_editable, lambda n: n.flag("checkable")):
        found = next((n for n in named if wanted(n)), None)
        if found is not None:
            return found.class_name
    specific = [n for n in named if not _GENERIC_CLASS.search(n.class_name)]
    return (specific or named)[0].class_name if named else ""


def _extras(nodes: list[RawNode]) -> dict[str, object]:
    extras: dict[str, object] = {"window": nodes[0].window}
    if any(n.flag("NAF") for n in nodes):
        extras["naf"] = True
    if any(n.flag("focusable") for n in nodes):
        extras["focusable"] = True
    hint = next((h for n in nodes if (h := n.get("hint").strip())), "")
    if hint:
        extras["hint"] = hint
    return extras


def _screen_size(raw: RawHierarchy, given: tuple[int, int] | None) -> tuple[int, int]:
    rects = [w.rect for w in raw.windows if w.rect is not None] or [
        n.rect for n in raw.nodes() if n.rect is not None
    ]
    width = max((r[2] for r in rects), default=0)
    height = max((r[3] for r in rects), default=0)
    if given is None:
        return (max(1, width), max(1, height))
    gw, gh = given
    overflows = width > gw * SIZE_SLACK or height > gh * SIZE_SLACK
    if overflows and width <= gh * SIZE_SLACK and height <= gw * SIZE_SLACK:
        log.debug("hierarchy bounds fit %dx%d rotated; swapping the screen size", gw, gh)
        return (gh, gw)
    scale = fit_screen((width, height), (gw, gh))
    if scale != 1.0:
        _scale_bounds(raw, scale)
    return (gw, gh)


def _scale_bounds(raw: RawHierarchy, scale: float) -> None:
    """Every node's bounds multiplied by `scale` (a screenshot saved scaled down)."""
    for node in raw.nodes():
        if node.rect is not None:
            x1, y1, x2, y2 = (round(v * scale) for v in node.rect)
            node.rect = (x1, y1, x2, y2)
