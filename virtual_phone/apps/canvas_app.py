"""Tunes (`com.example.tunes`): a music player drawn on one canvas, like a game or a Flutter
app without semantics. The hierarchy shows a single SurfaceView with no children or labels;
its icon buttons (replay, like, add to playlist, remove, settings) exist only as pixels, and
a tap is routed by where it lands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..ui.views import MATCH, ImageView, LinearLayout, Row, TextView, View, contains
from .base import Activity, App

PACKAGE = "com.example.tunes"
TRACKS = ["Blue Train", "So What", "Take Five", "Round Midnight", "Naima"]
# (icon name, what it does): the buttons' order on the canvas, left to right
BUTTONS = (
    ("refresh", "replay"),
    ("star", "like"),
    ("add", "add"),
    ("delete", "remove"),
    ("settings", "settings"),
)


@dataclass(eq=False, kw_only=True)
class CanvasSurface(LinearLayout):
    """A view that draws its children but reports none of them (`SurfaceView`)."""

    class_name: str = "android.view.SurfaceView"

    @property
    def shows_children(self) -> bool:
        return False


class TunesApp(App):
    """Tunes; state {"queue": [titles], "liked": [titles], "playlist": [titles], "plays",
    "shuffle"} — the first title of the queue is the song playing."""

    package = PACKAGE
    label = "Tunes"
    main_activity = PACKAGE + ".PlayerActivity"
    system = False
    icon = "star"
    icon_bg = "#7a2bb8"

    def initial_state(self, seed: int) -> dict[str, Any]:
        start = seed % len(TRACKS)
        queue = TRACKS[start:] + TRACKS[:start]
        return {"queue": queue, "liked": [], "playlist": [], "plays": 0, "shuffle": False}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {self.main_activity: lambda: PlayerActivity(self)}

    @property
    def current(self) -> str:
        """The title playing ("" once the queue is empty)."""
        queue = self.state["queue"]
        return str(queue[0]) if queue else ""

    def press(self, action: str) -> None:
        """Do what the button `action` does to the song playing."""
        song, state = self.current, self.state
        if action == "settings":
            state["shuffle"] = not state["shuffle"]
        elif not song:
            return
        elif action == "replay":
            state["plays"] += 1
        elif action == "like":
            state["liked"] = [t for t in state["liked"] if t != song] + (
                [] if song in state["liked"] else [song]
            )
        elif action == "add" and song not in state["playlist"]:
            state["playlist"].append(song)
        elif action == "remove":
            state["queue"].pop(0)


class PlayerActivity(Activity[TunesApp]):
    """The player: artwork, title, counters and a row of icon buttons, all drawn."""

    name = PACKAGE + ".PlayerActivity"

    def __init__(self, app: TunesApp) -> None:
        super().__init__(app)
        self._buttons: list[tuple[View, str]] = []

    def build(self) -> View:
        app, state = self.app, self.app.state
        song = app.current or "Queue empty"
        liked = app.current in state["liked"]
        self._buttons = [
            (
                ImageView(
                    icon=icon,
                    width=170,
                    height=170,
                    icon_size=84,
                    icon_color="#f6c945" if icon == "star" and liked else "#f2f2f7",
                    icon_bg="#34344a",
                    margin=(14, 0, 14, 0),
                ),
                action,
            )
            for icon, action in BUTTONS
        ]
        status = f"Plays {state['plays']}   Shuffle {'on' if state['shuffle'] else 'off'}"
        status += "   Liked" if liked else ""
        return CanvasSurface(
            id=self.rid("surface"),
            height=MATCH,
            bg="#14141f",
            padding=(40, 120, 40, 40),
            on_press=self._tap,
            children=[
                View(height=620, bg="#2d2d5a", radius=40, margin=(80, 0, 80, 60)),
                TextView(text=song, size=64, bold=True, color="#f2f2f7", align="center"),
                TextView(text=status, size=36, color="#a8a8c0", align="center"),
                Row(
                    margin=(0, 120, 0, 0),
                    gravity="center",
                    children=[button for button, _ in self._buttons],
                ),
            ],
        )

    def _tap(self, x: int, y: int) -> None:
        for button, action in self._buttons:
            if contains(button.rect, x, y):
                self.app.press(action)
                return
