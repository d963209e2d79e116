"""Camera (`com.android.camera2`): a viewfinder; the shutter saves a photo to DCIM."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..ui.views import MATCH, FrameLayout, ImageButton, LinearLayout, TextView, View
from .base import Activity, App


class CameraApp(App):
    """Camera (`com.android.camera2`): a viewfinder; the shutter saves a photo to DCIM."""

    package = "com.android.camera2"
    label = "Camera"
    main_activity = "com.android.camera.CameraActivity"
    icon = "camera"
    icon_bg = "#404850"

    def initial_state(self, seed: int) -> dict[str, Any]:
        return {"photos": 0}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {self.main_activity: lambda: CameraActivity(self)}


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
