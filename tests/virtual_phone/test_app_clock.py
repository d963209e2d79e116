"""Clock (`com.google.android.deskclock`): seeded alarms, switching, adding with input
checks, editing and deleting — driven through the Phone API, by label as a reference
solution taps, and once through uiautomator2."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mobile_agent.actions.builtin import find_by_label
from mobile_agent.perception import parse_hierarchy
from virtual_phone.apps.clock import DAYS, days_text, parse_time, seed_alarms
from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node, iter_nodes

PKG = "com.google.android.deskclock"
EDITOR = "com.android.deskclock.EditAlarmActivity"
SEEDS = (0, 1)


def _tap(phone: Phone, label: str) -> None:
    """Tap what `label` names, as a label-based action does."""
    element = find_by_label(parse_hierarchy(phone.hierarchy_xml()), label)
    assert element is not None, f"nothing labelled {label!r}"
    phone.tap(*element.bounds.center)


def _type(phone: Phone, label: str, text: str, *, clear: bool = False) -> None:
    _tap(phone, label)
    if clear:
        phone.clear_focused_text()
    phone.input_text(text)


def _alarms(phone: Phone) -> list[dict[str, Any]]:
    return list(phone.app_state(PKG)["alarms"])


def _texts(phone: Phone, name: str) -> list[str]:
    rid = f"{PKG}:id/{name}"
    return [n.text for n in iter_nodes(phone.nodes()) if n.resource_id == rid]


def _error(phone: Phone) -> str | None:
    node = find_node(phone.nodes(), resource_id=f"{PKG}:id/error")
    return node.text if node is not None else None


def _free_time(phone: Phone) -> str:
    taken = {a["time"] for a in _alarms(phone)}
    return next(t for t in ("04:10", "04:20", "04:40") if t not in taken)


@pytest.fixture(params=SEEDS)
def phone(request: pytest.FixtureRequest) -> Phone:
    phone = Phone(seed=request.param)
    phone.start_app(PKG)
    return phone


# -- the seeded alarms -----------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_alarms_are_valid(seed: int) -> None:
    alarms = seed_alarms(seed)
    assert 3 <= len(alarms) <= 5
    assert [a["id"] for a in alarms] == list(range(1, len(alarms) + 1))
    assert len({a["time"] for a in alarms}) == len(alarms)
    assert all(re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", a["time"]) for a in alarms)
    assert all(a["days"] == [d for d in DAYS if d in a["days"]] for a in alarms)
    assert {a["on"] for a in alarms} == {True, False}
    assert all(a["label"] for a in alarms)
    state = Phone(seed=seed).app_state(PKG)
    assert state == {"alarms": alarms, "next_id": len(alarms) + 1}


def test_alarms_differ_by_seed() -> None:
    assert seed_alarms(0) == seed_alarms(0)
    assert seed_alarms(0) != seed_alarms(1)


def test_time_parsing_and_repeat_texts() -> None:
    assert parse_time("7:05") == "07:05"
    assert parse_time(" 23:59 ") == "23:59"
    for bad in ("24:00", "7:5", "12:60", "ab:cd", "", "0705", "7:05 pm"):
        assert parse_time(bad) is None, bad
    assert days_text([]) == "Once"
    assert days_text(list(DAYS)) == "Every day"
    assert days_text(["Fri", "Mon", "Tue", "Wed", "Thu"]) == "Weekdays"
    assert days_text(["Sun", "Sat"]) == "Weekends"
    assert days_text(["Fri", "Mon"]) == "Mon, Fri"


# -- the list --------------------------------------------------------------------------
def test_list_shows_alarms_by_time_with_their_switches(phone: Phone) -> None:
    alarms = sorted(_alarms(phone), key=lambda a: a["time"])
    times = _texts(phone, "digital_clock")[1:]  # the first is the current time
    assert times == [a["time"] for a in alarms]
    assert _texts(phone, "label") == [a["label"] for a in alarms]
    assert _texts(phone, "days") == [days_text(a["days"]) for a in alarms]
    for alarm in alarms:
        switch = find_node(phone.nodes(), content_desc=f"Alarm {alarm['time']}")
        assert switch is not None
        assert switch.resource_id == f"{PKG}:id/onoff"
        assert switch.checked is alarm["on"]


def test_switch_turns_an_alarm_on_and_off(phone: Phone) -> None:
    alarm = next(a for a in _alarms(phone) if not a["on"])
    _tap(phone, f"Alarm {alarm['time']}")
    assert next(a for a in _alarms(phone) if a["id"] == alarm["id"])["on"] is True
    assert phone.last_toast == f"Alarm set for {alarm['time']}"
    assert phone.current()[1] == "com.android.deskclock.DeskClock"
    _tap(phone, f"Alarm {alarm['time']}")
    assert next(a for a in _alarms(phone) if a["id"] == alarm["id"])["on"] is False
    assert phone.last_toast == "Alarm turned off"


# -- adding ----------------------------------------------------------------------------
def test_add_alarm_with_label_and_days(phone: Phone) -> None:
    before = _alarms(phone)
    next_id = phone.app_state(PKG)["next_id"]
    new_time = _free_time(phone)
    _tap(phone, "Add alarm")
    assert phone.current() == (PKG, EDITOR)
    _type(phone, "HH:MM", new_time.lstrip("0"))
    _type(phone, "Label", "Dentist")
    _tap(phone, "Friday")
    _tap(phone, "Monday")
    _tap(phone, "Sun")
    _tap(phone, "Sunday")  # a second tap clears the day again
    _tap(phone, "Save")
    assert phone.current()[1] == "com.android.deskclock.DeskClock"
    alarms = _alarms(phone)
    assert alarms[:-1] == before
    assert alarms[-1] == {
        "id": next_id,
        "time": new_time,
        "label": "Dentist",
        "on": True,
        "days": ["Mon", "Fri"],
    }
    assert phone.app_state(PKG)["next_id"] == next_id + 1
    assert phone.last_toast == f"Alarm set for {new_time}"
    assert _texts(phone, "digital_clock")[1] == new_time  # the earliest comes first


@pytest.mark.parametrize("typed", ["25:00", "7:5", "seven", ""])
def test_bad_time_shows_an_error_and_saves_nothing(typed: str) -> None:
    phone = Phone(seed=0)
    phone.start_app(PKG)
    before = phone.app_state(PKG)
    _tap(phone, "Add alarm")
    assert _error(phone) is None
    if typed:
        _type(phone, "HH:MM", typed)
    _tap(phone, "Save")
    assert _error(phone) == "Enter a time as HH:MM, from 00:00 to 23:59"
    assert phone.current()[1] == EDITOR
    assert phone.app_state(PKG) == before
    # WHEN the time is corrected THEN the error goes and the alarm is saved
    _type(phone, "Alarm time", "04:10", clear=True)
    assert _error(phone) is None
    _tap(phone, "Save")
    assert _alarms(phone)[-1]["time"] == "04:10"


def test_a_taken_time_is_refused(phone: Phone) -> None:
    taken = _alarms(phone)[0]["time"]
    count = len(_alarms(phone))
    _tap(phone, "Add alarm")
    _type(phone, "HH:MM", taken)
    _tap(phone, "Save")
    assert _error(phone) == f"There is already an alarm at {taken}"
    assert len(_alarms(phone)) == count


def test_cancel_and_back_discard_a_new_alarm(phone: Phone) -> None:
    before = phone.app_state(PKG)
    _tap(phone, "Add alarm")
    _type(phone, "HH:MM", "04:10")
    _tap(phone, "Cancel")
    assert phone.current()[1] == "com.android.deskclock.DeskClock"
    _tap(phone, "Add alarm")
    _type(phone, "HH:MM", "04:20")
    phone.press_key("back")  # closes the keyboard
    phone.press_key("back")  # leaves the editor
    assert phone.app_state(PKG) == before


# -- editing and deleting --------------------------------------------------------------
def test_edit_time_switches_the_alarm_on(phone: Phone) -> None:
    alarm = next(a for a in _alarms(phone) if not a["on"])
    new_time = _free_time(phone)
    _tap(phone, alarm["time"])
    assert phone.current()[1] == EDITOR
    assert find_node(phone.nodes(), text="Edit alarm") is not None
    _type(phone, "Alarm time", new_time, clear=True)
    _tap(phone, "Save")
    edited = next(a for a in _alarms(phone) if a["id"] == alarm["id"])
    assert edited == alarm | {"time": new_time, "on": True}
    assert len(_alarms(phone)) == len(phone.app_state(PKG)["alarms"])


def test_edit_label_and_days_keeps_an_off_alarm_off(phone: Phone) -> None:
    alarm = next(a for a in _alarms(phone) if not a["on"])
    label = find_node(phone.nodes(), resource_id=f"{PKG}:id/label", text=alarm["label"])
    assert label is not None
    phone.tap((label.bounds[0] + label.bounds[2]) / 2, (label.bounds[1] + label.bounds[3]) / 2)
    assert phone.current()[1] == EDITOR
    _type(phone, "Alarm label", "Piano", clear=True)
    for day in DAYS:
        _tap(phone, day)  # every day flips
    _tap(phone, "Save")
    edited = next(a for a in _alarms(phone) if a["id"] == alarm["id"])
    flipped = [d for d in DAYS if d not in alarm["days"]]
    assert edited == alarm | {"label": "Piano", "days": flipped}
    assert phone.last_toast == "Alarm saved"


def test_delete_asks_first(phone: Phone) -> None:
    alarm = _alarms(phone)[1]
    _tap(phone, alarm["time"])
    _tap(phone, "Delete alarm")
    assert find_node(phone.nodes(), text="Delete alarm?") is not None
    assert find_node(phone.nodes(), text=f"{alarm['time']} · {alarm['label']}") is not None
    phone.press_key("back")  # dismisses the dialog
    assert alarm in _alarms(phone)
    _tap(phone, "Delete alarm")
    _tap(phone, "Delete")
    assert alarm not in _alarms(phone)
    assert phone.last_toast == "Alarm deleted"
    assert phone.current()[1] == "com.android.deskclock.DeskClock"
    assert alarm["time"] not in _texts(phone, "digital_clock")


def test_clear_data_leaves_no_alarms() -> None:
    phone = Phone(seed=1)
    phone.clear_data(PKG)
    assert phone.app_state(PKG) == {"alarms": [], "next_id": 1}
    phone.start_app(PKG)
    assert _texts(phone, "alarms_empty") == ["No alarms"]
    _tap(phone, "Add alarm")
    _type(phone, "HH:MM", "06:00")
    _tap(phone, "Save")
    assert _alarms(phone) == [{"id": 1, "time": "06:00", "label": "", "on": True, "days": []}]
    assert _texts(phone, "days") == ["Once"]


def test_am_start_opens_the_alarm_editor() -> None:
    phone = Phone()
    phone.start_app(PKG, EDITOR)
    assert phone.current() == (PKG, EDITOR)
    assert find_node(phone.nodes(), text="Add alarm") is not None


# -- through uiautomator2 --------------------------------------------------------------
@pytest.mark.e2e
def test_add_and_switch_off_through_uiautomator2(u2_device: Any, connected_phone: Any) -> None:
    d, phone = u2_device, connected_phone.phone
    count = len(phone.app_state(PKG)["alarms"])
    # GIVEN Clock opened from the launcher
    d.press("home")
    d(text="Clock", packageName="com.android.launcher3").click()
    assert d(description="Add alarm").wait(timeout=5)
    # WHEN an alarm at 04:45 repeating on Saturdays is added
    d(description="Add alarm").click()
    d(resourceId=f"{PKG}:id/time").set_text("04:45")
    d(resourceId=f"{PKG}:id/alarm_label").set_text("Fishing")
    d(description="Saturday").click()
    assert d(description="Saturday").info["checked"]
    d(resourceId=f"{PKG}:id/save").click()
    # THEN it is stored, on, and listed with its switch
    switch = d(description="Alarm 04:45")
    assert switch.wait(timeout=5)
    assert switch.info["checked"]
    alarms = phone.app_state(PKG)["alarms"]
    assert len(alarms) == count + 1
    assert alarms[-1] | {"id": 0} == {
        "id": 0,
        "time": "04:45",
        "label": "Fishing",
        "on": True,
        "days": ["Sat"],
    }
    # WHEN its switch is tapped THEN it is off
    switch.click()
    assert not d(description="Alarm 04:45").info["checked"]
    assert phone.app_state(PKG)["alarms"][-1]["on"] is False
