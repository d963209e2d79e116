"""The overview (recents) screen, as the Pixel launcher draws it: one card per task with
the task's last frame, its app icon and name above, the newest task in the middle and
older ones to its left. Swipe sideways to move along, swipe a card up to dismiss it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PIL import Image

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
CARD_W = 600
CARD_H = CARD_W * (HEIGHT - NAV_HEIGHT) // WIDTH
GAP = 50
HEADER_H = 130
ICON = 90
LABEL_SIZE = 40
CARD_TOP = 170  # below the status bar, where the icon and name row starts
FLING = 150
CARD_LEFT = (WIDTH - CARD_W) // 2

Frame = Callable[[str], Image.Image | None]


@dataclass(frozen=True, slots=True)
class RecentTask:
    """One task in the overview: its package, app label, screen title and app icon."""

    package: str
    label: str
    title: str
    icon: str = "star"
    icon_bg: str = "#1a56c8"


def _thumbnail(frame: Image.Image, width: int, height: int) -> Image.Image:
    """The task's frame without the navigation bar, scaled to the card."""
    keep = frame.height * (HEIGHT - NAV_HEIGHT) // HEIGHT
    return frame.crop((0, 0, frame.width, keep)).resize((width, height), Image.Resampling.BILINEAR)


def _card(
    task: RecentTask,
    left: int,
    frame: Image.Image | None,
    on_open: Callable[[], None],
    on_swipe: Callable[[float, float], bool],
) -> list[View]:
    """The icon-and-name row and the snapshot card of one task, placed at `left`."""
    label_w = int(text_width(task.label, LABEL_SIZE, bold=True)) + 2
    # centred over the part of the card on screen, so a neighbour's name stays readable
    start, end = max(0, left), min(WIDTH, left + CARD_W)
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
                icon_color="on_primary",
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
            paint=partial(_thumbnail, frame),
            radius=36,
            height=MATCH,
        )
    else:
        body = TextView(text=task.title, size=40, color="muted", align="center", height=MATCH)
    card = FrameLayout(
        id=RID + "task",
        desc=task.label,
        width=CARD_W,
        height=CARD_H,
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
) -> View:
    """The overview screen, newest task first; `scroll.y` is the index of the task in the
    middle and `frame(package)` the task's last frame (None draws its title instead)."""
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
        left = CARD_LEFT - (index - focus) * (CARD_W + GAP)
        children += _card(
            task,
            left,
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
