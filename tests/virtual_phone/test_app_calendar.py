"""Calendar: the seeded schedule, the agenda by day, details, create / edit / delete with
checked input, and search — driven through the `Phone` API, plus a walk through the real
uiautomator2 client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from virtual_phone.apps.calendar.model import day_header
from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node, iter_nodes

CALENDAR = "com.google.android.calendar"
CONTACTS = "com.example.contacts"
RID = f"{CALENDAR}:id/"
WAIT = 5.0


def _tap(phone: Phone, **attrs: object) -> None:
    node = find_node(phone.nodes(), **attrs)
    assert node is not None, f"no node with {attrs}"
    left, top, right, bottom = node.bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)


def _texts(phone: Phone, name: str) -> list[str]:
    return [n.text for n in iter_nodes(phone.nodes()) if n.resource_id == RID + name]


def _events(phone: Phone) -> list[dict[str, Any]]:
    return list(phone.app_state(CALENDAR)["events"])


def _type_into(phone: Phone, label: str, text: str) -> None:
    """Tap the field labelled `label` (its hint, or its caption once filled) and type."""
    _tap(phone, text=label)
    phone.clear_focused_text()
    phone.input_text(text)


def _fill(phone: Phone, **values: str) -> None:
    labels = {"title": "Title", "date": "Date", "start": "Start time", "end": "End time"}
    labels |= {"location": "Location", "notes": "Notes", "guests": "Guests"}
    for key, value in values.items():
        _type_into(phone, labels[key], value)


def _day(phone: Phone, offset: int) -> str:
    today = dt.date.fromisoformat(phone.app_state(CALENDAR)["today"])
    return (today + dt.timedelta(days=offset)).isoformat()


@pytest.mark.parametrize("seed", [0, 1, 11])
def test_seeded_schedule_covers_two_weeks_from_today(seed: int) -> None:
    phone = Phone(seed=seed)
    state = phone.app_state(CALENDAR)
    today = dt.date.fromisoformat(state["today"])
    events = state["events"]
    assert 10 <= len(events) <= 20
    assert state["next_id"] == len(events) + 1
    assert len({e["title"] for e in events}) == len(events)
    names = {c["name"] for c in phone.app_state(CONTACTS)["contacts"]}
    for event in events:
        days = (dt.date.fromisoformat(event["date"]) - today).days
        assert 0 <= days < 14
        assert event["start"] < event["end"]
        assert event["location"]
        assert set(event["attendees"]) <= names
    assert any(e["attendees"] for e in events)
    assert Phone(seed=seed).app_state(CALENDAR) == state


def test_seeds_give_different_schedules() -> None:
    first, second = Phone(seed=0).app_state(CALENDAR), Phone(seed=1).app_state(CALENDAR)
    assert first["today"] != second["today"]
    assert first["events"] != second["events"]


def test_day_header_format() -> None:
    assert day_header("2024-12-16") == "Mon, 16 Dec"
    assert day_header("2025-03-01") == "Sat, 1 Mar"


@pytest.mark.parametrize("seed", [0, 1])
def test_agenda_groups_events_under_day_headers(seed: int) -> None:
    phone = Phone(seed=seed)
    assert any(p.label == "Calendar" for p in phone.launcher_apps())
    _tap(phone, text="Calendar", clickable=True)
    assert phone.current() == (CALENDAR, CALENDAR + ".AllInOneActivity")
    events = sorted(_events(phone), key=lambda e: (e["date"], e["start"]))
    dates = sorted({e["date"] for e in events})
    headers = _texts(phone, "day_header")
    assert headers == [day_header(d) for d in dates][: len(headers)]
    assert len(headers) >= 2
    titles = _texts(phone, "event_title")
    assert titles == [e["title"] for e in events][: len(titles)]
    assert _texts(phone, "event_time")[0] == f"{events[0]['start']} – {events[0]['end']}"
    today = dt.date.fromisoformat(phone.app_state(CALENDAR)["today"])
    assert find_node(phone.nodes(), text=f"{today:%B %Y}") is not None  # the month
    assert (_texts(phone, "today_label") == ["Today"]) == (dates[0] == today.isoformat())
    listing = find_node(phone.nodes(), resource_id=RID + "agenda_list")
    assert listing is not None and listing.scrollable  # two weeks do not fit one screen


def test_event_details_show_everything_and_delete_asks_first() -> None:
    phone = Phone(seed=2)
    event = next(e for e in _events(phone) if e["attendees"] and e["notes"])
    phone.start_app(CALENDAR)
    _type_into(phone, "Search events", event["title"])
    _tap(phone, resource_id=RID + "event_title", text=event["title"])
    assert phone.current()[1] == CALENDAR + ".EventInfoActivity"
    date = dt.date.fromisoformat(event["date"])
    assert _texts(phone, "event_date") == [f"{date:%A}, {date.day} {date:%B %Y}"]
    assert _texts(phone, "event_time") == [f"{event['start']} – {event['end']}"]
    assert _texts(phone, "event_location") == [event["location"]]
    assert _texts(phone, "event_notes") == [event["notes"]]
    assert _texts(phone, "event_guests") == [", ".join(event["attendees"])]
    _tap(phone, content_desc="Delete event")
    assert find_node(phone.nodes(), text="Delete this event?") is not None
    _tap(phone, text="Cancel")
    assert event in _events(phone)
    _tap(phone, content_desc="Delete event")
    _tap(phone, text="Delete")
    assert event["id"] not in [e["id"] for e in _events(phone)]
    assert phone.last_toast == "Event deleted"
    assert phone.current()[1] == CALENDAR + ".AllInOneActivity"


def test_create_event_stores_it_and_lists_it_under_its_day() -> None:
    phone = Phone(seed=3)
    count = len(_events(phone))
    date = _day(phone, 20)  # a day with no seeded events
    phone.start_app(CALENDAR)
    _tap(phone, content_desc="Create event")
    assert phone.current()[1] == CALENDAR + ".EditEventActivity"
    _fill(
        phone,
        title="Pick up passport",
        date=date,
        start="9:05",
        end="09:45",
        location="Town hall",
        guests="Dana Scully, Fox Mulder",
    )
    _tap(phone, text="Save")
    assert phone.last_toast == "Event saved"
    events = _events(phone)
    assert len(events) == count + 1
    assert events[-1] == {
        "id": count + 1,
        "title": "Pick up passport",
        "date": date,
        "start": "09:05",
        "end": "09:45",
        "location": "Town hall",
        "notes": "",
        "attendees": ["Dana Scully", "Fox Mulder"],
    }
    assert phone.current()[1] == CALENDAR + ".AllInOneActivity"
    _type_into(phone, "Search events", "passport")
    assert _texts(phone, "day_header") == [day_header(date)]
    assert _texts(phone, "event_title") == ["Pick up passport"]


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"date": "2024-02-30", "start": "10:00", "end": "11:00"}, "Enter the date as YYYY-MM-DD"),
        ({"date": "tomorrow", "start": "10:00", "end": "11:00"}, "Enter the date as YYYY-MM-DD"),
        ({"date": "2024-05-02", "start": "25:00", "end": "26:00"}, "Enter the times as HH:MM"),
        (
            {"date": "2024-05-02", "start": "14:00", "end": "13:30"},
            "End time must be after start time",
        ),
        (
            {"date": "2024-05-02", "start": "14:00", "end": "14:00"},
            "End time must be after start time",
        ),
    ],
)
def test_invalid_input_shows_an_error_and_saves_nothing(values: dict[str, str], error: str) -> None:
    phone = Phone(seed=4)
    before = phone.app_state(CALENDAR)
    phone.start_app(CALENDAR)
    _tap(phone, content_desc="Create event")
    _fill(phone, title="Broken", **values)
    _tap(phone, text="Save")
    assert phone.app_state(CALENDAR) == before
    assert _texts(phone, "error") == [error]
    assert phone.last_toast == error
    assert phone.current()[1] == CALENDAR + ".EditEventActivity"


def test_title_is_required() -> None:
    phone = Phone(seed=4)
    count = len(_events(phone))
    phone.start_app(CALENDAR)
    _tap(phone, content_desc="Create event")
    _fill(phone, date=_day(phone, 1), start="10:00", end="11:00")
    _tap(phone, text="Save")
    assert _texts(phone, "error") == ["Enter a title"]
    assert len(_events(phone)) == count


def test_edit_an_event_through_its_field_captions() -> None:
    phone = Phone(seed=5)
    event = _events(phone)[0]
    phone.start_app(CALENDAR)
    _tap(phone, text=event["title"])
    _tap(phone, content_desc="Edit event")
    assert _texts(phone, "title") == [event["title"]]
    assert _texts(phone, "start_label") == ["Start time"]  # caption above a filled field
    _fill(phone, start="06:00", end="06:30", location="Online")
    _tap(phone, text="Save")
    changed = next(e for e in _events(phone) if e["id"] == event["id"])
    assert changed == event | {"start": "06:00", "end": "06:30", "location": "Online"}
    assert phone.current()[1] == CALENDAR + ".EventInfoActivity"
    assert _texts(phone, "event_time") == ["06:00 – 06:30"]
    assert _texts(phone, "event_location") == ["Online"]


def test_leaving_the_editor_without_save_keeps_the_event() -> None:
    phone = Phone(seed=5)
    before = phone.app_state(CALENDAR)
    phone.start_app(CALENDAR)
    _tap(phone, resource_id=RID + "event_item")
    _tap(phone, content_desc="Edit event")
    _fill(phone, title="Changed")
    _tap(phone, content_desc="Navigate up")
    assert phone.app_state(CALENDAR) == before


def test_search_filters_and_back_clears() -> None:
    phone = Phone(seed=6)
    events = _events(phone)
    target = events[-1]
    phone.start_app(CALENDAR)
    assert target["title"] not in _texts(phone, "event_title")  # below the fold
    _type_into(phone, "Search events", target["location"].split(",")[0])
    assert target["title"] in _texts(phone, "event_title")
    assert len(_texts(phone, "event_title")) < len(events)
    phone.clear_focused_text()
    phone.input_text("no such event")
    assert _texts(phone, "empty") == ["No matching events"]
    phone.press_key("back")  # hides the keyboard
    phone.press_key("back")  # clears the search
    assert (
        _texts(phone, "event_title")[0]
        == sorted(events, key=lambda e: (e["date"], e["start"]))[0]["title"]
    )


def test_clear_data_keeps_today_and_drops_events() -> None:
    phone = Phone(seed=7)
    saved = phone.state()
    today = phone.app_state(CALENDAR)["today"]
    phone.clear_data(CALENDAR)
    assert phone.app_state(CALENDAR) == {"today": today, "events": [], "next_id": 1}
    phone.start_app(CALENDAR)
    assert _texts(phone, "empty") == ["No events"]
    phone.load_state(saved)
    assert phone.app_state(CALENDAR) == saved["apps"][CALENDAR]


# == through uiautomator2 ==========================================================
@pytest.mark.e2e
def test_create_event_through_uiautomator2(u2_device: Any, connected_phone: Any) -> None:
    d, phone = u2_device, connected_phone.phone
    today = phone.app_state(CALENDAR)["today"]
    count = len(phone.app_state(CALENDAR)["events"])

    # GIVEN Calendar opened from the launcher
    d.press("home")
    d(text="Calendar", packageName="com.android.launcher3").click(timeout=WAIT)
    assert d(description="Create event").wait(timeout=WAIT)

    # WHEN an event is created for today, 18:00–19:00, and saved
    d(description="Create event").click()
    d(text="Title").set_text("Team dinner")
    d(text="Date").set_text(today)
    d(text="Start time").set_text("18:00")
    d(text="End time").set_text("19:00")
    d(text="Location").set_text("Luigi's")
    d(text="Save").click()

    # THEN the agenda shows it and the phone stores it
    assert d(resourceId=RID + "event_title", text="Team dinner").wait(timeout=WAIT)
    events = phone.app_state(CALENDAR)["events"]
    assert len(events) == count + 1
    new = [e for e in events if e["title"] == "Team dinner"]
    assert [(e["date"], e["start"], e["end"], e["location"]) for e in new] == [
        (today, "18:00", "19:00", "Luigi's")
    ]
