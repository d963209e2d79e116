"""Icons without a hierarchy: the detector on drawn shapes and on the virtual phone's canvas
app, and the captioners (scripted, the run's model in one batched call, a tiny local model)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from mobile_agent.errors import ConfigError
from mobile_agent.llm.scripted import ScriptedChatModel
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.captioners import (
    LocalCaptioner,
    ModelCaptioner,
    ScriptedCaptioner,
    make_captioner,
    parse_captions,
)
from mobile_agent.perception.elements import BoundingBox, Source, UIElement
from mobile_agent.perception.icons import crop_icons, find_icon_regions, icon_elements
from mobile_agent.perception.pipeline import IconFinder, is_thin, make_icon_finder, perceive
from mobile_agent.perception.render import render_elements
from mobile_agent.runner.observe import model_asker
from virtual_phone.apps.canvas_app import BUTTONS
from virtual_phone.phone import Phone

TUNES = "com.example.tunes"
WIDTH, HEIGHT = 1080, 2400
NAV_TOP = 2274  # the navigation bar's top edge


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _drawn() -> bytes:
    """A plain screen with three icon-sized glyphs, a wide bar, a huge card and a dot."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 300, 190, 390), outline="#202020", width=8)  # ring
    draw.rectangle((500, 300, 580, 400), fill="#1a56c8")  # block
    draw.polygon([(900, 300), (990, 345), (900, 390)], fill="#303030")  # play triangle
    draw.rectangle((100, 800, 980, 840), fill="#404040")  # a bar far too wide for an icon
    draw.rectangle((60, 1200, 1020, 2000), outline="#404040", width=6)  # a card
    draw.ellipse((500, 2200, 508, 2208), fill="#000000")  # a speck
    return _png(image)


def _at(boxes: list[BoundingBox], *expected: tuple[int, int]) -> bool:
    """The boxes' centres are `expected` (sorted), each within the downscaling's error."""
    found = sorted(box.center for box in boxes)
    return len(found) == len(expected) and all(
        abs(x - ex) <= 6 and abs(y - ey) <= 6
        for (x, y), (ex, ey) in zip(found, sorted(expected), strict=True)
    )


def test_detector_finds_icon_shaped_regions_only() -> None:
    found = find_icon_regions(_drawn())
    assert _at(found, (145, 345), (540, 350), (945, 345)), found


def test_detector_leaves_out_what_is_explained_and_what_lies_outside() -> None:
    png = _drawn()
    ring = BoundingBox(90, 290, 200, 400)  # e.g. an OCR line or a labelled button there
    assert _at(find_icon_regions(png, explained=[ring]), (540, 350), (945, 345))
    right_half = BoundingBox(540, 0, WIDTH, HEIGHT)
    assert _at(find_icon_regions(png, within=[right_half]), (540, 350), (945, 345))


# -- the canvas app ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def tunes() -> Phone:
    phone = Phone(seed=0)
    assert phone.start_app(TUNES)
    return phone


def _screen(phone: Phone) -> Screen:
    png = phone.screenshot_png()
    return Screen(png, phone.hierarchy_xml(), WIDTH, HEIGHT, package=TUNES)


def _by_fifth(phone: Phone) -> ScriptedCaptioner:
    """Names an icon below the player's text and above the navigation bar after the n-th
    button when it lies in the n-th fifth of the screen."""
    top = max(t.bounds[3] for t in phone.screen_texts() if t.text.startswith("Plays"))
    step = WIDTH // len(BUTTONS)
    rules = [
        (BoundingBox(i * step, top, (i + 1) * step, NAV_TOP), action)
        for i, (_, action) in enumerate(BUTTONS)
    ]
    return ScriptedCaptioner(rules)


def _canvas(phone: Phone) -> list[BoundingBox]:
    from mobile_agent.perception.hierarchy import analyse_hierarchy

    return analyse_hierarchy(phone.hierarchy_xml(), screen_size=(WIDTH, HEIGHT)).text_gaps


def test_the_canvas_app_reports_one_bare_surface(tunes: Phone) -> None:
    result = perceive(_screen(tunes), ocr_policy="never")
    app = [e for e in result.elements if e.package == TUNES]
    assert [(e.class_name, e.label, e.clickable) for e in app] == [
        ("android.view.SurfaceView", "surface", True)
    ]


def test_icons_on_the_canvas_are_found_and_captioned(tunes: Phone) -> None:
    screen = _screen(tunes)
    drawn = [BoundingBox(*t.bounds) for t in tunes.screen_texts()]  # what OCR would read
    regions = find_icon_regions(screen.png, within=_canvas(tunes), explained=drawn)
    assert len(regions) == len(BUTTONS)
    assert len({box.center[1] // 20 for box in regions}) == 1  # one row of buttons
    captioner = _by_fifth(tunes)
    crops = crop_icons(screen.png, sorted(regions, key=lambda b: b.x1))
    captions = captioner.caption(crops)
    assert captions == [action for _, action in BUTTONS]
    _, added = icon_elements(crops, captions, [], captioner.name)
    assert all(e.source is Source.ICON and e.clickable for e in added)
    assert [e.description for e in added] == captions


def test_perceive_adds_named_icons_to_a_thin_hierarchy(tunes: Phone) -> None:
    screen = _screen(tunes)
    finder = IconFinder(_by_fifth(tunes), policy="always")
    result = perceive(screen, ocr_policy="never", icons=finder)
    icons = [e for e in result.elements if e.source is Source.ICON]
    named = [e.description for e in icons if e.description]
    assert named == [action for _, action in BUTTONS]  # in reading order, left to right
    assert result.icons_used and "icons" in result.timings_ms
    assert [e.id for e in result.elements] == list(range(1, len(result.elements) + 1))
    listing = render_elements(result.elements)
    assert 'Icon desc="like"' in listing and "icon" in listing
    # auto looks only when OCR ran (its lines tell text from icons); never does not look
    assert not perceive(screen, ocr_policy="never", icons=IconFinder(_by_fifth(tunes))).icons_used
    assert make_icon_finder("never", "none") is None


def test_thin_means_few_labels_or_an_unlabelled_canvas(tunes: Phone) -> None:
    from mobile_agent.perception.hierarchy import analyse_hierarchy

    assert len(_canvas(tunes)) == 1
    canvas = analyse_hierarchy(tunes.hierarchy_xml(), screen_size=(WIDTH, HEIGHT))
    assert canvas.text_gaps and is_thin(canvas)
    phone = Phone(seed=0)
    phone.start_app("com.example.notes")
    notes = analyse_hierarchy(phone.hierarchy_xml(), screen_size=(WIDTH, HEIGHT))
    assert not is_thin(notes) and is_thin(notes, thin_labels=1000)


def test_an_unlabelled_button_around_an_icon_takes_its_caption() -> None:
    crop = crop_icons(_drawn(), [BoundingBox(100, 300, 190, 390)])
    bare = UIElement(id=1, bounds=BoundingBox(80, 280, 210, 410), clickable=True)
    labelled = UIElement(id=2, bounds=BoundingBox(0, 0, 50, 50), text="Menu")
    updated, added = icon_elements(crop, ["play"], [bare, labelled], "scripted")
    assert added == [] and updated[0].description == "play" and updated[1] == labelled


# -- captioners -------------------------------------------------------------------------


def _crops() -> list[Any]:
    return crop_icons(_drawn(), find_icon_regions(_drawn()))


def test_the_model_names_all_new_crops_in_one_call_and_is_asked_once() -> None:
    reply = '```json\n{"1": "Ring.", "2": " blue square ", "3": "play"}\n```'
    model = ScriptedChatModel([reply])
    captioner = ModelCaptioner(model_asker(model))
    crops = _crops()
    assert captioner.caption(crops) == ["Ring", "blue square", "play"]
    assert len(model.calls) == 1
    assert model.calls[0].messages[0].image_count == 3
    assert captioner.caption(list(reversed(crops))) == ["play", "blue square", "Ring"]
    assert len(model.calls) == 1 and captioner.batches == 1  # cached by the pixels' hash


def test_a_failing_model_names_nothing_and_is_asked_again_later() -> None:
    model = ScriptedChatModel([{"error": "provider"}, '["a", "b", "c"]'])
    captioner = ModelCaptioner(model_asker(model))
    assert captioner.caption(_crops()) == ["", "", ""]
    assert captioner.caption(_crops()) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"1": "play", "3": "delete"}', ["play", "", "delete"]),
        ('Sure! {"icons": {"#1": "play", "#2": "like", "#3": "x"}} hope it helps', None),
        ('[{"name": "play"}, "like"]', ["play", "like", ""]),
        ("1. play\n2) like\n3: settings", ["play", "like", "settings"]),
        ("Icon 2 - like", ["", "like", ""]),
        ("play\nlike\nsettings", ["play", "like", "settings"]),
        ("I cannot tell.", ["", "", ""]),
        ('{"1": "play", "2": ', ["play", "", ""]),  # cut off: the pairs it holds
    ],
)
def test_replies_are_parsed_robustly(reply: str, expected: list[str] | None) -> None:
    got = parse_captions(reply, 3)
    assert got == (expected or ["play", "like", "x"])


def test_captioner_settings() -> None:
    assert make_captioner("none") is None
    assert make_captioner("model") is None  # no model: nobody to ask
    assert isinstance(make_captioner("model", model_asker(ScriptedChatModel([]))), ModelCaptioner)
    with pytest.raises(ConfigError, match="unknown icon captioner"):
        make_captioner("magic")
    with pytest.raises(ConfigError, match="no usable captioning model"):
        make_captioner("local:/nonexistent/folder")


def _tiny_local() -> tuple[Any, Any, Any]:
    """A randomly initialised ViT + GPT-2 captioner with a word-level vocabulary (no
    download: everything is built here from configs)."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, models, pre_tokenizers

    words = ["[PAD]", "[BOS]", "[EOS]", "[UNK]", "play", "like", "trash", "gear", "star"]
    core = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=core,
        pad_token="[PAD]",
        bos_token="[BOS]",
        eos_token="[EOS]",
        unk_token="[UNK]",
    )
    torch.manual_seed(0)
    encoder = transformers.ViTConfig(
        image_size=32,
        patch_size=8,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=37,
    )
    decoder = transformers.GPT2Config(
        vocab_size=len(words), n_embd=32, n_layer=1, n_head=2, n_positions=32
    )
    config = transformers.VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    model = transformers.VisionEncoderDecoderModel(config)
    generation = model.generation_config
    generation.decoder_start_token_id, generation.pad_token_id, generation.eos_token_id = 1, 0, 2
    generation.suppress_tokens = [0, 1, 3]  # only words or the end
    processor = transformers.ViTImageProcessor(size={"height": 32, "width": 32})
    return model, processor, tokenizer


def test_a_local_model_captions_crops_and_loads_from_a_folder(tmp_path: Path) -> None:
    model, processor, tokenizer = _tiny_local()
    captioner = LocalCaptioner(model, processor, tokenizer, max_new_tokens=3)
    crops = _crops()
    captions = captioner.caption(crops)
    assert len(captions) == 3 and captioner.name == "local:vision-encoder-decoder"
    vocabulary = {"play", "like", "trash", "gear", "star"}
    assert all(c and set(c.split()) <= vocabulary for c in captions), captions
    assert captioner.caption(crops) == captions and captioner.batches == 1
    for part in (model, processor, tokenizer):
        part.save_pretrained(tmp_path)
    loaded = make_captioner(f"local:{tmp_path}")
    assert isinstance(loaded, LocalCaptioner)
    loaded.max_new_tokens = 3
    assert loaded.caption(crops) == captions
    assert json.loads((tmp_path / "config.json").read_text())["model_type"] == (
        "vision-encoder-decoder"
    )


# -- real screenshots -------------------------------------------------------------------


def test_on_a_real_form_only_the_unlabelled_status_icons_are_icons() -> None:
    from mobile_agent.perception import get_ocr_engine

    from ._corpus import pair_screen

    screen = pair_screen("pair_react_native_otp_login_form")  # its dump has no status bar
    finder = IconFinder(ScriptedCaptioner([], default="status"), policy="always")
    result = perceive(screen, ocr=get_ocr_engine("rapidocr"), icons=finder)
    assert result.ocr_used  # asked for icons: OCR runs too, to tell text from icons
    icons = [e for e in result.elements if e.source is Source.ICON]
    assert len(icons) == 3  # signal, wi-fi, battery; not the logo, the text or the field
    assert all(e.bounds.y2 < 70 and e.bounds.x1 > 800 for e in icons)
    assert "6:11" in [e.text for e in result.elements if e.source is Source.OCR]
    auto = perceive(screen, ocr=get_ocr_engine("rapidocr"), icons=IconFinder(finder.captioner))
    assert not auto.icons_used  # the form is labelled: not thin


def test_outlines_of_larger_elements_are_not_icons() -> None:
    from ._corpus import pair_screen

    screen = pair_screen("pair_watch_round_466_profile_menu_compose")  # dark rounded pills
    pills = [BoundingBox(36, 103, 430, 207), BoundingBox(36, 343, 430, 447)]
    loose = find_icon_regions(screen.png)
    kept = find_icon_regions(screen.png, outlines=pills)
    along = [b for b in loose if b not in kept]
    assert along and all(any(_along(b, pill) for pill in pills) for b in along)


def _along(box: BoundingBox, pill: BoundingBox) -> bool:
    sides = (box.x1 - pill.x1, box.x2 - pill.x2, box.y1 - pill.y1, box.y2 - pill.y2)
    return box.intersection(pill) > 0 and min(abs(d) for d in sides) <= 3


class _Broken(ScriptedCaptioner):
    def _name(self, crops: Any) -> list[str] | None:
        raise RuntimeError("the captioning model crashed")


def test_a_crashing_captioner_costs_only_the_icons(tunes: Phone) -> None:
    screen = _screen(tunes)
    plain = perceive(screen, ocr_policy="never")
    broken = perceive(screen, ocr_policy="never", icons=IconFinder(_Broken([]), policy="always"))
    assert broken.elements == plain.elements and not broken.icons_used
