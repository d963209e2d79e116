"""The observe phase: capture the device's screen (after it settles, when asked) and
perceive it into an `Observation`. It emits nothing; the runner reports what it returns."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from mobile_agent.device.base import Device
from mobile_agent.llm.base import ChatModel, Image, Message, Role
from mobile_agent.perception.captioners import Ask
from mobile_agent.perception.observation import DEFAULT_MAX_ELEMENTS, Observation, observe_screen
from mobile_agent.perception.pipeline import IconFinder, make_icon_finder
from mobile_agent.perception.settle import wait_for_settle


@dataclass(frozen=True)
class Observer:
    """How a run looks at its device: OCR engine and policy, prompt size, settle bound."""

    device: Device
    ocr: Any = None
    ocr_policy: str = "auto"
    max_elements: int = DEFAULT_MAX_ELEMENTS
    settle_max_s: float = 3.0
    marks: bool = False
    icons: Any = None  # an `IconFinder`, when icons are looked for

    def __call__(self, *, settle: bool = False) -> Observation:
        """The current screen; with `settle`, first wait until it stops changing."""
        started = time.perf_counter()
        if settle:
            screen = wait_for_settle(self.device.screen, max_wait_s=self.settle_max_s).screen
            waited = {"settle_ms": (time.perf_counter() - started) * 1000}
        else:
            screen = self.device.screen()
            waited = {"capture_ms": (time.perf_counter() - started) * 1000}
        seen = observe_screen(
            screen,
            ocr=self.ocr,
            ocr_policy=self.ocr_policy,
            max_elements=self.max_elements,
            marks=self.marks,
            icons=self.icons,
        )
        return replace(seen, timings_ms=waited | seen.timings_ms)

    def settled(self) -> Observation:
        """The screen once it has settled (what an action's effect is judged on)."""
        return self(settle=True)


def model_asker(model: ChatModel) -> Ask:
    """An `Ask` for captioners: one user message with the images, the reply's text."""

    def ask(prompt: str, images: Sequence[bytes]) -> str:
        message = Message(Role.USER, prompt, tuple(Image(png) for png in images))
        return model.complete([message]).text

    return ask


def icon_finder(settings: Any, model: ChatModel) -> IconFinder | None:
    """The icon finder the settings (`icons`, `icon_captioner`, `icons_thin_labels`) ask
    for, naming icons with `model` when the captioner is "model"."""
    return make_icon_finder(
        settings.icons,
        settings.icon_captioner,
        settings.icons_thin_labels,
        model_asker(model),
        getattr(model, "name", "model"),
    )


def perceived(seen: Observation) -> dict[str, Any]:
    """The fields of a `ScreenPerceived` event for `seen` (besides its phase)."""
    return {
        "package": seen.package,
        "activity": seen.activity,
        "element_count": len(seen.elements),
        "ocr_used": seen.ocr_used,
        "timings_ms": seen.timings_ms,
        "png": seen.png,
        "elements": seen.elements,
        "hierarchy_xml": seen.screen.hierarchy_xml,
    }
