"""The HTML report of a run: actions drawn on screenshots, everything escaped, one file."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from memory_device import MemoryDevice
from PIL import Image
from scripted_agents import ElementScript, manager, operator, reflector, with_notes

from mobile_agent.config import Settings
from mobile_agent.memory import RunRecorder, Store
from mobile_agent.memory.drawing import RED, action_marks, draw_action
from mobile_agent.memory.report import run_html
from mobile_agent.runner import RunLimits, Runner

ELEMENTS = [
    {"id": 1, "text": "New note", "description": "", "bounds": [100, 200, 300, 260]},
    {"id": 2, "text": "", "description": "Search", "bounds": [900, 50, 1000, 150]},
]


@pytest.mark.parametrize(
    ("action", "marks"),
    [
        (
            {"name": "tap", "args": {"element": 1}},
            {"box": (100, 200, 300, 260), "point": (200, 230)},
        ),
        (
            {"name": "tap", "args": {"label": "search"}},
            {"box": (900, 50, 1000, 150), "point": (950, 100)},
        ),
        ({"name": "long_press", "args": {"x": 5, "y": 7}}, {"point": (5, 7)}),
        (
            {"name": "swipe", "args": {"x1": 1, "y1": 2, "x2": 3, "y2": 4}},
            {"arrow": ((1, 2), (3, 4))},
        ),
        ({"name": "scroll", "args": {"direction": "down"}}, {"arrow": ((540, 1470), (540, 930))}),
        ({"name": "home", "args": {}}, {}),
        ({"name": "tap", "args": {"element": 99}}, {}),
    ],
)
def test_where_an_action_is_drawn(action: dict, marks: dict) -> None:
    assert action_marks(action, ELEMENTS, (1080, 2400)) == marks


def _png(size: tuple[int, int] = (1080, 2400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format="PNG")
    return out.getvalue()


def test_a_tap_is_drawn_as_a_ring_on_the_element() -> None:
    drawn = Image.open(
        io.BytesIO(draw_action(_png(), {"name": "tap", "args": {"element": 1}}, ELEMENTS))
    )
    assert drawn.getpixel((100, 230)) == RED  # the element's box
    assert drawn.getpixel((200, 230)) == (255, 255, 255)  # the ring leaves the point itself clear
    assert draw_action(_png(), {"name": "home"}, ELEMENTS) == _png()


def _recorded_run(store: Store, data_dir: Path, task: str) -> str:
    script = [
        manager("Open Notes"),
        operator("open_app", {"app": "Notes"}, "open <Notes> & look"),
        reflector(),
        operator("finish"),
    ]
    runner = Runner(
        MemoryDevice(),
        ElementScript(with_notes(script)),
        settings=Settings.model_validate({"ocr_policy": "never", "agent_images": []}),
        limits=RunLimits(settle_max_s=0.0),
        listeners=[RunRecorder(store, data_dir)],
    )
    runner.run(task)
    return runner.run_id


def test_the_report_holds_each_step_with_its_screens(store: Store, tmp_path: Path) -> None:
    run_id = _recorded_run(store, tmp_path, "Open Notes <script>alert(1)</script>")
    page = run_html(store, run_id[:6])  # a prefix of the id is enough
    assert "<script>" not in page
    assert "Open Notes &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "open &lt;Notes&gt; &amp; look" in page
    assert page.count("<h2>Step ") == 2
    images = re.findall(r"src='data:image/jpeg;base64,([^']+)'", page)
    assert len(images) >= 2
    first = Image.open(io.BytesIO(base64.b64decode(images[0])))
    assert first.size == (360, 800)  # scaled down from 1080×2400
    assert "Role: operator" in page  # the prompts are there
    assert "src='http" not in page and "href=" not in page  # nothing outside the file
