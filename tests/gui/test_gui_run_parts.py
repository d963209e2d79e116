"""The parts of the Run tab on their own: where a gesture is drawn, how a screenshot is
decoded and painted, the timeline and the meter fed with events, and the loop probe of
`mobile-agent bench gui`."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QPointF, QTimer
from PySide6.QtGui import QColor, QImage

from mobile_agent.bench.gui_loop import table
from mobile_agent.events import (
    ActionChosen,
    ActionExecuted,
    FinalState,
    ModelCalled,
    NotesUpdated,
    PlanUpdated,
    Reflected,
    RunFinished,
    RunResult,
    RunStarted,
    StepFailed,
    StepFinished,
    StepStarted,
)
from mobile_agent.gui.loop_probe import LoopProbe, percentile
from mobile_agent.gui.meter import Meter
from mobile_agent.gui.screen_view import Frame, Gesture, ScreenView, decode_frame, gesture_for
from mobile_agent.gui.timeline import Timeline
from mobile_agent.llm.base import Usage
from mobile_agent.perception.elements import BoundingBox, UIElement

pytestmark = pytest.mark.gui

SAVE = UIElement(3, BoundingBox(900, 100, 1000, 200), text="Save", clickable=True)
TITLE = UIElement(4, BoundingBox(50, 300, 1030, 400), text="", description="Title", editable=True)
LIST = UIElement(5, BoundingBox(0, 500, 1080, 2000), scrollable=True)
ELEMENTS = (SAVE, TITLE, LIST)


def png(width: int, height: int, color: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


# -- where gestures land ----------------------------------------------------------------------


def test_a_tap_lands_on_its_element_by_number_label_or_point() -> None:
    assert gesture_for({"name": "tap", "args": {"element": 3}}, ELEMENTS) == Gesture(
        "tap", (950, 150)
    )
    by_label = gesture_for({"name": "long_press", "args": {"label": "Save"}}, ELEMENTS)
    assert by_label == Gesture("long_press", (950, 150))
    assert gesture_for({"name": "tap", "args": {"x": 7, "y": 9}}, ELEMENTS) == Gesture(
        "tap", (7, 9)
    )
    assert gesture_for({"name": "tap", "args": {"element": 99}}, ELEMENTS) is None


def test_swipes_and_scrolls_are_paths_and_typing_marks_the_field() -> None:
    swipe = {"name": "swipe", "args": {"x1": 10, "y1": 20, "x2": 30, "y2": 40}}
    assert gesture_for(swipe, ELEMENTS) == Gesture("swipe", (10, 20), (30, 40))
    down = gesture_for({"name": "scroll", "args": {"direction": "down", "element": 5}}, ELEMENTS)
    assert down is not None and down.end is not None
    assert down.start[1] > down.end[1]  # the finger moves up to show what is further down
    whole = gesture_for({"name": "scroll", "args": {"direction": "left"}}, (), (1080, 2400))
    assert whole is not None and whole.end is not None and whole.start[0] < whole.end[0]
    typed = gesture_for({"name": "type", "args": {"label": "Title", "text": "x"}}, ELEMENTS)
    assert typed is not None and typed.box == (50, 300, 1030, 400)
    assert gesture_for({"name": "open_app", "args": {"app": "Notes"}}, ELEMENTS) is None
    assert gesture_for({"name": "scroll", "args": {"direction": "up"}}, ()) is None  # no size


# -- decoding and painting --------------------------------------------------------------------


def test_a_screenshot_is_decoded_scaled_down_with_its_real_size(qapp: Any) -> None:
    frame = decode_frame(png(1080, 2400), ELEMENTS, step=2, phase="after")
    assert frame is not None
    assert frame.size == (1080, 2400)
    assert (frame.image.width(), frame.image.height()) == (432, 960)
    assert frame.elements == ELEMENTS and (frame.step, frame.phase) == (2, "after")
    small = decode_frame(png(100, 200))
    assert small is not None and small.image.height() == 200
    assert decode_frame(b"not a png") is None


def _color_near(image: QImage, point: QPointF, *, blue: bool = False) -> QColor:
    """The most red (or blue) pixel within a pixel of `point` (antialiasing spreads lines)."""
    x, y = round(point.x()), round(point.y())
    pixels = [image.pixelColor(x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    if blue:
        return max(pixels, key=lambda c: c.blue() - c.red())
    return max(pixels, key=lambda c: c.red() - c.green())


def test_the_view_paints_the_screen_the_boxes_and_the_tap(qtbot: Any) -> None:
    view = ScreenView()
    qtbot.addWidget(view)
    view.resize(300, 600)
    frame = decode_frame(png(1080, 2400, "white"), ELEMENTS)
    assert frame is not None
    view.set_frame(frame)
    view.set_gesture(Gesture("tap", (540, 1200)))
    shot = view.grab().toImage()
    rect = view.target_rect()
    assert rect.height() == pytest.approx(600) and rect.width() == pytest.approx(270)
    center = view.to_widget(540, 1200)
    ring = _color_near(shot, QPointF(center.x() + 10, center.y()))
    assert ring.red() > 180 and ring.green() < 120  # the tap's red ring
    inside = shot.pixelColor(round(center.x() + 5), round(center.y()))
    assert inside.red() > 200 and inside.green() > 200  # the white screen within the ring
    box_edge = view.to_widget(900, 180)  # the Save element's left edge
    edge = _color_near(shot, QPointF(box_edge.x(), box_edge.y()), blue=True)
    assert edge.blue() > edge.red() + 40  # a blue element box
    view.set_gesture(None)
    plain = view.grab().toImage()
    assert _color_near(plain, QPointF(center.x() + 10, center.y())).green() > 200


def test_without_a_frame_the_view_says_so(qtbot: Any) -> None:
    view = ScreenView()
    qtbot.addWidget(view)
    assert view.frame is None and view.target_rect().isEmpty()
    view.set_frame(Frame(QImage(10, 20, QImage.Format.Format_RGB32), (10, 20)))
    assert not view.target_rect().isEmpty()


# -- the timeline and the meter ----------------------------------------------------------------

RUN = "r1"
PLAN = ("Open Notes", "Write the note")


def _events() -> list[Any]:
    usage = Usage(1000, 50, 0.0125)
    summary = RunResult(
        state=FinalState.FAILED,
        reason="2 failed steps in a row",
        steps=2,
        model_calls=4,
        usage=Usage(4000, 200, 0.05),
        elapsed_s=12.5,
    )
    tap = {"name": "tap", "args": {"label": "New note"}}
    return [
        RunStarted(run_id=RUN, task="Write a note", device="emulator-5554"),
        StepStarted(run_id=RUN, step=1),
        ModelCalled(run_id=RUN, step=1, agent="manager", model="m", usage=usage, latency_s=1),
        PlanUpdated(run_id=RUN, step=1, plan=PLAN, current_subgoal="Write the note"),
        ActionChosen(run_id=RUN, step=1, action=tap, thought="the + button", description="new"),
        ActionExecuted(run_id=RUN, step=1, action=tap, ok=True, summary='tapped [7] "New note"'),
        Reflected(run_id=RUN, step=1, outcome="no_change", feedback="nothing happened"),
        NotesUpdated(run_id=RUN, step=1, notes="title: Groceries"),
        StepFinished(run_id=RUN, step=1, action=tap, outcome="no_change"),
        StepStarted(run_id=RUN, step=2),
        ModelCalled(run_id=RUN, step=2, agent="operator", model="m", usage=usage, latency_s=1),
        StepFailed(run_id=RUN, step=2, phase="operator", reason="no usable reply"),
        StepFinished(run_id=RUN, step=2, action=None, outcome="failed"),
        RunFinished(run_id=RUN, step=2, state=FinalState.FAILED, summary=summary),
    ]


def test_the_timeline_shows_plan_steps_verdicts_notes_and_failures(qtbot: Any) -> None:
    timeline = Timeline()
    qtbot.addWidget(timeline)
    for event in _events():
        timeline.on_event(event)
    rows = timeline.rows()
    assert timeline.step_count() == 2
    assert rows[0] == "Task: Write a note (on emulator-5554)"
    assert rows[1] == "Step 1: tap(label='New note') — new"
    assert rows[2:] == [
        "Subgoal: Write the note",
        "Thought: the + button",
        'Did: tapped [7] "New note"',
        "Verdict: no_change — nothing happened",
        "Notes: title: Groceries",
        "Step 2",
        "Failed (operator): no usable reply",
        "Run failed: 2 failed steps in a row",
    ]
    assert "<b>▶ 2. Write the note</b>" in timeline.plan_label.text()
    timeline.on_event(RunStarted(run_id="r2", task="Again", device="x"))
    assert timeline.step_count() == 0 and timeline.rows() == ["Task: Again (on x)"]


def test_the_meter_counts_calls_as_they_come_and_takes_the_final_summary(qtbot: Any) -> None:
    meter = Meter()
    qtbot.addWidget(meter)
    events = _events()
    for event in events[:11]:  # up to the second model call
        meter.on_event(event)
    assert meter.text("steps") == "2"
    assert meter.text("calls") == "2"
    assert meter.text("tokens") == "2,000 in / 100 out"
    assert meter.text("cost") == "$0.0250"
    qtbot.waitUntil(lambda: meter.text("time") != "0.0 s", timeout=2000)  # the clock ticks
    for event in events[11:]:
        meter.on_event(event)
    assert meter.text("calls") == "4" and meter.text("time") == "12.5 s"
    assert meter.text("tokens") == "4,000 in / 200 out" and meter.text("cost") == "$0.0500"


# -- the loop probe of `bench gui` -------------------------------------------------------------


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 99) == 0.0
    assert percentile(list(range(1, 101)), 99) == 99
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0


def test_the_probe_sees_the_gui_thread_blocked(qtbot: Any) -> None:
    probe = LoopProbe(5)
    probe.start()
    qtbot.wait(100)
    QTimer.singleShot(0, lambda: time.sleep(0.2))  # the GUI thread blocked for 200 ms
    qtbot.wait(200)
    probe.stop()
    stats = probe.stats()
    assert stats.longest_stall_ms >= 195
    assert stats.max_late_ms >= 190
    assert stats.ticks >= 10 and stats.p50_late_ms < 20


def test_the_bench_table_says_when_the_p99_misses_the_target() -> None:
    data = {
        "runs": ["succeeded"],
        "events": 59,
        "frames": 6,
        "ticks": 1000,
        "duration_s": 6.0,
        "interval_ms": 5,
        "p50_late_ms": 0.2,
        "p99_late_ms": 12.0,
        "max_late_ms": 80.0,
        "longest_stall_ms": 85.0,
        "target_p99_ms": 50.0,
    }
    assert "12.0 ms (within the target of 50 ms)" in table(data)
    assert "85.0 ms between two ticks" in table(data)
    assert "(OVER the target" in table({**data, "p99_late_ms": 51.0})
