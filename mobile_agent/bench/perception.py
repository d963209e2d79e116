"""`mobile-agent bench perception`: how fast and how well a screen becomes elements.

Tours ≥ 30 distinct screens (every app, scrolled lists, sub-screens, the keyboard, the
notification shade, recents, a web page) and prints per-stage medians: capture, parse,
OCR, settle-after-action, and OCR recall against the virtual phone's ground truth (every
string it drew, including text that only a web view draws). Beside it, the naive pattern
of the paper's reference controller: `adb shell screencap` to a file + `adb pull`,
`uiautomator dump` + `adb pull` (one adb process each), and a fixed sleep after every
action. It also measures the uiautomator2 RPC round trip with and without TCP_NODELAY,
and both screenshot paths. Numbers are printed, nothing is asserted; a progress bar on
stderr follows the tour.
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import statistics
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from mobile_agent.bench.common import Advance, free_port, private_adb_server, progress
from mobile_agent.device import AndroidDevice, Direction, Key, Screen, connect
from mobile_agent.errors import DeviceError
from mobile_agent.perception import RawNode, load_hierarchy, screen_signature

log = logging.getLogger(__name__)

DEFAULT_SCREENS = 30
NAIVE_SLEEP_S = 3.0  # the reference controller sleeps 3-10 s after actions; its shortest
_SYSTEM_PACKAGES = ("com.android.systemui", "com.google.android.inputmethod")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `mobile-agent bench perception`."""
    parser.add_argument(
        "--device", help="serial of an attached device (default: a private virtual phone)"
    )
    parser.add_argument(
        "--screens", type=int, default=DEFAULT_SCREENS, help="distinct screens to visit"
    )
    parser.add_argument("--no-ocr", action="store_true", help="skip OCR (and recall)")
    parser.add_argument(
        "--naive-sleep",
        type=float,
        default=NAIVE_SLEEP_S,
        help="the naive pattern's fixed wait after an action, in s (added, not slept)",
    )
    parser.add_argument(
        "--reuse-only",
        action="store_true",
        help="only OCR per step of a multi-step task, with and without reuse",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


@dataclass
class Sample:
    """Measurements of one distinct screen."""

    name: str
    capture_ms: float
    settle_ms: float
    parse_ms: float = 0.0
    ocr_ms: float = 0.0
    naive_capture_ms: float = 0.0
    truth: int = 0
    found: int = 0
    drawn_only_truth: int = 0
    drawn_only_found: int = 0
    parts_ms: dict[str, float] = field(default_factory=dict)


# -- the phone ------------------------------------------------------------------------


@contextmanager
def _phone(serial: str | None) -> Iterator[tuple[AndroidDevice, Any]]:
    """The device to measure and, for the virtual phone, its model (the ground truth)."""
    if serial:
        with connect(serial) as device:
            yield device, None
        return
    from virtual_phone.server import VirtualPhoneServer

    with (
        private_adb_server(),
        VirtualPhoneServer(port=free_port(), seed=0) as server,
        connect(server.serial) as device,
    ):
        yield device, server.phone


# -- the tour -------------------------------------------------------------------------


def _nodes(xml: str) -> list[RawNode]:
    return list(load_hierarchy(xml).nodes())


def _bounds(node: RawNode) -> tuple[int, int, int, int]:
    return node.rect or (0, 0, 0, 0)


def _signature(screen: Screen, phone: Any) -> tuple[Any, ...]:
    """What makes two screens the same: their `screen_signature` and, on the virtual phone,
    the text that is only drawn (a web page)."""
    drawn = (
        tuple(t.text for t in phone.screen_texts() if not t.reported) if phone is not None else ()
    )
    return screen_signature(screen), drawn


def _tap_nth(
    device: AndroidDevice,
    package: str,
    want: Callable[[RawNode], bool],
    n: int = 0,
    *,
    long: bool = False,
) -> bool:
    """Tap (or long-press) the n-th node of `package` that `want` accepts; False if none."""
    matches = [
        node
        for node in _nodes(device.hierarchy_xml())
        if node.get("package") == package and want(node)
    ]
    if len(matches) <= n:
        return False
    left, top, right, bottom = _bounds(matches[n])
    x, y = (left + right) // 2, (top + bottom) // 2
    if long:
        device.long_press(x, y)
    else:
        device.tap(x, y)
    return True


def _is_item(node: RawNode) -> bool:
    """A clickable list row or button below the app bar (not a text field)."""
    top = _bounds(node)[1]
    return node.flag("clickable") and "Edit" not in node.class_name and top > 480


def _is_field(node: RawNode) -> bool:
    return "EditText" in node.class_name


Step = tuple[str, Callable[[], object]]


def _tour(device: AndroidDevice) -> Iterator[list[Step]]:
    """Groups of (screen name, action). An action that finds nothing to do returns False,
    and the rest of its group is skipped, as when a group's first action fails."""
    yield [("home", lambda: device.press(Key.HOME))]
    for app in device.installed_apps():
        if app.package.startswith(("com.android.launcher", *_SYSTEM_PACKAGES)):
            continue
        name, package = app.label, app.package
        yield [
            (name, partial(device.open_app, package)),
            (f"{name}: scrolled", partial(device.scroll, Direction.DOWN)),
            (f"{name}: scrolled further", partial(device.scroll, Direction.DOWN)),
            (f"{name}: top", partial(device.scroll, Direction.UP, 0.6)),
        ]
        for n in range(3):
            yield [
                (f"{name}: item {n + 1}", partial(_tap_nth, device, package, _is_item, n)),
                (f"{name}: item {n + 1} scrolled", partial(device.scroll, Direction.DOWN)),
                (f"{name}: back from item {n + 1}", partial(device.press, Key.BACK)),
            ]
        yield [
            (f"{name}: long press", partial(_tap_nth, device, package, _is_item, 0, long=True)),
            (f"{name}: after long press", partial(device.press, Key.BACK)),
        ]
        yield [
            (f"{name}: keyboard", partial(_tap_nth, device, package, _is_field)),
            (f"{name}: typed", partial(device.type_text, "a")),
            (f"{name}: submitted", partial(device.press, Key.ENTER)),
            (f"{name}: home", partial(device.press, Key.HOME)),
        ]
    width, _ = device.size
    yield [
        ("notification shade", lambda: device.swipe(width // 2, 5, width // 2, 1400)),
        ("quick settings", lambda: device.swipe(width // 2, 400, width // 2, 1600)),
        ("shade closed", lambda: device.press(Key.BACK)),
        ("recents", lambda: device.press(Key.APP_SWITCH)),
        ("recents closed", lambda: device.press(Key.HOME)),
    ]


# -- the naive pattern ------------------------------------------------------------------


def _naive_capture(serial: str, workdir: Path) -> tuple[bytes, str]:
    """Capture the way the reference controller does: four adb processes, two files."""
    from adbutils import adb_path

    adb = [adb_path(), "-s", serial]
    png, xml = workdir / "screenshot.png", workdir / "ui.xml"
    for args in (
        ["shell", "rm -f /sdcard/screenshot.png; screencap -p /sdcard/screenshot.png"],
        ["pull", "/sdcard/screenshot.png", str(png)],
        ["shell", "uiautomator dump /sdcard/ui.xml"],
        ["pull", "/sdcard/ui.xml", str(xml)],
    ):
        subprocess.run([*adb, *args], capture_output=True, timeout=60, check=True)
    return png.read_bytes(), xml.read_text(encoding="utf-8")


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - started) * 1000


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    return statistics.median(_timed(fn)[1] for _ in range(repeat))


def _transport_costs(device: AndroidDevice, repeat: int = 15) -> dict[str, float]:
    """RPC round trip with and without TCP_NODELAY; both screenshot paths."""
    import uiautomator2 as u2

    from mobile_agent.device.transport import adb_client

    plain = u2.connect(adb_client().device(device.serial))  # sockets as adbutils makes them
    return {
        "rpc_ms_median_nodelay": _median_ms(
            lambda: device.u2.jsonrpc_call("deviceInfo", {}, 10), repeat
        ),
        "rpc_ms_median_nagle": _median_ms(lambda: plain.jsonrpc_call("deviceInfo", {}, 10), repeat),
        "screenshot_ms_median_screencap": _median_ms(device.screenshot_png, repeat),
        "screenshot_ms_median_u2_jpeg_to_png": _median_ms(device.screenshot_png_via_rpc, repeat),
    }


# -- OCR recall -------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _recalled(truth: str, lines: list[str], joined: str) -> bool:
    """A ground-truth string counts as read when OCR produced it (nearly) verbatim."""
    want = _norm(truth)
    if not want or want in joined:
        return True
    return any(difflib.SequenceMatcher(None, want, _norm(line)).ratio() >= 0.8 for line in lines)


# -- measuring --------------------------------------------------------------------------


class _Stages:
    """The perception stages under test (imported when the bench runs)."""

    def __init__(self, with_ocr: bool) -> None:
        from mobile_agent import perception

        self._perception = perception
        self.ocr = perception.get_ocr_engine("rapidocr") if with_ocr else None

    def parse(self, screen: Screen) -> object:
        return self._perception.parse_hierarchy(
            screen.hierarchy_xml, screen_size=(screen.width, screen.height)
        )

    def settle(self, device: AndroidDevice) -> Screen:
        """Wait until the screen stops changing; the settled capture."""
        return self._perception.wait_for_settle(device.screen, max_wait_s=3.0).screen

    def read(self, png: bytes) -> list[str]:
        assert self.ocr is not None
        return [box.text for box in self.ocr.recognize(png)]


def _measure(
    device: AndroidDevice,
    phone: Any,
    stages: _Stages,
    name: str,
    screen: Screen,
    settle_ms: float,
    workdir: Path,
) -> Sample:
    """Parse, OCR and compare one captured screen; capture it the naive way too."""
    _, parse_ms = _timed(lambda: stages.parse(screen))
    sample = Sample(
        name,
        screen.timings_ms["total"],
        settle_ms,
        parse_ms=parse_ms,
        parts_ms={k: v for k, v in screen.timings_ms.items() if k != "total"},
    )
    _, sample.naive_capture_ms = _timed(lambda: _naive_capture(device.serial, workdir))
    if stages.ocr is None:
        return sample
    lines, sample.ocr_ms = _timed(lambda: stages.read(screen.png))
    joined = "".join(_norm(line) for line in lines)
    for text, drawn_only in _ground_truth(phone, screen):
        hit = _recalled(text, lines, joined)
        sample.truth += 1
        sample.found += hit
        sample.drawn_only_truth += drawn_only
        sample.drawn_only_found += drawn_only and hit
    return sample


def _ground_truth(phone: Any, screen: Screen) -> list[tuple[str, bool]]:
    """(string, drawn only) pairs: the phone's drawn texts, else the hierarchy's texts."""
    if phone is not None:
        texts = [(t.text, not t.reported) for t in phone.screen_texts()]
    else:
        texts = [(n.get("text"), False) for n in _nodes(screen.hierarchy_xml)]
    return [(text, drawn) for text, drawn in texts if _norm(text)]


def _collect(
    device: AndroidDevice, phone: Any, stages: _Stages, wanted: int, advance: Advance
) -> list[Sample]:
    seen: set[tuple[Any, ...]] = set()
    samples: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="bench-perception-") as tmp:
        for group in _tour(device):
            for index, (name, action) in enumerate(group):
                try:
                    if action() is False:
                        break  # nothing to do here: the rest of the group does not apply
                except DeviceError as exc:
                    log.info("skipping %s: %s", name, exc)
                    if index == 0:
                        break
                    continue
                screen, settle_ms = _timed(lambda: stages.settle(device))
                signature = _signature(screen, phone)
                if signature in seen:
                    continue
                seen.add(signature)
                samples.append(_measure(device, phone, stages, name, screen, settle_ms, Path(tmp)))
                log.info("screen %d: %s", len(samples), name)
                advance(name, 1)
                if len(samples) >= wanted:
                    return samples
    log.warning("visited %d distinct screens, fewer than the %d asked for", len(samples), wanted)
    return samples


# -- report -----------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else 0.0


def summarise(
    samples: list[Sample], naive_sleep_s: float, transport: dict[str, float]
) -> dict[str, Any]:
    """The JSON report of one run."""
    naive_sleep_ms = naive_sleep_s * 1000
    truth = sum(s.truth for s in samples)
    drawn_truth = sum(s.drawn_only_truth for s in samples)
    steps = [s.settle_ms for s in samples]  # settling ends with the capture that is used
    naive_steps = [s.naive_capture_ms + naive_sleep_ms for s in samples]
    report: dict[str, Any] = {
        "screens": len(samples),
        "capture_ms_median": _median([s.capture_ms for s in samples]),
        "capture_parts_ms_median": {
            part: _median([s.parts_ms[part] for s in samples if part in s.parts_ms])
            for part in ("screenshot", "hierarchy", "state")
        },
        "parse_ms_median": _median([s.parse_ms for s in samples]),
        "ocr_ms_median": _median([s.ocr_ms for s in samples if s.truth]),
        "ocr_recall": _share(sum(s.found for s in samples), truth),
        "ocr_recall_drawn_only": _share(sum(s.drawn_only_found for s in samples), drawn_truth),
        "ocr_truth_strings": truth,
        "settle_ms_median": _median([s.settle_ms for s in samples]),
        "step_ms_median": _median(steps),
        "naive_capture_ms_median": _median([s.naive_capture_ms for s in samples]),
        "naive_settle_ms": naive_sleep_ms,
        "naive_step_ms_median": _median(naive_steps),
        "capture_ratio": _ratio(
            [s.naive_capture_ms for s in samples], [s.capture_ms for s in samples]
        ),
        "settle_ratio": _ratio([naive_sleep_ms] * len(samples), [s.settle_ms for s in samples]),
        "step_ratio": _ratio(naive_steps, steps),
        "screen_names": [s.name for s in samples],
    }
    report.update({k: round(v, 1) for k, v in transport.items()})
    return report


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _ratio(naive: list[float], ours: list[float]) -> float:
    """Median over steps of naive time / our time."""
    ratios = [n / o for n, o in zip(naive, ours, strict=True) if o > 0]
    return round(statistics.median(ratios), 1) if ratios else 0.0


def _table(r: dict[str, Any]) -> str:
    parts = " / ".join(f"{v:g}" for v in r["capture_parts_ms_median"].values())
    rows = [
        ("capture (screenshot + hierarchy + state)", r["capture_ms_median"],
         r["naive_capture_ms_median"], r["capture_ratio"]),
        ("  screenshot / hierarchy / state", parts, "", ""),
        ("parse hierarchy", r["parse_ms_median"], "", ""),
        ("OCR (model loaded beforehand)", r["ocr_ms_median"] or "skipped", "", ""),
        ("settle after action", r["settle_ms_median"], r["naive_settle_ms"], r["settle_ratio"]),
        ("step (settle, ending in a capture)", r["step_ms_median"], r["naive_step_ms_median"],
         r["step_ratio"]),
    ]  # fmt: skip
    lines = [f"Perception benchmark: {r['screens']} distinct screens on {r['device']}", ""]
    lines.append(f"{'stage':40} {'median ms':>14} {'naive ms':>9} {'naive/ours':>11}")
    for label, ours, naive, ratio in rows:
        lines.append(f"{label:40} {ours!s:>14} {naive!s:>9} {f'{ratio:g}x' if ratio else '':>11}")
    lines.append("")
    if r["ocr_recall"] is not None:
        lines.append(
            f"OCR recall: {r['ocr_recall']:.1%} of {r['ocr_truth_strings']} strings on screen"
        )
    if r["ocr_recall_drawn_only"] is not None:
        lines.append(
            f"  of them drawn only (absent from the hierarchy): {r['ocr_recall_drawn_only']:.1%}"
        )
    lines += [
        f"uiautomator2 RPC round trip: {r['rpc_ms_median_nodelay']} ms with TCP_NODELAY, "
        f"{r['rpc_ms_median_nagle']} ms without",
        f"screenshot: screencap -p {r['screenshot_ms_median_screencap']} ms, uiautomator2 JPEG "
        f"re-encoded to PNG {r['screenshot_ms_median_u2_jpeg_to_png']} ms",
        f"naive pattern: 4 adb processes per capture; its {r['naive_settle_ms']:g} ms sleep per "
        "action is added, not slept",
    ]
    return "\n".join(lines)


def _score(expected: list[tuple[str, bool]], lines: list[str]) -> int:
    """How many of the expected strings OCR read."""
    joined = "".join(_norm(line) for line in lines)
    return sum(_recalled(text, lines, joined) for text, _ in expected)


def _reuse_report(device: AndroidDevice, phone: Any, stages: _Stages) -> dict[str, Any] | None:
    """OCR per step with and without reuse (the virtual phone only: it has the task's apps)."""
    if phone is None or stages.ocr is None:
        return None
    from mobile_agent.bench import ocr_reuse

    open_first = partial(_tap_nth, device, want=_is_item)
    settle = partial(stages.settle, device)
    steps = ocr_reuse.measure(device, phone, settle, _score, _ground_truth, open_first)
    return ocr_reuse.summarise(steps)


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print its table (or JSON)."""
    from mobile_agent.bench import ocr_reuse

    stages = _Stages(with_ocr=not args.no_ocr)
    wanted = 0 if args.reuse_only else max(1, args.screens)
    report: dict[str, Any] = {}
    with _phone(args.device) as (device, phone), progress(wanted, "starting") as advance:
        kind = "virtual phone, in this process" if phone is not None else "attached device"
        device.press(Key.HOME)
        if wanted:
            advance("RPC and screenshot costs", 0)
            transport = _transport_costs(device)
            if stages.ocr is not None:
                advance("OCR, first call", 0)
                _, transport["ocr_first_call_ms"] = _timed(
                    lambda: stages.read(device.screenshot_png())
                )
            samples = _collect(device, phone, stages, wanted, advance)
            report = summarise(samples, args.naive_sleep, transport)
        advance("OCR with and without reuse", 0)
        reuse = _reuse_report(device, phone, stages)
        where = f"{device.serial} ({kind})"
    report = {"device": where, **report, "ocr_reuse": reuse}
    report["ocr_truth_source"] = (
        "strings the virtual phone drew" if phone is not None else "texts of the hierarchy"
    )
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    parts = [_table(report)] if wanted else []
    parts += [ocr_reuse.table(reuse)] if reuse else []
    print("\n\n".join(parts) or "nothing measured (OCR is off)")
    return 0
