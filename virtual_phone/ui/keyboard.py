"""The on-screen keyboard window (`com.google.android.inputmethod.latin`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .views import MATCH, FrameLayout, ImageButton, KeyView, LinearLayout, Row, View

PACKAGE = "com.google.android.inputmethod.latin"
KEY_HEIGHT = 150
HEIGHT = 4 * KEY_HEIGHT + 40 + 100  # four key rows, padding and a suggestion strip

LETTERS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
SYMBOLS = ("1234567890", "@#$%&-+()", "*\"':;!?")


@dataclass
class KeyboardState:
    """Shift / symbol mode of the keyboard."""

    shift: bool = False
    symbols: bool = False


KeyHandler = Callable[[str], None]


KEY_CLASS = "android.widget.FrameLayout"  # a Gboard key, as real dumps show it


def _key(label: str, on_key: KeyHandler, value: str | None = None, weight: float = 1.0) -> KeyView:
    typed = label if value is None else value
    return KeyView(
        text=label,
        desc=label,
        size=48,
        align="center",
        width=0,
        height=KEY_HEIGHT - 20,
        weight=weight,
        margin=(6, 10),
        bg="key",
        radius=16,
        on_click=lambda: on_key(typed),
    )


def _icon_key(icon: str, desc: str, on_key: KeyHandler, value: str, weight: float) -> ImageButton:
    return ImageButton(
        class_name=KEY_CLASS,
        icon=icon,
        desc=desc,
        width=0,
        height=KEY_HEIGHT - 20,
        weight=weight,
        margin=(6, 10),
        bg="key_special",
        radius=16,
        icon_size=60,
        on_click=lambda: on_key(value),
    )


def build_keyboard(state: KeyboardState, on_key: KeyHandler, enter_label: str = "Enter") -> View:
    """The keyboard window root; `on_key` receives characters or "\\b", "\\n", "shift", "mode"."""
    rows = SYMBOLS if state.symbols else LETTERS
    shown = [r.upper() if state.shift and not state.symbols else r for r in rows]
    row_views: list[View] = [Row(id=f"{PACKAGE}:id/suggestion_strip", height=100, children=[])]
    row_views.append(Row(children=[_key(ch, on_key) for ch in shown[0]]))
    row_views.append(Row(padding=(50, 0), children=[_key(ch, on_key) for ch in shown[1]]))
    third: list[View] = [_icon_key("shift", "Shift", on_key, "shift", 1.5)]
    third += [_key(ch, on_key) for ch in shown[2]]
    third.append(_icon_key("backspace", "Delete", on_key, "\b", 1.5))
    row_views.append(Row(children=third))
    fourth: list[View] = [
        _key("ABC" if state.symbols else "?123", on_key, "mode", 1.5),
        _key(",", on_key),
        KeyView(
            text="",
            desc="Space",
            size=40,
            width=0,
            height=KEY_HEIGHT - 20,
            weight=5,
            margin=(6, 10),
            bg="key",
            radius=16,
            on_click=lambda: on_key(" "),
        ),
        _key(".", on_key),
        _icon_key("enter", enter_label, on_key, "\n", 1.5),
    ]
    row_views.append(Row(children=fourth))
    for number, row in enumerate(row_views[1:]):  # Gboard's ids: key_pos_ROW_COLUMN
        for column, key in enumerate(row.children):
            key.id = f"{PACKAGE}:id/key_pos_{number}_{column}"
    body = LinearLayout(id=f"{PACKAGE}:id/keyboard_holder", padding=(6, 10), children=row_views)
    return FrameLayout(
        id=f"{PACKAGE}:id/input_view",
        class_name="android.widget.FrameLayout",
        width=MATCH,
        height=HEIGHT,
        bg="keyboard",
        children=[body],
    )
