"""The live screen: a phone screenshot scaled to fit, its numbered elements, and the last
tap or swipe drawn where it landed.

    frame = decode_frame(event.png, event.elements)        # any thread: decodes and scales
    view.set_frame(frame)                                  # the GUI thread: paints it
    view.set_gesture(gesture_for(action, frame.elements, frame.size))

A screenshot is decoded (and scaled down) where it arrives, on the runner's thread, so the
GUI thread only paints a small image.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageReader,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from mobile_agent.actions.builtin import find_by_label
from mobile_agent.events import Event, ScreenPerceived
from mobile_agent.perception.elements import UIElement

log = logging.getLogger(__name__)

MAX_HEIGHT = 960  # decoded screenshots are scaled down to at most this many pixels high
_BOX = QColor(0, 150, 255, 200)
_TAG = QColor(0, 110, 220, 230)
_GESTURE = QColor(235, 40, 60, 230)
_SCROLL_SPAN = 0.3  # how far a scroll's finger travels, as a share of the scrolled area


@dataclass(frozen=True)
class Frame:
    """One decoded screen: the image (maybe scaled down), the screen's size in device
    pixels, and its elements (bounds in device pixels)."""

    image: QImage
    size: tuple[int, int]
    elements: tuple[UIElement, ...] = ()
    package: str = ""
    step: int = 0
    phase: str = ""


@dataclass(frozen=True)
class Gesture:
    """Where an action touched the screen, in device pixels: a point (tap, long press), a
    path (swipe, scroll) or a box (the field typed into)."""

    kind: str
    start: tuple[int, int]
    end: tuple[int, int] | None = None
    box: tuple[int, int, int, int] | None = None


def decode_frame(
    png: bytes, elements: Sequence[Any] = (), max_height: int = MAX_HEIGHT, **about: Any
) -> Frame | None:
    """The screenshot `png` as a `Frame`, scaled down to `max_height` (None when it cannot be
    decoded); `about` sets `package`, `step` and `phase`. Safe on any thread.

    `QImageReader` decodes at the reduced size and lets other threads run meanwhile
    (`QImage.fromData` would hold the interpreter, stalling the GUI thread)."""
    data = QByteArray(png)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    full = reader.size()
    if full.height() > max_height:
        reader.setScaledSize(full.scaled(10**6, max_height, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull() or not full.isValid():
        if png:
            log.warning(
                "a screenshot of %d bytes could not be decoded: %s", len(png), reader.errorString()
            )
        return None
    shown = tuple(e for e in elements if isinstance(e, UIElement))
    size = (full.width(), full.height())
    return Frame(image.convertToFormat(QImage.Format.Format_RGB32), size, shown, **about)


class FrameDecoder(QObject):
    """A run listener for any thread: decodes each `ScreenPerceived` screenshot where it
    arrives and emits the `Frame` on the GUI thread, in the order of the run's events."""

    frame = Signal(object)  # a Frame
    _relay = Signal(object)

    def __init__(self, parent: QObject | None = None, max_height: int = MAX_HEIGHT) -> None:
        super().__init__(parent)
        self.max_height = max_height
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def __call__(self, event: Event) -> None:
        if not isinstance(event, ScreenPerceived) or not event.png:
            return
        about = {"package": event.package, "step": event.step, "phase": event.phase}
        frame = decode_frame(event.png, event.elements, self.max_height, **about)
        if frame is not None:
            with contextlib.suppress(RuntimeError):  # the view is gone
                self._relay.emit(frame)

    @Slot(object)
    def _deliver(self, frame: Frame) -> None:
        self.frame.emit(frame)


def gesture_for(
    action: Mapping[str, Any], elements: Sequence[UIElement], size: tuple[int, int] = (0, 0)
) -> Gesture | None:
    """Where `action` (an action's `to_dict()`) touched a screen showing `elements`."""
    name, args = str(action.get("name", "")), dict(action.get("args") or {})
    if name in ("tap", "long_press"):
        point = _target_point(args, elements)
        return Gesture(name, point) if point else None
    if name == "swipe":
        try:
            start = (int(args["x1"]), int(args["y1"]))
            return Gesture(name, start, (int(args["x2"]), int(args["y2"])))
        except (KeyError, TypeError, ValueError):
            return None
    if name == "scroll":
        return _scroll(args, elements, size)
    if name == "type":
        el = _element(args, elements, field=True)
        if el is None:
            return None
        b = el.bounds
        return Gesture(name, b.center, box=(b.x1, b.y1, b.x2, b.y2))
    return None


def _element(
    args: Mapping[str, Any], elements: Sequence[UIElement], *, field: bool = False
) -> UIElement | None:
    if args.get("element") is not None:
        return next((e for e in elements if e.id == args["element"]), None)
    if args.get("label"):
        return find_by_label(elements, str(args["label"]), field=field)
    return None


def _target_point(args: Mapping[str, Any], elements: Sequence[UIElement]) -> tuple[int, int] | None:
    el = _element(args, elements)
    if el is not None:
        return el.bounds.center
    if args.get("x") is not None and args.get("y") is not None:
        return int(args["x"]), int(args["y"])
    return None


def _scroll(
    args: Mapping[str, Any], elements: Sequence[UIElement], size: tuple[int, int]
) -> Gesture | None:
    el = _element(args, elements)
    if el is not None:
        (cx, cy), w, h = el.bounds.center, el.bounds.width, el.bounds.height
    elif size[0] and size[1]:
        (cx, cy), (w, h) = (size[0] // 2, size[1] // 2), size
    else:
        return None
    direction = args.get("direction", "down")
    direction = str(direction.value if isinstance(direction, Enum) else direction)
    dx, dy = int(w * _SCROLL_SPAN), int(h * _SCROLL_SPAN)
    moves = {  # the finger moves against the content it reveals
        "down": ((cx, cy + dy), (cx, cy - dy)),
        "up": ((cx, cy - dy), (cx, cy + dy)),
        "right": ((cx + dx, cy), (cx - dx, cy)),
        "left": ((cx - dx, cy), (cx + dx, cy)),
    }
    if direction not in moves:
        return None
    start, end = moves[direction]
    return Gesture("scroll", start, end)


class ScreenView(QWidget):
    """Paints a `Frame` scaled to fit, with numbered element boxes and the last gesture."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frame: Frame | None = None
        self.gesture: Gesture | None = None
        self.show_elements = True
        self.placeholder = "No screen yet"
        self.setMinimumSize(180, 320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(360, 720)

    def set_frame(self, frame: Frame | None) -> None:
        """Show `frame` (None: the placeholder)."""
        self.frame = frame
        self.update()

    def set_gesture(self, gesture: Gesture | None) -> None:
        """Draw `gesture` over the screen (None: none)."""
        self.gesture = gesture
        self.update()

    def set_show_elements(self, show: bool) -> None:
        """Whether to draw the numbered element boxes."""
        self.show_elements = show
        self.update()

    def target_rect(self) -> QRectF:
        """Where the screenshot is painted: the widget's rectangle, keeping its aspect."""
        if self.frame is None:
            return QRectF()
        w, h = self.frame.size
        scale = min(self.width() / max(w, 1), self.height() / max(h, 1))
        shown_w, shown_h = w * scale, h * scale
        left, top = (self.width() - shown_w) / 2, (self.height() - shown_h) / 2
        return QRectF(left, top, shown_w, shown_h)

    def to_widget(self, x: float, y: float) -> QPointF:
        """A point in device pixels, in the widget's coordinates."""
        rect = self.target_rect()
        w, h = self.frame.size if self.frame else (1, 1)
        return QPointF(rect.left() + x * rect.width() / w, rect.top() + y * rect.height() / h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), self.palette().window())
        if self.frame is None:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
            painter.end()
            return
        painter.drawImage(self.target_rect(), self.frame.image)
        if self.show_elements:
            self._paint_elements(painter)
        if self.gesture is not None:
            self._paint_gesture(painter, self.gesture)
        painter.end()

    def _box(self, bounds: Sequence[int]) -> QRectF:
        top_left = self.to_widget(bounds[0], bounds[1])
        bottom_right = self.to_widget(bounds[2], bounds[3])
        return QRectF(top_left, bottom_right)

    def _paint_elements(self, painter: QPainter) -> None:
        assert self.frame is not None
        font = QFont(painter.font())
        font.setPixelSize(10)
        font.setBold(True)
        painter.setFont(font)
        for el in self.frame.elements:
            box = self._box(el.bounds.as_list())
            painter.setPen(QPen(_BOX, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box)
            tag = str(el.id)
            tag_rect = QRectF(box.left(), box.top(), 6 + 6 * len(tag), 13)
            painter.fillRect(tag_rect, _TAG)
            painter.setPen(Qt.GlobalColor.white)
            painter.drawText(tag_rect, Qt.AlignmentFlag.AlignCenter, tag)

    def _paint_gesture(self, painter: QPainter, gesture: Gesture) -> None:
        painter.setPen(QPen(_GESTURE, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if gesture.box is not None:
            painter.drawRect(self._box(gesture.box))
        start = self.to_widget(*gesture.start)
        if gesture.end is None:
            radius = 14 if gesture.kind == "long_press" else 10
            painter.drawEllipse(start, radius, radius)
            painter.setBrush(_GESTURE)
            painter.drawEllipse(start, 3, 3)
            return
        end = self.to_widget(*gesture.end)
        painter.drawLine(start, end)
        painter.setBrush(_GESTURE)
        painter.drawEllipse(start, 5, 5)
        painter.drawPolygon(_arrow_head(start, end))


def _arrow_head(start: QPointF, end: QPointF, length: float = 14.0) -> QPolygonF:
    """A triangle at `end` pointing away from `start`."""
    dx, dy = end.x() - start.x(), end.y() - start.y()
    norm = max((dx * dx + dy * dy) ** 0.5, 1e-6)
    ux, uy = dx / norm, dy / norm
    back = QPointF(end.x() - ux * length, end.y() - uy * length)
    side = QPointF(-uy * length / 2, ux * length / 2)
    return QPolygonF([end, back + side, back - side])
