"""Small decorative apps: Clock and Camera."""

from __future__ import annotations

import time
from typing import Any

from ..ui.views import (
    MATCH,
    FrameLayout,
    ImageButton,
    LinearLayout,
    RecyclerView,
    Switch,
    TextView,
    View,
)
from .base import Activity, App
from .widgets import screen, toolbar, two_line_row


class ClockApp(App):
    """Clock (`com.google.android.deskclock`): the time and a list of alarms."""

    package = "com.google.android.deskclock"
    label = "Clock"
    main_activity = "com.android.deskclock.DeskClock"
    icon = "clock"
    icon_bg = "#5a3cb4"

    def initial_state(self, seed: int) -> dict[str, Any]:
        return {
            "alarms": [
                {"time": "06:30", "label": "Gym", "on": False},
                {"time": "07:15", "label": "Weekdays", "on": True},
                {"time": "09:00", "label": "Weekend", "on": False},
            ]
        }

    def create_activity(self, name: str | None = None) -> Activity | None:
        return ClockActivity(self) if name in (None, self.main_activity) else None


class ClockActivity(Activity):
    """The alarm list under a large clock."""

    name = "com.android.deskclock.DeskClock"

    def build(self) -> View:
        rows: list[View] = []
        for index, alarm in enumerate(self.app.state["alarms"]):
            rows.append(
                two_line_row(
                    alarm["time"],
                    alarm["label"],
                    rid=self.rid("alarm_item"),
                    title_id=self.rid("digital_clock"),
                    summary_id=self.rid("label"),
                    on_click=self._toggler(index),
                    trailing=Switch(
                        id=self.rid("onoff"),
                        checked=bool(alarm["on"]),
                        desc=f"Alarm {alarm['time']}",
                    ),
                )
            )
        clock = TextView(
            id=self.rid("digital_clock"),
            text=time.strftime("%H:%M"),
            size=150,
            align="center",
            padding=(0, 60),
        )
        listing = RecyclerView(
            id=self.rid("alarm_recycler_view"), weight=1, state=self.scroll("list"), children=rows
        )
        return screen(toolbar(self, "Alarm"), clock, listing)

    def _toggler(self, index: int) -> Any:
        def flip() -> None:
            alarm = self.app.state["alarms"][index]
            alarm["on"] = not alarm["on"]
            self.host.toast(f"Alarm set for {alarm['time']}" if alarm["on"] else "Alarm turned off")

        return flip


class CameraApp(App):
    """Camera (`com.android.camera2`): a viewfinder; the shutter saves a photo to DCIM."""

    package = "com.android.camera2"
    label = "Camera"
    main_activity = "com.android.camera.CameraActivity"
    icon = "camera"
    icon_bg = "#404850"

    def initial_state(self, seed: int) -> dict[str, Any]:
        return {"photos": 0}

    def create_activity(self, name: str | None = None) -> Activity | None:
        return CameraActivity(self) if name in (None, self.main_activity) else None


class CameraActivity(Activity):
    """The viewfinder and shutter button."""

    name = "com.android.camera.CameraActivity"

    def build(self) -> View:
        finder = FrameLayout(
            id=self.rid("preview"),
            weight=1,
            height=MATCH,
            bg="#182028",
            children=[
                TextView(
                    text="Point the camera at something",
                    size=40,
                    color="#e6e8ec",
                    align="center",
                    gravity="center",
                ),
            ],
        )
        shutter = ImageButton(
            id=self.rid("shutter_button"),
            icon="camera",
            desc="Shutter",
            width=200,
            height=200,
            icon_size=90,
            icon_color="#101010",
            bg="#f0f0f0",
            radius=100,
            gravity="center",
            on_click=self._shoot,
        )
        controls = FrameLayout(height=320, bg="#000000", children=[shutter])
        return LinearLayout(height=MATCH, bg="#000000", children=[finder, controls])

    def _shoot(self) -> None:
        count = int(self.app.state["photos"]) + 1
        self.app.state["photos"] = count
        self.host.write_file(
            f"/sdcard/DCIM/Camera/IMG_{count:04d}.jpg", b"\xff\xd8\xff\xe0JFIF\x00virtual\xff\xd9"
        )
        self.host.toast("Photo saved")
