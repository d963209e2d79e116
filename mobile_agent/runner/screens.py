"""From a device capture to the `ScreenView` the prompts show (elements capped)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from mobile_agent.agents.state import ScreenView
from mobile_agent.device.base import Device
from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import UIElement
from mobile_agent.runner.guards import screen_signature

log = logging.getLogger(__name__)


@dataclass
class Capture:
    """A perceived screen and what producing it took."""

    view: ScreenView
    screen: Screen
    elements: list[UIElement]
    ocr_used: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)


class ScreenReader:
    """Captures, settles and perceives the device's screen."""

    def __init__(
        self,
        device: Device,
        *,
        ocr: Any = None,
        ocr_policy: str = "auto",
        max_elements: int = 120,
        settle_max_s: float = 3.0,
        marks: bool = False,
    ) -> None:
        self.device = device
        self.ocr = ocr
        self.ocr_policy = ocr_policy
        self.max_elements = max_elements
        self.settle_max_s = settle_max_s
        self.marks = marks

    def read(self, *, settle: bool = False) -> Capture:
        """The current screen; with `settle`, first wait until it stops changing."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        if settle:
            from mobile_agent.perception import wait_for_settle

            screen = wait_for_settle(self.device.screen, max_wait_s=self.settle_max_s).screen
            timings["settle_ms"] = (time.perf_counter() - started) * 1000
        else:
            screen = self.device.screen()
            timings["capture_ms"] = (time.perf_counter() - started) * 1000
        return self.perceive(screen, timings)

    def perceive(self, screen: Screen, timings: dict[str, float] | None = None) -> Capture:
        """Elements, prompt text and (when wanted) the set-of-marks image of `screen`."""
        from mobile_agent.perception import draw_marks, perceive, render_elements

        timings = dict(timings or {})
        started = time.perf_counter()
        perception = perceive(screen, ocr=self.ocr, ocr_policy=self.ocr_policy)
        elements = list(perception.elements)
        shown = elements[: self.max_elements]
        text = render_elements(shown)
        if len(elements) > len(shown):
            text += f"\n(… {len(elements) - len(shown)} more elements not shown)"
        timings["perceive_ms"] = (time.perf_counter() - started) * 1000
        marks = b""
        if self.marks and screen.png:
            started = time.perf_counter()
            marks = draw_marks(screen.png, shown)
            timings["marks_ms"] = (time.perf_counter() - started) * 1000
        view = ScreenView(
            package=screen.package,
            activity=screen.activity,
            keyboard_shown=screen.keyboard_shown,
            size=(screen.width, screen.height),
            elements=tuple(elements),
            elements_text=text,
            png=screen.png,
            marks_png=marks,
            signature=screen_signature(screen.package, screen.activity, elements),
        )
        return Capture(view, screen, elements, bool(perception.ocr_used), timings)
