"""Clock tasks: alarms for trips and commutes (the `alarm_edit` family shares opening an
alarm by tapping its time in the list)."""

from __future__ import annotations

from typing import Any

from mobile_agent.bench.tasks.checks import norm
from mobile_agent.bench.tasks.model import (
    Check,
    End,
    Spec,
    Step,
    World,
    open_app,
    tap,
    task,
    type_text,
)

CLOCK = "com.google.android.deskclock"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
REPEATS = (
    ("weekdays (Monday to Friday)", DAYS[:5]),
    ("Mondays, Wednesdays and Fridays", ("Mon", "Wed", "Fri")),
    ("Tuesdays and Thursdays", ("Tue", "Thu")),
    ("Saturdays", ("Sat",)),
)
TRAIN_LABELS = ("Train", "Train to work", "Early train")


# -- reading Clock data -----------------------------------------------------------------
def alarms(end: End) -> list[dict[str, Any]]:
    """Every alarm: {id, time "HH:MM", label, on, days ["Mon"…]}."""
    return list(end.app(CLOCK).get("alarms", []))


def alarm_at(end: End, time: str) -> dict[str, Any] | None:
    """The alarm ringing at `time` ("HH:MM")."""
    return next((a for a in alarms(end) if a.get("time") == time), None)


def alarm_days(alarm: dict[str, Any] | None) -> list[str]:
    return [d for d in DAYS if d in (alarm or {}).get("days", [])]


def labelled(alarm: dict[str, Any] | None, label: str) -> bool:
    return alarm is not None and norm(str(alarm.get("label", ""))) == norm(label)


def add_alarm(time: str, label: str, days: tuple[str, ...]) -> tuple[Step, ...]:
    """The steps that add an alarm (Clock is opened first)."""
    return (
        open_app("Clock"),
        tap("Add alarm"),
        type_text(time, "HH:MM"),
        type_text(label, "Label"),
        *(tap(day) for day in days),
        tap("Save"),
    )


def _clock(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


# -- tasks --------------------------------------------------------------------------------
@task("clock.train_alarm", "travel", apps=(CLOCK,))
def train_alarm(world: World) -> Spec:
    """Add a repeating alarm for an early train, with a label."""
    taken = {a["time"] for a in world.data(CLOCK)["alarms"]}
    times = [_clock(h * 60 + m) for h in range(5, 9) for m in (5, 10, 20, 25, 35, 40, 50)]
    time = world.rng.choice([t for t in times if t not in taken])
    phrase, days = world.rng.choice(REPEATS)
    label = world.rng.choice(TRAIN_LABELS)
    return Spec(
        goal=f"Set an alarm in Clock for my train: {time}, repeating on {phrase}, labelled {label}",
        checks=(
            Check(
                f"an alarm at {time}, switched on",
                lambda end: bool((alarm_at(end, time) or {}).get("on")),
                2.0,
            ),
            Check(f"labelled {label}", lambda end: labelled(alarm_at(end, time), label)),
            Check(
                f"repeating on {phrase}",
                lambda end: alarm_days(alarm_at(end, time)) == list(days),
            ),
        ),
        solution=add_alarm(time, label, days),
        params={"time": time, "label": label, "days": list(days)},
    )


@task("clock.switch_off", "travel", apps=(CLOCK,))
def switch_off(world: World) -> Spec:
    """Switch off one alarm and leave the others as they are."""
    seeded = world.data(CLOCK)["alarms"]
    alarm = world.rng.choice([a for a in seeded if a["on"]])
    time, label = str(alarm["time"]), str(alarm["label"])
    others = [a for a in seeded if a["id"] != alarm["id"]]

    def kept(end: End) -> bool:
        now = {a.get("id"): a for a in alarms(end)}
        return all(now.get(a["id"]) == a for a in others)

    return Spec(
        goal=f"I'm on holiday: switch off my {label} alarm ({time}) without deleting it",
        checks=(
            Check(
                f"the {time} alarm is kept, switched off",
                lambda end: (
                    labelled(found := alarm_at(end, time), label) and not (found or {}).get("on")
                ),
                2.0,
            ),
            Check("the other alarms are unchanged", kept),
        ),
        solution=(open_app("Clock"), tap(f"Alarm {time}")),
        params={"time": time, "label": label},
    )


@task("clock.change_time", "travel", apps=(CLOCK,), family="alarm_edit")
def change_time(world: World) -> Spec:
    """Move an alarm to another time, keeping its label and repeat days."""
    seeded = world.data(CLOCK)["alarms"]
    taken = {a["time"] for a in seeded}
    moves = [
        (a, new)
        for a in seeded
        for shift in (-30, -15, 15, 30, 45)
        if (new := _clock((_minutes(a["time"]) + shift) % (24 * 60))) not in taken
    ]
    alarm, new = world.rng.choice(moves)
    old, label, days = str(alarm["time"]), str(alarm["label"]), alarm_days(alarm)
    return Spec(
        goal=f"My {label} alarm at {old} should ring at {new} instead: change it in Clock",
        checks=(
            Check(
                f"the {label} alarm rings at {new}",
                lambda end: labelled(alarm_at(end, new), label),
                2.0,
            ),
            Check(f"no alarm at {old} any more", lambda end: alarm_at(end, old) is None),
            Check(
                "it keeps its repeat days",
                lambda end: (
                    alarm_at(end, new) is not None and alarm_days(alarm_at(end, new)) == days
                ),
            ),
        ),
        solution=(
            open_app("Clock"),
            tap(old),
            type_text(new, "Alarm time", clear=True),
            tap("Save"),
        ),
        params={"label": label, "old": old, "new": new},
    )


@task("clock.delete_alarm", "travel", apps=(CLOCK,), family="alarm_edit")
def delete_alarm(world: World) -> Spec:
    """Delete one alarm and keep the others."""
    seeded = world.data(CLOCK)["alarms"]
    alarm = world.rng.choice(seeded)
    time, label = str(alarm["time"]), str(alarm["label"])
    others = [str(a["time"]) for a in seeded if a["id"] != alarm["id"]]
    return Spec(
        goal=f"I don't need my {label} alarm ({time}) any more: delete it",
        checks=(
            Check(
                f"no {label} alarm",
                lambda end: (
                    not any(labelled(a, label) for a in alarms(end)) and alarm_at(end, time) is None
                ),
                2.0,
            ),
            Check(
                "the other alarms are kept",
                lambda end: all(alarm_at(end, t) is not None for t in others),
            ),
        ),
        solution=(open_app("Clock"), tap(time), tap("Delete alarm"), tap("Delete")),
        params={"time": time, "label": label},
    )


def _minutes(clock: str) -> int:
    hour, minute = clock.split(":")
    return int(hour) * 60 + int(minute)
