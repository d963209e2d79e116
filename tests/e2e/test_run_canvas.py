"""A task on a screen drawn without a hierarchy (the Tunes player: one bare SurfaceView):
OCR reads its text, the icon finder names its buttons, and the scripted agents tap the
"like" icon by its caption. Judged from the app's own state."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_run_helpers import (
    ElementScript,
    Recorder,
    connected_device,
    manager,
    operator,
    reflector,
    tap_el,
    with_notes,
)

from mobile_agent.config import load_settings
from mobile_agent.device import Key
from mobile_agent.events import FinalState
from mobile_agent.perception import get_ocr_engine
from mobile_agent.perception.captioners import ScriptedCaptioner
from mobile_agent.perception.elements import BoundingBox, Source
from mobile_agent.perception.ocr_reuse import ReusingOcr, reusing
from mobile_agent.perception.pipeline import IconFinder
from mobile_agent.runner import Runner
from virtual_phone.apps.canvas_app import BUTTONS

pytestmark = pytest.mark.e2e

TUNES = "com.example.tunes"
PLAN = ["Like the song playing in Tunes"]


def _captioner(phone: Any, width: int, height: int) -> ScriptedCaptioner:
    """Names the icons in the player's button row after its buttons, fifth by fifth of the
    screen's width (what a vision model would say of each glyph)."""
    phone.start_app(TUNES)
    top = max(t.bounds[3] for t in phone.screen_texts() if t.text.startswith("Plays"))
    step = width // len(BUTTONS)
    rules = [
        (BoundingBox(i * step, top, (i + 1) * step, height - 130), action)
        for i, (_, action) in enumerate(BUTTONS)
    ]
    return ScriptedCaptioner(rules)


def _tap_that_ends_the_subgoal(label: str) -> dict[str, Any]:
    entry = tap_el(label)
    reply = json.loads(entry["reply"])
    reply["completes_subgoal"] = True
    return {**entry, "reply": json.dumps(reply)}


def _script() -> list[dict[str, Any]]:
    """Open the player, tap the icon captioned "like"; the reflector calls the subgoal done
    once the player says Liked (judged without it when the screens settle it)."""
    return with_notes(
        [
            {"regex": r"^Role: reflector.*Liked", "reply": reflector(done=True)["reply"]},
            {**reflector(), "repeat": True},
            manager(PLAN[0], PLAN),
            manager("", PLAN, completed=True),
            operator("open_app", {"app": "Tunes"}),
            _tap_that_ends_the_subgoal("like"),
        ]
    )


def test_like_the_song_on_a_canvas_by_the_icons_caption(connected_phone: Any) -> None:
    model = ElementScript(_script())
    events = Recorder()
    engine = get_ocr_engine("rapidocr")
    assert engine is not None
    reader = reusing(engine)
    assert isinstance(reader, ReusingOcr)
    with connected_device(connected_phone) as device:
        width, height = device.size
        captioner = _captioner(connected_phone.phone, width, height)
        device.press(Key.HOME)
        runner = Runner(
            device,
            model,
            settings=load_settings({"ocr_policy": "auto", "icons": "auto"}),
            listeners=[events],
            ocr=engine,
            icons=IconFinder(captioner),
        )
        before = (reader.stats.partial, reader.stats.reused)
        result = runner.run("Like the song playing in Tunes")

    assert result.state is FinalState.SUCCEEDED, result.reason
    assert connected_phone.phone.app_state(TUNES)["liked"] == ["Blue Train"]
    tapped = [e.action for e in events.of("action_executed") if e.action["name"] == "tap"]
    assert len(tapped) == 1
    # the player was perceived from pixels: OCR ran and the icons were named
    player = [e for e in events.of("screen_perceived") if e.package == TUNES]
    assert player and all(e.ocr_used and "icons_ms" in e.timings_ms for e in player)
    icons = [el for el in player[0].elements if el.source is Source.ICON]
    assert [el.description for el in icons] == [action for _, action in BUTTONS]
    assert any("Blue Train" in el.text for el in player[0].elements)  # read by OCR
    operator_calls = [c for c in model.calls if "Role: operator" in c.messages[0].text]
    assert any('Icon desc="like"' in m.text for c in operator_calls for m in c.messages)
    # the screens after the tap changed only in a few places: their text was reused
    assert (reader.stats.partial, reader.stats.reused) > before
