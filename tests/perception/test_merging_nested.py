"""One element per thing on screen: same-label duplicates and single-control wrappers merge
(hand-written dumps, the corpus, the Layout lab's nested screen); no label is lost."""

from __future__ import annotations

from pathlib import Path

from mobile_agent.perception import analyse_hierarchy, load_hierarchy, parse_hierarchy

from ._corpus import CORPUS, corpus_params, read_xml
from ._lab import OpenScreen, lab  # noqa: F401  (a fixture)
from .test_hierarchy_rules import dump, node

SIZE = (1080, 2400)
MIN_RECALL = 0.98


def named(elements: list, label: str) -> list:
    return [e for e in elements if label in (e.text, e.description)]


def test_a_described_row_and_its_text_a_few_pixels_inside_are_one_clickable_element() -> None:
    row = node("[0,300][1080,420]", content_desc="cheap flights", clickable="true")
    text = node("[60,340][400,390]", text="cheap flights", **{"class": "android.widget.TextView"})
    page = node("[0,0][1080,2400]", row + text)
    (el,) = parse_hierarchy(dump(page), screen_size=SIZE)
    assert el.clickable and el.text == "cheap flights" and el.description == "cheap flights"
    assert el.bounds.as_list() == [0, 300, 1080, 420], "the clickable one stays"


def test_a_clickable_wrapper_around_one_labelled_button_is_that_button() -> None:
    button = node("[48,500][448,610]", text="Play", clickable="true", long_clickable="false")
    wrapper = node("[0,484][1080,626]", button, clickable="true", long_clickable="true")
    (el,) = parse_hierarchy(dump(node("[0,0][1080,2400]", wrapper)), screen_size=SIZE)
    assert el.text == "Play" and el.bounds.as_list() == [48, 500, 448, 610]
    assert el.clickable and el.long_clickable, "the wrapper's flags are kept"


def test_what_is_not_one_thing_stays_apart() -> None:
    both = node("[48,500][448,610]", text="Accept", clickable="true") + node(
        "[500,500][900,610]", text="Decline", clickable="true"
    )
    row = node("[0,484][1080,626]", both, clickable="true")
    twins = node("[0,700][500,800]", text="Add star", clickable="true") + node(
        "[0,900][500,1000]", text="Add star", clickable="true"
    )
    screen_sized = node("[0,0][1080,2400]", content_desc="Map", clickable="true")
    page = node("[0,0][1080,2400]", screen_sized + row + twins)
    elements = parse_hierarchy(dump(page), screen_size=SIZE)
    assert [e.text for e in elements if e.text] == ["Accept", "Decline", "Add star", "Add star"]
    assert any(e.bounds.as_list() == [0, 484, 1080, 626] and e.clickable for e in elements)
    assert named(elements, "Map"), "a screen-sized element is never merged away"


def test_corpus_duplicates_merge_into_their_clickable_element() -> None:
    maps = parse_hierarchy(read_xml("maps_google_maps_search_results_900x1600.xml"))
    (search,) = named(maps, "Hospitals in Abu Dhabi")
    assert search.clickable and search.bounds.as_list() == [0, 48, 438, 138]
    tiktok = parse_hierarchy(read_xml("social_tiktok_search_480x640_navbar.xml"))
    (videos,) = named(tiktok, "Videos")  # a focusable tab described like its text
    assert videos.text == videos.description == "Videos"
    news = parse_hierarchy(read_xml("news_feed_publisher_rotation1_portrait_bounds.xml"))
    assert len(named(news, "All Articles")) == 1 and len(named(news, "MyNews")) == 1


def test_layout_lab_nested_screen(lab: OpenScreen) -> None:  # noqa: F811
    screen = lab("NestedActivity")
    elements = parse_hierarchy(screen.hierarchy_xml, screen_size=(screen.width, screen.height))
    for term in ("weather tomorrow", "football scores", "cheap flights"):
        (el,) = [e for e in elements if term in (e.text, e.description)]
        assert el.clickable and el.bounds.x1 == 0 and el.bounds.x2 == screen.width
    for label in ("Play", "Share"):
        (el,) = [e for e in elements if e.text == label]
        assert el.clickable and el.class_name == "android.widget.Button"
    row = [e for e in elements if e.clickable and not e.label and e.bounds.x1 == 0]
    assert len(row) == 1, "a row around two buttons stays a row"


def _recall(path: Path) -> tuple[int, int]:
    xml = path.read_text(encoding="utf-8")
    analysis = analyse_hierarchy(xml)
    width, height = analysis.screen_size
    shown = "\n".join(f"{e.text}\n{e.description}" for e in analysis.elements)
    total = found = 0
    for n in load_hierarchy(xml).nodes():
        if n.rect is None or n.get("visible-to-user").lower() == "false":
            continue
        x1, y1, x2, y2 = n.rect
        if min(x2, width) - max(x1, 0) < 2 or min(y2, height) - max(y1, 0) < 2:
            continue
        for value in (n.get("text"), n.get("content-desc")):
            value = value.replace("\ufeff", "").replace("\u200b", "").strip()
            if value:
                total, found = total + 1, found + (value in shown)
    return total, found


def test_label_recall_on_the_corpus_stays_above_98_percent() -> None:
    paths = [p.values[0] for p in corpus_params("*.xml")]
    if not CORPUS.is_dir():
        read_xml(paths[0].name)  # skips with the corpus's reason
    counts = [_recall(path) for path in paths]
    total, found = sum(c[0] for c in counts), sum(c[1] for c in counts)
    assert total > 800
    assert found / total >= MIN_RECALL, f"{found} of {total} visible labels kept"
