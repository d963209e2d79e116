"""Camera (`com.android.camera2`): a viewfinder; the shutter saves a photo to DCIM."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from ..ui.views import MATCH, ImageButton, LinearLayout, Picture, Row, TextView, View
from .base import Activity, App
from .camera_scene import scene


class CameraApp(App):
    """Camera (`com.android.camera2`): a viewfinder; the shutter saves a photo to DCIM."""

    package = "com.android.camera2"
    label = "Camera"
    main_activity = "com.android.camera.CameraActivity"
    icon = "camera_body"
    icon_bg = "#404850"

    def initial_state(self, seed: int) -> dict[str, Any]:
        return {"photos": 0}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {self.main_activity: lambda: CameraActivity(self)}


class CameraActivity(Activity):
    """The viewfinder and shutter button."""

    name = "com.android.camera.CameraActivity"

    def build(self) -> View:
        preview = Picture(
            id=self.rid("preview"),
            class_name="android.view.TextureView",
            weight=1,
            height=MATCH,
            paint=partial(scene, self.app.seed),
        )
        shutter = ImageButton(
            id=self.rid("shutter_button"),
            icon="nav_home",
            icon_color="#bdc1c6",
            desc="Shutter",
            width=210,
            height=210,
            icon_size=180,
            bg="#f0f0f0",
            radius=105,
            border="#9aa0a6",
            on_click=self._shoot,
        )
        gallery = self._round_button(
            "thumbnail_button",
            "photo",
            "Open gallery",
            lambda: self.host.toast("No photos yet" if not self.app.state["photos"] else "Gallery"),
        )
        switch = self._round_button(
            "camera_switch_button",
            "switch_camera",
            "Switch to front camera",
            lambda: self.host.toast("Front camera"),
        )
        modes = TextView(
            text="Photo", size=38, color="#fdd663", align="center", bold=True, padding=(0, 24)
        )
        controls = Row(
            gravity="center_vertical",
            padding=(80, 0),
            height=300,
            children=[
                gallery,
                View(width=0, weight=1, height=10),
                shutter,
                View(width=0, weight=1, height=10),
                switch,
            ],
        )
        return LinearLayout(height=MATCH, bg="#000000", children=[preview, modes, controls])

    def _round_button(
        self, name: str, icon: str, desc: str, on_click: Callable[[], None]
    ) -> ImageButton:
        """One of the small round buttons beside the shutter."""
        return ImageButton(
            id=self.rid(name),
            icon=icon,
            desc=desc,
            width=130,
            height=130,
            icon_size=64,
            icon_color="#e6e8ec",
            bg="#3c4043",
            radius=65,
            on_click=on_click,
        )

    def _shoot(self) -> None:
        count = int(self.app.state["photos"]) + 1
        self.app.state["photos"] = count
        self.host.write_file(
            f"/sdcard/DCIM/Camera/IMG_{count:04d}.jpg", b"\xff\xd8\xff\xe0JFIF\x00virtual\xff\xd9"
        )
        self.host.toast("Photo saved")
