"""Input: touches, gestures, keys and typing, dispatched to the composed windows."""

from __future__ import annotations

import math
import time

from .core import PhoneCore
from .props import TYPED, key_name
from .ui.views import EditText, ScrollView, SeekBar, View
from .windows import Window, scroller_at, target_at

TAP_SLOP = 24
LONG_PRESS_MS = 500
SHADE_EDGE = 80


class InputLayer(PhoneCore):
    """Touch and key handling on top of the phone's core."""

    def tap(self, x: float, y: float) -> None:
        """A short touch at (x, y)."""
        with self._lock:
            self._press(x, y, long=False)

    def long_press(self, x: float, y: float, duration_ms: int = 600) -> None:
        """A touch held for `duration_ms` (a long click from 500 ms)."""
        with self._lock:
            self._press(x, y, long=duration_ms >= LONG_PRESS_MS)

    def _press(self, x: float, y: float, long: bool) -> None:
        if not self._screen_on:
            return
        snap = self._snapshot()
        for window in snap.windows:
            if not (window.rect[0] <= x < window.rect[2] and window.rect[1] <= y < window.rect[3]):
                continue
            view = target_at(window.root, x, y, long)
            if view is not None:
                self._activate(view, window, x, y, long)
                self._bump()
            elif window.name == "dialog":
                card = window.node_root
                if card is not None and not (
                    card.clip[0] <= x < card.clip[2] and card.clip[1] <= y < card.clip[3]
                ):
                    self._tasks.top().close_dialog()
                    self._bump()
            return

    def _activate(self, view: View, window: Window, x: float, y: float, long: bool) -> None:
        if long and view.on_long_click is not None:
            view.on_long_click()
        elif isinstance(view, EditText):
            if window.name in ("app", "dialog"):
                self._tasks.top().focus = view.field
                self._ime_shown = True
                self._kb.shift = False
        elif view.on_press is not None:
            view.on_press(int(x), int(y))
        elif view.on_click is not None:
            view.on_click()

    def swipe(self, x1: float, y1: float, x2: float, y2: float, duration_ms: int = 300) -> None:
        """A drag from (x1, y1) to (x2, y2): scrolls lists, pulls the shade, edge-back."""
        with self._lock:
            if not self._screen_on:
                return
            dx, dy = x2 - x1, y2 - y1
            if math.hypot(dx, dy) < TAP_SLOP:
                self._press(x1, y1, long=duration_ms >= LONG_PRESS_MS)
            elif self._system.shade and abs(dy) > abs(dx) and self._shade_gesture(x1, y1, dy):
                self._bump()
            elif not self._system.shade and y1 < SHADE_EDGE and dy > 150:
                self._system.shade = 1
                self._bump()
            elif x1 < 40 and dx > 150 and abs(dy) < dx:
                self.press_key("back")
            else:
                self._drag(x1, y1, x2, y2)

    def _shade_gesture(self, x1: float, y1: float, dy: float) -> bool:
        if dy < -150 and not self._drag(x1, y1, x1, y1 + dy):
            self._system.shade = 0
        elif dy > 150 and self._system.shade == 1:
            self._system.shade = 2
        else:
            return bool(self._drag(x1, y1, x1, y1 + dy))
        return True

    def _drag(self, x1: float, y1: float, x2: float, y2: float) -> bool:
        snap = self._snapshot()
        for window in snap.windows:
            if not (
                window.rect[0] <= x1 < window.rect[2] and window.rect[1] <= y1 < window.rect[3]
            ):
                continue
            view = scroller_at(window.root, x1, y1)
            if (
                isinstance(view, SeekBar)
                and view.on_press is not None
                and abs(x2 - x1) > abs(y2 - y1)
            ):
                view.on_press(int(x2), int(y2))
                self._bump()
                return True
            if isinstance(view, ScrollView):
                return self._scroll_by(view, int(y1 - y2))
            return False
        return False

    def _scroll_by(self, view: ScrollView, delta: int) -> bool:
        state = view.state
        new = min(max(0, state.y + delta), state.max_y)
        if new == state.y:
            return False
        state.y = new
        self._bump()
        return True

    def touch(self, action: int, x: float, y: float) -> None:
        """Raw MotionEvent: 0 down, 1 up, 2 move; a down/up pair becomes a tap or swipe."""
        with self._lock:
            if action == 0:
                self._touch = (x, y, time.monotonic())
            elif action == 1 and self._touch is not None:
                x0, y0, t0 = self._touch
                self._touch = None
                self.swipe(x0, y0, x, y, int((time.monotonic() - t0) * 1000))

    def press_key(self, key: str | int, *, longpress: bool = False) -> bool:
        """Press a key by name or code; False for an unknown key."""
        with self._lock:
            name = key_name(key)
            if name is None:
                return False
            if not self._screen_on and name not in ("power", "wakeup"):
                return True
            self._key(name)
            self._bump()
            return True

    def _key(self, name: str) -> None:
        actions = {
            "home": self._home,
            "back": self._back,
            "escape": self._back,
            "enter": self._enter,
            "del": self._delete,
            "app_switch": self._recents,
            "power": self._power,
            "wakeup": lambda: self._set_screen(True),
            "sleep": lambda: self._set_screen(False),
            "soft_sleep": lambda: self._set_screen(False),
            "camera": lambda: self._launch("com.android.camera2", None),
            "brightness_up": lambda: self._nudge_brightness(25),
            "brightness_down": lambda: self._nudge_brightness(-25),
        }
        if name in actions:
            actions[name]()
        elif len(name) == 1 or name in TYPED:
            self._type(TYPED.get(name, name))

    def _home(self) -> None:
        self._system.shade = 0
        self._ime_shown = False
        self._tasks.go_home()

    def _back(self) -> None:
        if self._system.shade:
            self._system.shade = 0
        elif self._tasks.recents:
            self._tasks.recents = False
        elif self._keyboard_up():
            self._ime_shown = False
        elif self._tasks.top().dialog is not None:
            self._tasks.top().close_dialog()
        elif not self._tasks.top().on_back():
            self._ime_shown = False
            self._tasks.back_out()

    def _recents(self) -> None:
        self._system.shade = 0
        self._ime_shown = False
        self._tasks.recents = not self._tasks.recents
        self._recents_scroll.y = 0

    def _power(self) -> None:
        self._screen_on = not self._screen_on

    def _nudge_brightness(self, delta: int) -> None:
        state = self._settings_app().state
        state["brightness"] = min(255, max(0, int(state["brightness"]) + delta))

    def input_text(self, text: str) -> None:
        """Type Unicode text into the focused field (no-op without one)."""
        with self._lock:
            self._type(text)
            self._bump()

    def clear_focused_text(self) -> None:
        """Empty the focused field."""
        with self._lock:
            edit = self._snapshot().focused
            if edit is not None and edit.on_change is not None:
                edit.on_change("")
                self._bump()

    def _type(self, text: str) -> None:
        for number, part in enumerate(text.split("\n")):
            if number:
                self._enter()
            edit = self._snapshot().focused
            if part and edit is not None and edit.on_change is not None:
                edit.on_change(edit.value + part)
                self._bump()

    def _enter(self) -> None:
        edit = self._snapshot().focused
        if edit is None or edit.on_change is None:
            return
        if edit.multiline:
            edit.on_change(edit.value + "\n")
        elif edit.on_submit is not None:
            edit.on_submit()
        else:
            self._ime_shown = False
        self._bump()

    def _delete(self) -> None:
        edit = self._snapshot().focused
        if edit is not None and edit.on_change is not None and edit.value:
            edit.on_change(edit.value[:-1])
            self._bump()

    def _on_keyboard_key(self, key: str) -> None:
        if key == "shift":
            self._kb.shift = not self._kb.shift
        elif key == "mode":
            self._kb.symbols = not self._kb.symbols
        elif key == "\b":
            self._delete()
        elif key == "\n":
            self._enter()
        else:
            self._type(key.upper() if self._kb.shift and not self._kb.symbols else key)
            self._kb.shift = False

    # == node actions ===============================================================
    def set_text(self, key: int, text: str) -> bool:
        """Replace the text of an editable node."""
        with self._lock:
            view = self._snapshot().views.get(key)
            if not isinstance(view, EditText) or view.on_change is None or not view.enabled:
                return False
            view.on_change(text)
            if view.field:
                self._tasks.top().focus = view.field
            self._bump()
            return True

    def scroll_node(self, key: int, *, forward: bool, vertical: bool = True) -> bool:
        """Scroll a scrollable node by most of a page; False when it cannot move."""
        with self._lock:
            view = self._snapshot().views.get(key)
            if not isinstance(view, ScrollView) or not vertical:
                return False
            page = max(1, int(view.state.viewport * 0.8))
            return self._scroll_by(view, page if forward else -page)
