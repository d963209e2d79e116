"""Clock (`com.google.android.deskclock`): the time and alarms to add, edit, switch and delete."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from typing import Any

from ..ui.views import WRAP, Button, LinearLayout, RecyclerView, Row, Switch, TextView, View
from .base import Activity, App
from .records import IdRecords
from .widgets import action_button, fab, screen, text_field, toolbar

PACKAGE = "com.google.android.deskclock"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIME_HINT = "HH:MM"
FAB_CLEARANCE = 240  # room below the last alarm, so that it scrolls clear of the add button
TIME_ERROR = "Enter a time as HH:MM, from 00:00 to 23:59"
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
# label: the hours (first, last) an alarm so named may ring in
_LABELS = {
    "Wake up": (5, 8),
    "Gym": (6, 18),
    "Work": (6, 8),
    "School run": (7, 8),
    "Medication": (8, 21),
    "Walk the dog": (6, 19),
    "Team meeting": (9, 15),
    "Yoga": (6, 18),
    "Bins out": (19, 21),
    "Nap": (13, 15),
}
_REPEATS = ((), DAYS[:5], DAYS[5:], DAYS, ("Mon", "Wed", "Fri"), ("Tue", "Thu"))


def seed_alarms(seed: int) -> list[dict[str, Any]]:
    """3–5 alarms at different quarter hours that suit their labels, some on, some off."""
    rng = random.Random(f"alarms-{seed}")
    count = rng.randint(3, 5)
    picked: dict[int, str] = {}
    for label in rng.sample(sorted(_LABELS), count):
        first, last = _LABELS[label]
        free = [q for q in range(first * 4, last * 4 + 4) if q not in picked]
        picked[rng.choice(free)] = label
    on = set(rng.sample(range(count), rng.randint(1, count - 1)))
    return [
        {
            "id": number + 1,
            "time": f"{quarter // 4:02d}:{quarter % 4 * 15:02d}",
            "label": picked[quarter],
            "on": number in on,
            "days": list(rng.choice(_REPEATS)),
        }
        for number, quarter in enumerate(sorted(picked))
    ]


def parse_time(text: str) -> str | None:
    """ "7:05" or "07:05" as "07:05"; None when it is not a time of day."""
    found = _TIME.fullmatch(text.strip())
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        return None
    return f"{int(found[1]):02d}:{found[2]}"


def days_text(days: list[str]) -> str:
    """ "Once", "Every day", "Weekdays", "Weekends" or "Mon, Wed, Fri"."""
    chosen = tuple(d for d in DAYS if d in days)
    names = {(): "Once", DAYS: "Every day", DAYS[:5]: "Weekdays", DAYS[5:]: "Weekends"}
    return names.get(chosen, ", ".join(chosen))


class ClockApp(App):
    """Clock with alarms; state {"alarms": [{id, time "HH:MM", label, on, days ["Mon"…]}],
    "next_id"}. Alarm times are unique; days are in week order, empty for a one-off."""

    package = PACKAGE
    label = "Clock"
    main_activity = "com.android.deskclock.DeskClock"
    icon = "clock"
    icon_bg = "#5a3cb4"

    def initial_state(self, seed: int) -> dict[str, Any]:
        alarms = seed_alarms(seed)
        return {"alarms": alarms, "next_id": len(alarms) + 1}

    def empty_state(self) -> dict[str, Any]:
        return {"alarms": [], "next_id": 1}

    def activities(self) -> dict[str, Callable[[], Activity]]:
        return {
            self.main_activity: lambda: ClockActivity(self),
            EditAlarmActivity.name: lambda: EditAlarmActivity(self, None),
        }

    @property
    def records(self) -> IdRecords:
        """The stored alarms, by id."""
        return IdRecords(self.state, "alarms")

    def alarms(self) -> list[dict[str, Any]]:
        """Alarms by time of day."""
        return sorted(self.records.all(), key=lambda a: str(a["time"]))

    def clash(self, alarm_time: str, alarm_id: int | None) -> bool:
        """Whether another alarm than `alarm_id` rings at `alarm_time`."""
        return any(a["time"] == alarm_time and a["id"] != alarm_id for a in self.records.all())


class ClockActivity(Activity[ClockApp]):
    """The alarm list under a large clock; a tap on an alarm edits it, its switch turns it
    on or off."""

    name = "com.android.deskclock.DeskClock"

    def build(self) -> View:
        rows = [self._row(alarm) for alarm in self.app.alarms()] or [
            TextView(
                id=self.rid("alarms_empty"),
                text="No alarms",
                size=44,
                color="muted",
                align="center",
                padding=(0, 120),
            )
        ]
        clock = TextView(
            id=self.rid("digital_clock"),
            text=time.strftime("%H:%M"),
            size=150,
            align="center",
            padding=(0, 60),
        )
        listing = RecyclerView(
            id=self.rid("alarm_recycler_view"),
            weight=1,
            state=self.scroll("list"),
            padding=(0, 0, 0, FAB_CLEARANCE),
            children=rows,
        )
        add = fab(self, "add", "Add alarm", self._editor(None))
        return screen(toolbar(self, "Alarm"), clock, listing, overlay=[add])

    def _row(self, alarm: dict[str, Any]) -> View:
        edit = self._editor(int(alarm["id"]))
        texts: list[View] = [
            TextView(id=self.rid("digital_clock"), text=alarm["time"], size=72, on_click=edit)
        ]
        if alarm["label"]:
            texts.append(TextView(id=self.rid("label"), text=alarm["label"], size=40))
        texts.append(
            TextView(id=self.rid("days"), text=days_text(alarm["days"]), size=36, color="muted")
        )
        switch = Switch(
            id=self.rid("onoff"),
            checked=bool(alarm["on"]),
            desc=f"Alarm {alarm['time']}",
            on_click=self._toggler(int(alarm["id"])),
        )
        return Row(
            id=self.rid("alarm_item"),
            padding=(56, 30),
            focusable=True,
            on_click=edit,
            children=[LinearLayout(width=0, weight=1, children=texts), switch],
        )

    def _editor(self, alarm_id: int | None) -> Callable[[], None]:
        return lambda: self.host.start_activity(EditAlarmActivity(self.app, alarm_id))

    def _toggler(self, alarm_id: int) -> Callable[[], None]:
        def flip() -> None:
            alarm = self.app.records.find(alarm_id)
            if alarm is None:
                return
            alarm["on"] = not alarm["on"]
            self.host.toast(f"Alarm set for {alarm['time']}" if alarm["on"] else "Alarm turned off")

        return flip


class EditAlarmActivity(Activity[ClockApp]):
    """Add or edit an alarm: time, label and repeat days. A bad or taken time shows an
    error and saves nothing; a new time switches the alarm on."""

    name = "com.android.deskclock.EditAlarmActivity"

    def __init__(self, app: ClockApp, alarm_id: int | None) -> None:
        super().__init__(app)
        alarm = app.records.find(alarm_id) or {}
        self.alarm_id: int | None = alarm.get("id")
        self.time_text = str(alarm.get("time", ""))
        self.label = str(alarm.get("label", ""))
        self.days = set(alarm.get("days", []))
        self.error = ""

    def title(self) -> str:
        return "Edit alarm" if self.alarm_id is not None else "Add alarm"

    def build(self) -> View:
        actions: list[View] = []
        if self.alarm_id is not None:
            actions.append(
                action_button("delete", "Delete alarm", self._ask_delete, self.rid("delete"))
            )
        time_field = text_field(self, "time", self.time_text, TIME_HINT, self._set_time)
        time_field.desc, time_field.size = "Alarm time", 60
        label_field = text_field(self, "alarm_label", self.label, "Label", self._set_label)
        label_field.desc = "Alarm label"
        error = TextView(
            id=self.rid("error"),
            text=self.error,
            size=38,
            color="danger",
            max_lines=2,
            padding=(56, 0),
            visible=bool(self.error),
        )
        days = Row(padding=(40, 10, 20, 10), children=[self._day(i) for i in range(len(DAYS))])
        buttons = Row(
            padding=(40, 30),
            children=[
                View(width=0, weight=1),
                self._button("cancel", "Cancel", self.finish, primary=False),
                self._button("save", "Save", self.save, primary=True),
            ],
        )
        return screen(
            toolbar(self, self.title(), up=True, actions=actions),
            _caption("Time"),
            time_field,
            error,
            _caption("Label"),
            label_field,
            _caption("Repeat"),
            days,
            buttons,
        )

    def _day(self, index: int) -> View:
        day = DAYS[index]
        chosen = day in self.days

        def flip() -> None:
            self.days.symmetric_difference_update({day})

        return TextView(
            class_name="android.widget.ToggleButton",
            id=self.rid(f"day_{day.lower()}"),
            text=day,
            desc=DAY_NAMES[index],
            size=34,
            width=WRAP,
            align="center",
            padding=(20, 16),
            margin=(0, 0, 10, 0),
            radius=40,
            bg="primary" if chosen else "surface_variant",
            color="on_primary" if chosen else "on_surface",
            checkable=True,
            checked=chosen,
            focusable=True,
            on_click=flip,
        )

    def _button(self, rid: str, text: str, action: Callable[[], None], *, primary: bool) -> View:
        return Button(
            id=self.rid(rid),
            text=text,
            width=WRAP,
            height=110,
            size=40,
            padding=(48, 0),
            margin=(20, 0, 0, 0),
            bg="primary" if primary else "surface_variant",
            color="on_primary" if primary else "primary",
            on_click=action,
        )

    def _set_time(self, text: str) -> None:
        self.time_text = text.replace("\n", "")
        self.error = ""

    def _set_label(self, text: str) -> None:
        self.label = text.replace("\n", " ")

    def save(self) -> None:
        """Store the alarm and close, or show why the time cannot be used."""
        alarm_time = parse_time(self.time_text)
        if alarm_time is None:
            self.error = TIME_ERROR
            return
        if self.app.clash(alarm_time, self.alarm_id):
            self.error = f"There is already an alarm at {alarm_time}"
            return
        before = self.app.records.find(self.alarm_id)
        on = before is None or before["time"] != alarm_time or bool(before["on"])
        days = [d for d in DAYS if d in self.days]
        self.alarm_id = self.app.records.save(
            self.alarm_id, time=alarm_time, label=self.label.strip(), on=on, days=days
        )
        self.host.toast(f"Alarm set for {alarm_time}" if on else "Alarm saved")
        self.finish()

    def _ask_delete(self) -> None:
        alarm = self.app.records.find(self.alarm_id)
        if alarm is not None:
            what = " · ".join(filter(None, (alarm["time"], alarm["label"])))
            self.confirm("Delete alarm?", what, "Delete", self._delete)

    def _delete(self) -> None:
        self.app.records.delete(self.alarm_id)
        self.host.toast("Alarm deleted")
        self.finish()


def _caption(text: str) -> View:
    return TextView(text=text, size=36, color="muted", padding=(56, 24, 56, 0))
