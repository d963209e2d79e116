"""The overview (recents) screen, as the Pixel launcher draws it: one card per task with
the task's last frame, its app icon and name above, the newest task in the middle and
older ones to its left. Swipe sideways to move along, swipe a card up to dismiss it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PIL import Image, ImageOps

from ..contract import HEIGHT, WIDTH
from ..ui.fonts import text_width
from ..ui.systemui import NAV_HEIGHT, STATUS_HEIGHT
from ..ui.views import (
    MATCH,
    Button,
    FrameLayout,
    ImageView,
    Picture,
    Row,
    ScrollState,
    TextView,
    View,
)

PACKAGE = "com.android.launcher3"
RID = f"{PACKAGE}:id/"
GAP = 50
HEADER_H = 130
ICON = 90
LABEL_SIZE = 40
CARD_TOP = 170  # below the status bar, where the icon and name row starts
FLING = 150
BOTTOM = 260  # room under the cards for "Clear all"

Frame = Callable[[str], Image.Image | None]


@dataclass(frozen=True, slots=True)
class RecentTask:
    """One task in the overview: its package, app label, screen title and app icon."""

    package: str
    label: str
    title: str
    icon: str = "star"
    icon_bg: str = "#1a56c8"


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where the cards go on a screen of `width` × `height` layout units."""

    width: int
    height: int

    @property
    def card_size(self) -> tuple[int, int]:
        """(width, height) of a card: the app's window (no navigation bar), scaled."""
        window_h = self.height - NAV_HEIGHT
        card_w = min(600, self.width * 56 // 100)
        room = window_h - CARD_TOP - HEADER_H - BOTTOM
        card_h = card_w * window_h // self.width
        if card_h > room:
            card_w, card_h = room * self.width // window_h, room
        return card_w, card_h

    def left(self, offset: int) -> int:
        """The left edge of the card `offset` places left of the middle one."""
        card_w = self.card_size[0]
        return (self.width - card_w) // 2 - offset * (card_w + GAP)


def _thumbnail(frame: Image.Image, nav_share: float, width: int, height: int) -> Image.Image:
    """The task's frame without the navigation bar (`nav_share` of its height), scaled
    and cropped to fill the card."""
    window = frame.crop((0, 0, frame.width, round(frame.height * (1 - nav_share))))
    return ImageOps.fit(window, (width, height), Image.Resampling.BILINEAR, centering=(0.5, 0.0))


def _card(
    task: RecentTask,
    geometry: Geometry,
    left: int,
    frame: Image.Image | None,
    on_open: Callable[[], None],
    on_swipe: Callable[[float, float], bool],
) -> list[View]:
    """The icon-and-name row and the snapshot card of one task, placed at `left`."""
    card_w, card_h = geometry.card_size
    label_w = int(text_width(task.label, LABEL_SIZE, bold=True)) + 2
    # centred over the part of the card on screen, so a neighbour's name stays readable
    start, end = max(0, left), min(geometry.width, left + card_w)
    inset = max(0, (end - start - ICON - 24 - label_w) // 2)
    header = Row(
        id=RID + "task_header",
        width=max(1, end - start),
        height=ICON,
        margin=(start, CARD_TOP - STATUS_HEIGHT, 0, 0),
        padding=(inset, 0, 0, 0),
        gravity="top",
        on_click=on_open,
        children=[
            ImageView(
                id=RID + "icon",
                icon=task.icon,
                icon_bg=task.icon_bg,
                icon_color="#ffffff",
                desc=task.label,
                width=ICON,
                height=ICON,
                icon_size=50,
            ),
            TextView(
                id=RID + "task_label",
                text=task.label,
                size=LABEL_SIZE,
                color="on_wallpaper",
                bold=True,
                width=label_w,
                height=ICON,
                max_lines=1,
                margin=(24, 0, 0, 0),
            ),
        ],
    )
    if frame is not None:
        body: View = Picture(
            id=RID + "snapshot",
            paint=partial(_thumbnail, frame, NAV_HEIGHT / geometry.height),
            radius=36,
            height=MATCH,
        )
    else:
        body = TextView(text=task.title, size=40, color="muted", align="center", height=MATCH)
    card = FrameLayout(
        id=RID + "task",
        desc=task.label,
        width=card_w,
        height=card_h,
        margin=(left, CARD_TOP - STATUS_HEIGHT + HEADER_H, 0, 0),
        bg="surface",
        radius=36,
        on_click=on_open,
        on_swipe=on_swipe,
        children=[body],
    )
    return [header, card]


def recents_view(
    tasks: list[RecentTask],
    open_task: Callable[[str], None],
    close_task: Callable[[str], None],
    clear_all: Callable[[], None],
    scroll: ScrollState,
    frame: Frame = lambda _package: None,
    screen: tuple[int, int] = (WIDTH, HEIGHT),
) -> View:
    """The overview screen, newest task first; `scroll.y` is the index of the task in the
    middle, `frame(package)` the task's last frame (None draws its title instead) and
    `screen` the layout size."""
    geometry = Geometry(*screen)
    focus = min(max(0, scroll.y), max(0, len(tasks) - 1))
    scroll.y = focus

    def strip_swipe(dx: float, dy: float) -> bool:
        if abs(dx) <= FLING or abs(dx) < abs(dy):
            return False
        step = 1 if dx > 0 else -1
        scroll.y = min(max(0, focus + step), max(0, len(tasks) - 1))
        return scroll.y != focus

    def card_swipe(package: str, dx: float, dy: float) -> bool:
        if dy < -FLING and abs(dy) > abs(dx):
            close_task(package)
            return True
        return strip_swipe(dx, dy)

    children: list[View] = []
    for index, task in enumerate(tasks):
        children += _card(
            task,
            geometry,
            geometry.left(index - focus),
            frame(task.package),
            partial(open_task, task.package),
            partial(card_swipe, task.package),
        )
    if not tasks:
        children.append(
            TextView(
                text="No recent items",
                size=46,
                color="on_wallpaper",
                align="center",
                height=MATCH,
            )
        )
    else:
        children.append(_actions(clear_all))
    return FrameLayout(
        id=RID + "overview",
        height=MATCH,
        bg="wallpaper",
        on_swipe=strip_swipe,
        children=children,
    )


def _actions(clear_all: Callable[[], None]) -> View:
    return Row(
        id=RID + "action_buttons",
        gravity="center_horizontal|bottom",
        height=MATCH,
        padding=(0, 0, 0, 50),
        children=[
            Button(
                id=RID + "clear_all",
                text="Clear all",
                width=-2,
                height=120,
                padding=(50, 0),
                size=40,
                on_click=clear_all,
            ),
        ],
    )
