"""The screen as the agents read it: keyboard keys and system bars summarised as state, never
listed as elements; the numbers stay contiguous; the size and the focused field are stated."""

from __future__ import annotations

import io

import pytest
from conftest import CORPUS
from memory_device import MemoryDevice
from PIL import Image

from mobile_agent.agents.prompting import screen_block
from mobile_agent.device.base import Key
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import BoundingBox, UIElement
from mobile_agent.perception.observation import Observation, observe_screen
from mobile_agent.perception.system_ui import split_system_ui

NOTES = "com.example.notes"
IME = "com.google.android.inputmethod.latin"


def _editor() -> MemoryDevice:
    """The notes editor with its Title field focused and the keyboard up."""
    device = MemoryDevice()
    device.open_app("Notes")
    _tap(device, "New note")
    _tap(device, "Title")
    assert device.screen().keyboard_shown
    return device


def _tap(device: MemoryDevice, label: str) -> None:
    seen = observe_screen(device.screen())
    found = [el for el in seen.elements if label in (el.description, el.extras.get("hint"))]
    device.tap(*found[0].bounds.center)


def test_keyboard_keys_and_bars_never_appear_as_elements() -> None:
    seen = observe_screen(_editor().screen())
    raw = seen.screen.hierarchy_xml
    assert IME in raw and "com.android.systemui" in raw  # they are in the dump …
    packages = {el.package for el in seen.elements}
    assert packages == {NOTES}  # … and not in the elements
    assert IME not in seen.elements_text
    assert "systemui" not in seen.elements_text
    assert [el.id for el in seen.elements] == list(range(1, len(seen.elements) + 1))
    assert seen.system.keyboard_keys > 20
    assert seen.system.status_bar_shown and seen.system.navigation_bar


def test_the_screen_block_states_size_keyboard_and_focus() -> None:
    seen = observe_screen(_editor().screen())
    block = screen_block(seen)
    focused = seen.focused
    assert focused is not None and "Title" in (focused.text or str(focused.extras.get("hint")))
    state_line = block.splitlines()[1]
    assert state_line == (
        f"Screen: 1080×2400 pixels; keyboard shown (its keys are not listed); "
        f"focused: [{focused.id}]"
    )
    inside = block.split("<screen_elements>", 1)[1]
    assert inside.splitlines()[2].startswith("Status bar: ")  # data, inside the block
    assert 'Button "q"' not in block


def test_without_the_keyboard_no_keyboard_state_is_claimed() -> None:
    device = _editor()
    device.press(Key.BACK)
    block = screen_block(observe_screen(device.screen()))
    assert "keyboard" not in block.splitlines()[1]


def test_the_marks_carry_the_listed_numbers_only() -> None:
    listed = observe_screen(_editor().screen(), marks=True)
    assert listed.marks_png.startswith(b"\x89PNG")
    with_keys = Image.open(io.BytesIO(listed.marks_png))
    assert with_keys.size == (1080, 2400)
    # the same screen with the keyboard's keys listed would draw more marks: compare pixels
    # of the keyboard area, which must be the plain screenshot's
    plain = Image.open(io.BytesIO(listed.png)).convert("RGB")
    box = (0, 1700, 1080, 2200)
    assert with_keys.convert("RGB").crop(box).tobytes() == plain.crop(box).tobytes()


def _el(number: int, box: tuple[int, int, int, int], package: str, window: int) -> UIElement:
    return UIElement(
        number, BoundingBox(*box), text=f"e{number}", package=package, extras={"window": window}
    )


def test_a_system_window_beyond_the_edges_stays_listed() -> None:
    shade = [
        _el(1, (0, 0, 1080, 60), "com.android.systemui", 0),
        _el(2, (0, 400, 1080, 600), "com.android.systemui", 0),  # a notification card
    ]
    kept, summary = split_system_ui(shade, (1080, 2400))
    assert [el.text for el in kept] == ["e1", "e2"]
    assert not summary.hidden


def test_bars_in_one_system_window_are_both_left_out() -> None:
    elements = [
        _el(1, (0, 0, 200, 60), "com.android.systemui", 0),
        _el(2, (100, 300, 900, 400), "com.example.app", 1),
        _el(3, (400, 2300, 680, 2400), "com.android.systemui", 0),
    ]
    kept, summary = split_system_ui(elements, (1080, 2400))
    assert [(el.id, el.text) for el in kept] == [(1, "e2")]
    assert (summary.status_bar, summary.navigation_bar) == ("e1", True)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus of real dumps is not here")
def test_a_real_gboard_dump_lists_no_keys() -> None:
    xml = (CORPUS / "shop_avito_search_keyboard_open_cyrillic.xml").read_text(encoding="utf-8")
    seen = observe_screen(Screen(b"", xml, 1080, 1920, keyboard_shown=True))
    assert seen.system.keyboard_keys > 30
    assert not any("inputmethod" in el.package for el in seen.elements)
    assert seen.system.status_bar.startswith("17:52")
    assert "keyboard shown" in screen_block(seen)


def test_an_observation_without_system_ui_says_nothing_of_it() -> None:
    screen = Screen(b"", "", 720, 1280, package="p")
    block = screen_block(Observation(screen=screen, elements_text='[1] Button "OK" (1,1)'))
    assert block.splitlines()[:2] == ["App: p", "Screen: 720×1280 pixels"]
    assert "Status bar" not in block
