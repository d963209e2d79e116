"""OCR per step of a multi-step task, with and without reuse (part of `bench perception`).

The task plays a song's controls in Tunes (a canvas app), opens a note and scrolls
Contacts: steps that change a line, a whole screen or a scrolled list. After each step the
settled screenshot is read twice from a cold cache: whole (as without reuse) and by the
reusing reader, which compares it with the previous step's. Both are scored against the
strings the virtual phone drew (label recall).
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from mobile_agent.device import AndroidDevice, Direction, Key, Screen

log = logging.getLogger(__name__)

TUNES = "com.example.tunes"
_BUTTON_ROW_Y = 1203  # the player's icon buttons (on a 1080 x 2400 screen)
_BUTTON_X = {"replay": 147, "like": 343, "add": 541, "remove": 741, "settings": 939}


@dataclass
class ReuseStep:
    """OCR of one step's screenshot, whole and with reuse."""

    name: str
    full_ms: float
    reuse_ms: float
    share_read: float  # of the screenshot's pixels, by the reusing reader
    truth: int
    found_full: int
    found_reuse: int


def _steps(
    device: AndroidDevice, open_first: Callable[[str], object]
) -> Iterator[tuple[str, Callable[[], object]]]:
    """The task: (step name, action); `open_first(package)` taps the app's first list row."""
    width, height = device.size
    scale_x, scale_y = width / 1080, height / 2400

    def button(name: str) -> None:
        device.tap(round(_BUTTON_X[name] * scale_x), round(_BUTTON_ROW_Y * scale_y))

    yield "home", partial(device.press, Key.HOME)
    yield "open Tunes", partial(device.open_app, TUNES)
    for name in ("replay", "replay", "like", "add", "settings", "remove"):
        yield f"Tunes: {name}", partial(button, name)
    yield "open Notes", partial(device.open_app, "com.example.notes")
    yield "Notes: open a note", partial(open_first, "com.example.notes")
    yield "Notes: back", partial(device.press, Key.BACK)
    yield "open Contacts", partial(device.open_app, "com.example.contacts")
    yield "Contacts: scroll", partial(device.scroll, Direction.DOWN)
    yield "Contacts: scroll", partial(device.scroll, Direction.DOWN)
    yield "back to Tunes", partial(device.open_app, TUNES)
    yield "Tunes: like", partial(button, "like")


def measure(
    device: AndroidDevice,
    phone: Any,
    settle: Callable[[], Screen],
    score: Callable[[list[tuple[str, bool]], list[str]], int],
    truth: Callable[[Any, Screen], list[tuple[str, bool]]],
    open_first: Callable[[str], object],
) -> list[ReuseStep]:
    """Run the task; OCR every settled step whole and with reuse."""
    from mobile_agent.perception.ocr import RapidOcrEngine
    from mobile_agent.perception.ocr_reuse import ReusingOcr

    engine = RapidOcrEngine()
    reader = ReusingOcr(engine)
    engine.recognize(device.screenshot_png())  # load the models outside the timings
    steps: list[ReuseStep] = []
    for name, action in _steps(device, open_first):
        action()
        screen = settle()
        engine.forget()
        full, full_ms = _timed(partial(engine.recognize, screen.png))
        engine.forget()
        before = reader.stats.pixels_read
        reused, reuse_ms = _timed(partial(reader.recognize, screen.png))
        share = (reader.stats.pixels_read - before) / max(1, screen.width * screen.height)
        expected = truth(phone, screen)
        steps.append(
            ReuseStep(
                name,
                full_ms,
                reuse_ms,
                share,
                len(expected),
                score(expected, [b.text for b in full]),
                score(expected, [b.text for b in reused]),
            )
        )
        log.info("OCR reuse step %d: %s", len(steps), name)
    return steps


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - started) * 1000


def summarise(steps: list[ReuseStep]) -> dict[str, Any]:
    """The JSON part of the report: per-step times, medians, totals, ratio and recall."""
    truth = sum(s.truth for s in steps)
    full = [s.full_ms for s in steps]
    reuse = [s.reuse_ms for s in steps]
    return {
        "steps": [
            {
                "name": s.name,
                "full_ms": round(s.full_ms, 1),
                "reuse_ms": round(s.reuse_ms, 1),
                "share_read": round(s.share_read, 3),
            }
            for s in steps
        ],
        "full_ms_median": round(statistics.median(full), 1) if full else 0.0,
        "reuse_ms_median": round(statistics.median(reuse), 1) if reuse else 0.0,
        "full_ms_total": round(sum(full), 1),
        "reuse_ms_total": round(sum(reuse), 1),
        "ratio_total": round(sum(full) / sum(reuse), 2) if sum(reuse) > 0 else 0.0,
        "truth_strings": truth,
        "recall_full": round(sum(s.found_full for s in steps) / truth, 4) if truth else None,
        "recall_reuse": round(sum(s.found_reuse for s in steps) / truth, 4) if truth else None,
    }


def table(report: dict[str, Any]) -> str:
    """The per-step table, full and reused side by side."""
    lines = [
        f"OCR per step of a {len(report['steps'])}-step task, without and with reuse",
        "",
        f"{'step':24} {'whole ms':>9} {'reuse ms':>9} {'read':>6} {'whole/reuse':>12}",
    ]
    for s in report["steps"]:
        ratio = s["full_ms"] / s["reuse_ms"] if s["reuse_ms"] > 0 else 0.0
        lines.append(
            f"{s['name']:24} {s['full_ms']:>9.1f} {s['reuse_ms']:>9.1f} "
            f"{s['share_read']:>6.0%} {ratio:>11.1f}x"
        )
    lines += [
        f"{'median':24} {report['full_ms_median']:>9.1f} {report['reuse_ms_median']:>9.1f}",
        f"{'total':24} {report['full_ms_total']:>9.1f} {report['reuse_ms_total']:>9.1f} "
        f"{'':>6} {report['ratio_total']:>11.1f}x",
    ]
    if report["recall_full"] is not None:
        lines.append(
            f"label recall of {report['truth_strings']} drawn strings: whole "
            f"{report['recall_full']:.1%}, with reuse {report['recall_reuse']:.1%}"
        )
    return "\n".join(lines)
