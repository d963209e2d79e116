"""Input: touches, gestures, keys and typing, dispatched to the composed windows.

The input layer holds no phone state of its own beyond a touch in progress: it reads the
composed screen through a `snapshot` callable and acts through the `Navigation` it is given
(the `SystemServer`). It is not thread-safe: the `Phone` calls it under its lock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Protocol

from .props import TYPED, key_name
from .ui.keyboard import KeyboardState
from .ui.views import EditText, ScrollView, SeekBar, View, swipe_target_at
from .windows import Snapshot, Window, scroller_at, target_at

TAP_SLOP = 24
LONG_PRESS_MS = 500
SHADE_EDGE = 80
SWIPE_MIN = 150
BACK_EDGE = 40
Point = tuple[float, float]


class Navigation(Protocol):
    """What the input layer asks of the system."""

    screen_on: bool
    keyboard: KeyboardState

    @property
    def shade(self) -> int: ...
    def set_shade(self, level: int) -> None: ...
    def changed(self) -> None: ...
    def focus(self, field: str, *, show_keyboard: bool) -> None: ...
    def hide_keyboard(self) -> None: ...
    def close_dialog(self) -> None: ...
    def navigate(self, key: str, *, keyboard_up: bool) -> bool: ...


class InputLayer:
    """Touch and key handling over a snapshot of the screen."""

    def __init__(self, system: Navigation, snapshot: Callable[[], Snapshot]) -> None:
        self._system = system
        self._snapshot = snapshot
        self._touch_down: tuple[float, float, float] | None = None  # x, y, monotonic time
        self._touch_moved = False  # the finger left the tap slop (then: after the timeout?)
        self._touch_held = False

    # -- touches ---------------------------------------------------------------------
    def tap(self, x: float, y: float, *, long: bool = False) -> None:
        """A touch at (x, y): a click, or a long click with `long`."""
        if not self._system.screen_on:
            return
        for window in self._snapshot().windows:
            if _inside(window.rect, x, y):
                self._tap_window(window, x, y, long)
                return

    def _tap_window(self, window: Window, x: float, y: float, long: bool) -> None:
        view = target_at(window.root, x, y, long)
        if view is not None:
            self._activate(view, window, x, y, long)
            self._system.changed()
        elif window.name == "dialog":
            card = window.node_root
            if card is not None and not _inside(card.clip, x, y):
                self._system.close_dialog()

    def _activate(self, view: View, window: Window, x: float, y: float, long: bool) -> None:
        if long and view.on_long_click is not None:
            view.on_long_click()
        elif isinstance(view, EditText):
            if window.name in ("app", "dialog"):
                self._system.focus(view.field, show_keyboard=True)
        elif view.on_press is not None:
            view.on_press(int(x), int(y))
        elif view.on_click is not None:
            view.on_click()

    def swipe(self, x1: float, y1: float, x2: float, y2: float, duration_ms: int) -> None:
        """A drag from (x1, y1) to (x2, y2): scrolls lists, pulls the shade, edge-back."""
        if not self._system.screen_on:
            return
        dx, dy = x2 - x1, y2 - y1
        shade = self._system.shade
        if math.hypot(dx, dy) < TAP_SLOP:
            self.tap(x1, y1, long=duration_ms >= LONG_PRESS_MS)
        elif shade and abs(dy) > abs(dx):
            self._shade_gesture(x1, y1, dy)
        elif not shade and y1 < SHADE_EDGE and dy > SWIPE_MIN:
            self._system.set_shade(1)
        elif x1 < BACK_EDGE and dx > SWIPE_MIN and abs(dy) < dx:
            self.press_key("back")
        else:
            self._drag(x1, y1, x2, y2)

    def _shade_gesture(self, x1: float, y1: float, dy: float) -> None:
        if dy < -SWIPE_MIN and not self._drag(x1, y1, x1, y1 + dy):
            self._system.set_shade(0)
        elif dy > SWIPE_MIN and self._system.shade == 1:
            self._system.set_shade(2)
        else:
            self._drag(x1, y1, x1, y1 + dy)

    def _drag(self, x1: float, y1: float, x2: float, y2: float) -> bool:
        for window in self._snapshot().windows:
            if not _inside(window.rect, x1, y1):
                continue
            view = scroller_at(window.root, x1, y1)
            if (
                isinstance(view, SeekBar)
                and view.on_press is not None
                and abs(x2 - x1) > abs(y2 - y1)
            ):
                view.on_press(int(x2), int(y2))
                self._system.changed()
                return True
            if isinstance(view, ScrollView) and self.scroll_by(view, int(y1 - y2)):
                return True
            return self._fling(window.root, x1, y1, x2, y2)
        return False

    def _fling(self, root: View, x1: float, y1: float, x2: float, y2: float) -> bool:
        """A swipe no list took: to the view that handles flings there (drawer, recents)."""
        view = swipe_target_at(root, x1, y1)
        if view is None or view.on_swipe is None or not view.on_swipe(x2 - x1, y2 - y1):
            return False
        self._system.changed()
        return True

    def scroll_by(self, view: ScrollView, delta: int) -> bool:
        """Scroll a list by `delta` pixels (clamped); False when it cannot move."""
        state = view.state
        new = min(max(0, state.y + delta), state.max_y)
        if new == state.y:
            return False
        state.y = new
        self._system.changed()
        return True

    def touch(self, action: int, x: float, y: float) -> None:
        """Raw MotionEvent: 0 down, 1 up, 2 move; a down/up pair becomes a tap or swipe, or
        a drag when the finger rested past the long-press timeout before moving."""
        if action == 0:
            self._touch_down = (x, y, time.monotonic())
            self._touch_moved = False
        elif action == 2 and self._touch_down is not None and not self._touch_moved:
            x0, y0, t0 = self._touch_down
            held = (time.monotonic() - t0) * 1000 >= LONG_PRESS_MS
            if math.hypot(x - x0, y - y0) >= TAP_SLOP:
                self._touch_moved = True
                self._touch_held = held
        elif action == 1 and self._touch_down is not None:
            x0, y0, t0 = self._touch_down
            self._touch_down = None
            duration = int((time.monotonic() - t0) * 1000)
            moved_early = self._touch_moved and not self._touch_held
            if (
                duration >= LONG_PRESS_MS
                and not moved_early
                and math.hypot(x - x0, y - y0) >= TAP_SLOP
            ):
                self.drag(x0, y0, x, y)
            else:
                self.swipe(x0, y0, x, y, duration)

    def drag(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """A touch held past the long-press timeout, then moved and lifted (UiAutomator's
        drag): the long-clickable view under the finger gets its long click; without one,
        the move scrolls as a swipe does."""
        if not self._system.screen_on:
            return
        for window in self._snapshot().windows:
            if _inside(window.rect, x1, y1):
                view = target_at(window.root, x1, y1, True)
                if view is not None and view.on_long_click is not None:
                    view.on_long_click()
                    self._system.changed()
                    return
                break
        self.swipe(x1, y1, x2, y2, LONG_PRESS_MS)

    def pinch(self, start: tuple[Point, Point], end: tuple[Point, Point]) -> float:
        """Two fingers moving from `start` to `end`; returns the scale (end / start spread).
        A view that handles scaling (`on_scale`) gets it; a list follows the second finger,
        as RecyclerView tracks the last pointer down; anything else ignores it."""
        spread = math.dist(*start)
        scale = math.dist(*end) / spread if spread else 1.0
        if not self._system.screen_on:
            return scale
        cx, cy = (start[0][0] + start[1][0]) / 2, (start[0][1] + start[1][1]) / 2
        for window in self._snapshot().windows:
            if not _inside(window.rect, cx, cy):
                continue
            handler = _scale_handler(window.root, cx, cy)
            if handler is not None:
                handler(scale)
                self._system.changed()
            else:
                view = scroller_at(window.root, cx, cy)
                if isinstance(view, ScrollView):
                    self.scroll_by(view, int(start[1][1] - end[1][1]))
            break
        return scale

    # -- keys ------------------------------------------------------------------------
    def press_key(self, key: str | int) -> bool:
        """Press a key by name or code; False for an unknown key."""
        name = key_name(key)
        if name is None:
            return False
        if self._system.screen_on or name in ("power", "wakeup"):
            self.key(name)
        return True

    def key(self, name: str) -> None:
        """Handle a normalised key name: a system key, an editing key or a typed one."""
        keyboard_up = self._snapshot().shows("keyboard")
        if self._system.navigate(name, keyboard_up=keyboard_up):
            return
        if name == "enter":
            self._enter()
        elif name == "del":
            self._delete()
        elif len(name) == 1 or name in TYPED:
            self.type_text(TYPED.get(name, name))
        self._system.changed()

    def keyboard_key(self, key: str) -> None:
        """A tap on an on-screen keyboard key ("shift", "mode", "\\b", "\\n" or a character)."""
        keyboard = self._system.keyboard
        if key == "shift":
            keyboard.shift = not keyboard.shift
        elif key == "mode":
            keyboard.symbols = not keyboard.symbols
        elif key == "\b":
            self._delete()
        elif key == "\n":
            self._enter()
        else:
            self.type_text(key.upper() if keyboard.shift and not keyboard.symbols else key)
            keyboard.shift = False

    # -- typing into the focused field -----------------------------------------------
    def type_text(self, text: str) -> None:
        """Type Unicode text into the focused field ("\\n" presses enter)."""
        for number, part in enumerate(text.split("\n")):
            if number:
                self._enter()
            edit = self._snapshot().focused
            if part and edit is not None and edit.on_change is not None:
                edit.on_change(edit.value + part)
                self._system.changed()

    def clear_focused_text(self) -> None:
        """Empty the focused field."""
        edit = self._snapshot().focused
        if edit is not None and edit.on_change is not None:
            edit.on_change("")
            self._system.changed()

    def _enter(self) -> None:
        edit = self._snapshot().focused
        if edit is None or edit.on_change is None:
            return
        if edit.multiline:
            edit.on_change(edit.value + "\n")
        elif edit.on_submit is not None:
            edit.on_submit()
        else:
            self._system.hide_keyboard()
        self._system.changed()

    def _delete(self) -> None:
        edit = self._snapshot().focused
        if edit is not None and edit.on_change is not None and edit.value:
            edit.on_change(edit.value[:-1])
            self._system.changed()

    # -- node actions ----------------------------------------------------------------
    def set_text(self, key: int, text: str) -> bool:
        """Replace the text of an editable node (it takes the focus, not the keyboard)."""
        view = self._snapshot().views.get(key)
        if not isinstance(view, EditText) or view.on_change is None or not view.enabled:
            return False
        view.on_change(text)
        if view.field:
            self._system.focus(view.field, show_keyboard=False)
        self._system.changed()
        return True

    def scroll_node(self, key: int, *, forward: bool, vertical: bool = True) -> bool:
        """Scroll a scrollable node by most of a page; False when it cannot move."""
        view = self._snapshot().views.get(key)
        if not isinstance(view, ScrollView) or not vertical:
            return False
        page = max(1, int(view.state.viewport * 0.8))
        return self.scroll_by(view, page if forward else -page)


def _inside(rect: tuple[int, int, int, int], x: float, y: float) -> bool:
    return rect[0] <= x < rect[2] and rect[1] <= y < rect[3]


def _scale_handler(view: View, x: float, y: float) -> Callable[[float], None] | None:
    """The deepest `on_scale` callback of a visible view under (x, y)."""
    if not view.visible or not _inside(view.clip, x, y):
        return None
    if view.shows_children:
        for child in reversed(view.children):
            found = _scale_handler(child, x, y)
            if found is not None:
                return found
    handler = getattr(view, "on_scale", None)
    return handler if callable(handler) else None
