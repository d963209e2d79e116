"""Clock (`com.google.android.deskclock`): the time and a list of alarms to switch on and off."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..ui.views import RecyclerView, Switch, TextView, View
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

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {self.main_activity: lambda: ClockActivity(self)}


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
