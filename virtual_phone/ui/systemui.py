"""System UI windows (`com.android.systemui`): status bar, navigation bar, shade."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .views import (
    MATCH,
    Button,
    FrameLayout,
    ImageButton,
    ImageView,
    LinearLayout,
    Row,
    ScrollState,
    ScrollView,
    SeekBar,
    TextView,
    View,
)

PACKAGE = "com.android.systemui"
STATUS_HEIGHT = 66
NAV_HEIGHT = 126  # the navigation bar, at the bottom of the screen
SYSTEMUI_ID = f"{PACKAGE}:id/"

Action = Callable[[], None]


@dataclass
class StatusInfo:
    """What the status bar shows."""

    clock: str
    wifi: bool
    bluetooth: bool
    battery: int
    airplane: bool = False
    over_wallpaper: bool = False  # home and overview: see-through, light icons


def status_bar(info: StatusInfo, width: int) -> View:
    """The status bar window root."""
    fg = "on_wallpaper" if info.over_wallpaper else "on_bar"
    icons: list[View] = []
    if info.bluetooth:
        icons.append(
            ImageView(
                icon="bluetooth",
                desc="Bluetooth on.",
                width=50,
                height=STATUS_HEIGHT,
                icon_size=38,
                icon_color=fg,
            )
        )
    if info.airplane:
        icons.append(
            ImageView(
                icon="airplane",
                desc="Airplane mode.",
                width=50,
                height=STATUS_HEIGHT,
                icon_size=38,
                icon_color=fg,
            )
        )
    icons.append(
        ImageView(
            id=SYSTEMUI_ID + "wifi_combo",
            icon="wifi" if info.wifi else "close",
            desc="Wifi signal full." if info.wifi else "Wifi off.",
            width=56,
            height=STATUS_HEIGHT,
            icon_size=40,
            icon_color=fg,
        )
    )
    icons.append(
        ImageView(
            id=SYSTEMUI_ID + "battery",
            icon="battery",
            desc=f"Battery {info.battery} percent.",
            width=44,
            height=STATUS_HEIGHT,
            icon_size=44,
            icon_color=fg,
        )
    )
    icons.append(
        TextView(
            id=SYSTEMUI_ID + "battery_percentage_view",
            text=f"{info.battery}%",
            size=34,
            color=fg,
            width=-2,
            height=STATUS_HEIGHT,
            padding=(6, 8, 0, 0),
        )
    )
    bar = Row(
        children=[
            TextView(
                id=SYSTEMUI_ID + "clock",
                text=info.clock,
                size=36,
                color=fg,
                bold=True,
                width=-2,
                height=STATUS_HEIGHT,
                padding=(40, 8, 0, 0),
            ),
            View(weight=1, width=0, height=STATUS_HEIGHT),
            Row(
                id=SYSTEMUI_ID + "system_icons",
                width=-2,
                height=STATUS_HEIGHT,
                padding=(0, 0, 30, 0),
                children=icons,
            ),
        ],
        height=STATUS_HEIGHT,
    )
    return FrameLayout(
        id=SYSTEMUI_ID + "status_bar_container",
        height=STATUS_HEIGHT,
        bg="wallpaper" if info.over_wallpaper else "statusbar",
        children=[
            FrameLayout(id=SYSTEMUI_ID + "status_bar", height=STATUS_HEIGHT, children=[bar]),
        ],
    )


def navigation_bar(
    back: Action, home: Action, recents: Action, height: int, over_wallpaper: bool = False
) -> View:
    """The navigation bar window root with Back / Home / Overview buttons (see-through
    over the wallpaper on home and in the overview)."""

    def button(rid: str, icon: str, desc: str, action: Action) -> ImageButton:
        return ImageButton(
            id=SYSTEMUI_ID + rid,
            icon=icon,
            desc=desc,
            width=0,
            weight=1,
            height=height,
            icon_size=56,
            icon_color="on_wallpaper" if over_wallpaper else "on_bar",
            on_click=action,
            on_long_click=action,
        )

    return FrameLayout(
        id=SYSTEMUI_ID + "navigation_bar_frame",
        height=height,
        bg="wallpaper" if over_wallpaper else "navbar",
        children=[
            Row(
                id=SYSTEMUI_ID + "navigation_inflater",
                height=height,
                padding=(120, 0),
                children=[
                    button("back", "nav_back", "Back", back),
                    button("home", "nav_home", "Home", home),
                    button("recent_apps", "nav_recents", "Overview", recents),
                ],
            ),
        ],
    )


@dataclass
class Tile:
    """A quick-settings tile."""

    label: str
    icon: str
    on: bool
    toggle: Action
    state_text: str = ""


@dataclass
class Notification:
    """A posted notification."""

    package: str
    app_label: str
    title: str
    text: str
    key: int = 0


@dataclass
class ShadeModel:
    """What the notification shade shows and what its controls do."""

    clock: str
    date: str
    tiles: list[Tile]
    notifications: list[Notification]
    brightness: int
    set_brightness: Callable[[int], None]
    open_notification: Callable[[Notification], None]
    clear_all: Action
    expanded: bool = False
    scroll: ScrollState = field(default_factory=ScrollState)


def _tile(tile: Tile) -> View:
    state = tile.state_text or ("On" if tile.on else "Off")
    return Row(
        class_name="android.widget.Switch",
        desc=f"{tile.label}, {state}",
        checkable=True,
        checked=tile.on,
        width=0,
        weight=1,
        height=150,
        margin=(10, 10),
        padding=(24, 0),
        bg="tile_on" if tile.on else "tile_off",
        radius=50,
        on_click=tile.toggle,
        spacing=20,
        children=[
            ImageView(
                icon=tile.icon,
                width=60,
                height=60,
                icon_size=56,
                icon_color="#10141c" if tile.on else "#f0f2f6",
            ),
            LinearLayout(
                width=0,
                weight=1,
                children=[
                    TextView(
                        text=tile.label,
                        size=36,
                        bold=True,
                        color="#10141c" if tile.on else "#f0f2f6",
                    ),
                    TextView(text=state, size=30, color="#1c2430" if tile.on else "#c8ccd6"),
                ],
            ),
        ],
    )


def _notification(note: Notification, model: ShadeModel) -> View:
    return LinearLayout(
        id="android:id/status_bar_latest_event_content",
        class_name="android.widget.FrameLayout",
        margin=(24, 10),
        padding=(36, 24),
        bg="surface",
        radius=36,
        on_click=lambda: model.open_notification(note),
        children=[
            TextView(id="android:id/app_name_text", text=note.app_label, size=32, color="muted"),
            TextView(id="android:id/title", text=note.title, size=40, bold=True),
            TextView(id="android:id/text", text=note.text, size=36, color="muted", max_lines=2),
        ],
    )


def shade(model: ShadeModel, width: int, height: int) -> View:
    """The pulled-down notification shade (quick settings tiles, brightness, notifications)."""
    tiles = model.tiles if model.expanded else model.tiles[:4]
    rows: list[View] = [
        Row(
            padding=(40, 10),
            children=[
                TextView(
                    id=SYSTEMUI_ID + "clock",
                    text=model.clock,
                    size=60,
                    bold=True,
                    color="on_shade",
                    width=-2,
                ),
                TextView(
                    id=SYSTEMUI_ID + "date",
                    text=model.date,
                    size=36,
                    color="on_shade",
                    width=0,
                    weight=1,
                    align="right",
                ),
            ],
        ),
    ]
    for start in range(0, len(tiles), 2):
        rows.append(Row(padding=(14, 0), children=[_tile(t) for t in tiles[start : start + 2]]))
    rows.append(
        SeekBar(
            id=SYSTEMUI_ID + "slider",
            desc="Display brightness",
            value=model.brightness,
            maximum=255,
            margin=(20, 10),
            on_change=model.set_brightness,
        )
    )
    items: list[View] = [_notification(n, model) for n in model.notifications]
    if model.notifications:
        items.append(
            Row(
                gravity="center_horizontal|center_vertical",
                children=[
                    Button(
                        id=SYSTEMUI_ID + "clear_all",
                        text="Clear all",
                        width=-2,
                        height=110,
                        padding=(40, 0),
                        size=38,
                        on_click=model.clear_all,
                    ),
                ],
            )
        )
    else:
        items.append(
            TextView(text="No notifications", size=40, color="on_shade", align="center", height=200)
        )
    body = ScrollView(
        id=SYSTEMUI_ID + "notification_stack_scroller", weight=1, state=model.scroll, children=items
    )
    panel = LinearLayout(
        id=SYSTEMUI_ID + "notification_panel",
        height=MATCH,
        padding=(0, 70, 0, 20),
        children=[*rows, body],
    )
    return FrameLayout(
        id=SYSTEMUI_ID + "notification_shade", height=height, bg="shade", children=[panel]
    )
