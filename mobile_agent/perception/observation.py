"""One perceived screen: the capture's artifacts and the numbered elements made from them.

`observe_screen` is the pure half of the step's observe phase (the device's capture is the
other half): a `Screen` in, an `Observation` out. Every later phase — the agents' prompts,
the loop detector, shortcut replay, the events — reads this one type.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from mobile_agent.perception.artifacts import Screen
from mobile_agent.perception.elements import UIElement
from mobile_agent.perception.marks import draw_marks
from mobile_agent.perception.ocr import OcrEngine
from mobile_agent.perception.pipeline import IconFinder, perceive
from mobile_agent.perception.render import render_elements
from mobile_agent.perception.signature import screen_signature
from mobile_agent.perception.system_ui import SystemUI, split_system_ui

DEFAULT_MAX_ELEMENTS = 120  # elements shown in one prompt


@dataclass(frozen=True)
class Observation:
    """A capture and what perception made of it."""

    screen: Screen = field(repr=False)
    elements: tuple[UIElement, ...] = ()
    elements_text: str = ""  # the numbered elements for prompts, already capped
    marks_png: bytes = field(default=b"", repr=False)  # set-of-marks overlay, when drawn
    signature: str = ""  # equal for screens that look the same
    ocr_used: bool = False
    system: SystemUI = field(default_factory=SystemUI)  # the keyboard and bars, left out
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def package(self) -> str:
        return self.screen.package

    @property
    def activity(self) -> str:
        return self.screen.activity

    @property
    def keyboard_shown(self) -> bool:
        return self.screen.keyboard_shown

    @property
    def size(self) -> tuple[int, int]:
        return (self.screen.width, self.screen.height)

    @property
    def png(self) -> bytes:
        return self.screen.png

    def element(self, number: int) -> UIElement | None:
        """The element with this number, if it is on the screen."""
        return next((el for el in self.elements if el.id == number), None)

    @property
    def keyboard(self) -> bool:
        """Whether a keyboard is on screen (reported by the device or seen in the dump)."""
        return self.keyboard_shown or self.system.keyboard_keys > 0

    @property
    def focused(self) -> UIElement | None:
        """The text field that has the focus, if one does."""
        return next((el for el in self.elements if el.focused and el.editable), None)


def observe_screen(
    screen: Screen,
    *,
    ocr: OcrEngine | None = None,
    ocr_policy: str = "auto",
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    marks: bool = False,
    icons: IconFinder | None = None,
) -> Observation:
    """Elements, their prompt text, the signature and (with `marks`) the set-of-marks image.

    The keyboard's keys and the system bars are left out of the elements and summarised in
    `Observation.system` (see `perception.system_ui`). `icons` finds and names the icons
    nothing else explains (see `perception.pipeline.IconFinder`).
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    perception = perceive(screen, ocr=ocr, ocr_policy=ocr_policy, icons=icons)
    listed, system = split_system_ui(perception.elements, (screen.width, screen.height))
    elements = tuple(listed)
    shown = list(elements[:max_elements])
    text = render_elements(shown)
    if len(elements) > len(shown):
        text += f"\n(… {len(elements) - len(shown)} more elements not shown)"
    timings["perceive_ms"] = _ms(started)
    timings.update({f"{stage}_ms": ms for stage, ms in perception.timings_ms.items()})
    overlay = b""
    if marks and screen.png:
        started = time.perf_counter()
        overlay = draw_marks(screen.png, shown)
        timings["marks_ms"] = _ms(started)
    return Observation(
        screen=screen,
        elements=elements,
        elements_text=text,
        marks_png=overlay,
        signature=screen_signature(screen),
        ocr_used=bool(perception.ocr_used),
        system=system,
        timings_ms=timings,
    )


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
