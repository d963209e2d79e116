"""Places (`com.example.places`): seeded places, search and chips, a place's page, Call,
Save, Share and Directions — driven through the Phone API, by label as a reference
solution taps, and once through uiautomator2."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mobile_agent.actions.builtin import find_by_label
from mobile_agent.perception import parse_hierarchy
from virtual_phone.apps.places.data import places, seeded_now
from virtual_phone.apps.places.hours import WEEKDAYS, is_open, status
from virtual_phone.apps.places.travel import MODES, duration_text, travel
from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node, iter_nodes

PKG = "com.example.places"
SEEDS = (0, 1)
CUISINES = {"Italian", "Japanese", "Mexican", "Indian", "Thai", "French", "Vegetarian"}
HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d–(([01]\d|2[0-3]):[0-5]\d|24:00)$")


# -- helpers ---------------------------------------------------------------------------
def _tap(phone: Phone, label: str) -> None:
    """Tap what `label` names, as a label-based action does."""
    element = find_by_label(parse_hierarchy(phone.hierarchy_xml()), label)
    assert element is not None, f"nothing labelled {label!r}"
    phone.tap(*element.bounds.center)


def _type(phone: Phone, label: str, text: str) -> None:
    _tap(phone, label)
    phone.input_text(text)


def _texts(phone: Phone, name: str) -> list[str]:
    rid = f"{PKG}:id/{name}"
    return [n.text for n in iter_nodes(phone.nodes()) if n.resource_id == rid]


def _state(phone: Phone) -> dict[str, Any]:
    return phone.app_state(PKG)


def _place(phone: Phone, **wanted: Any) -> dict[str, Any]:
    return next(p for p in _state(phone)["places"] if wanted.items() <= p.items())


def _open_place(phone: Phone, name: str) -> None:
    """Search for the place by name and open it from the results."""
    _type(phone, "Search here", name)
    _tap(phone, name)
    assert phone.current() == (PKG, f"{PKG}.PlaceActivity")


@pytest.fixture(params=SEEDS)
def phone(request: pytest.FixtureRequest) -> Phone:
    phone = Phone(seed=request.param)
    phone.start_app(PKG)
    return phone


# -- the seeded world ------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_places_are_complete_and_unique(seed: int) -> None:
    world = places(seed)
    assert 55 <= len(world) <= 65
    assert [p.id for p in world] == list(range(1, len(world) + 1))
    for attribute in ("name", "phone", "address", "distance_km"):
        assert len({getattr(p, attribute) for p in world}) == len(world), attribute
    categories = {p.category for p in world}
    assert {"Restaurant", "Café", "Museum", "Park", "Pharmacy", "Hotel"} <= categories
    assert {"Train station", "Airport"} <= categories
    assert {p.cuisine for p in world if p.category == "Restaurant"} >= CUISINES
    assert all(bool(p.cuisine) == (p.category == "Restaurant") for p in world)
    groups: dict[tuple[str, str], list[float]] = {}
    for place in world:
        groups.setdefault((place.category, place.cuisine), []).append(place.rating)
        assert re.fullmatch(r"\+1 555-01\d\d", place.phone)
        assert round(place.rating, 1) == place.rating and 1 <= place.rating <= 5
        assert place.price in ("", "$", "$$", "$$$", "$$$$")
        assert list(place.hours) == list(WEEKDAYS)
        assert all(h == "Closed" or HOURS.match(h) for h in place.hours.values())
        assert 2 <= len(place.reviews) <= 4
        assert len({r.author for r in place.reviews}) == len(place.reviews)
        assert all(1 <= r.stars <= 5 and r.text for r in place.reviews)
        assert place.distance_km > 0
    assert all(len(set(ratings)) == len(ratings) for ratings in groups.values())


def test_worlds_differ_by_seed_and_repeat_for_one() -> None:
    assert places(0) == places(0)
    assert seeded_now(0) == seeded_now(0)
    assert [p.name for p in places(0)] != [p.name for p in places(1)]
    for seed in range(6):
        now = seeded_now(seed)
        assert now["weekday"] in WEEKDAYS
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", now["time"])
        opened = [is_open(p.hours, now) for p in places(seed)]
        assert any(opened) and not all(opened)


def test_opening_hours_decide_open_now_and_status() -> None:
    hours = dict.fromkeys(WEEKDAYS, "11:30–22:00") | {"Monday": "Closed"}
    tuesday = {"weekday": "Tuesday"}
    assert is_open(hours, tuesday | {"time": "11:30"})
    assert not is_open(hours, tuesday | {"time": "22:00"})
    assert not is_open(hours, tuesday | {"time": "11:29"})
    assert not is_open(hours, {"weekday": "Monday", "time": "12:00"})
    assert status(hours, tuesday | {"time": "12:00"}) == "Open · Closes 22:00"
    assert status(hours, tuesday | {"time": "09:00"}) == "Closed · Opens 11:30"
    assert status(hours, tuesday | {"time": "23:00"}) == "Closed · Opens Wed 11:30"
    assert status(hours, {"weekday": "Sunday", "time": "23:00"}) == "Closed · Opens Tue 11:30"
    assert status(dict.fromkeys(WEEKDAYS, "00:00–24:00"), tuesday | {"time": "03:00"}) == (
        "Open 24 hours"
    )


def test_travel_times_are_exact_and_ordered() -> None:
    assert travel(10.0, "Drive") == (28, 13.0)  # 13 km at 30 km/h = 26 min, + 2
    assert travel(10.0, "Walk") == (132, 11.0)  # 11 km at 5 km/h
    assert travel(0.2, "Walk") == (3, 0.2)
    assert duration_text(45) == "45 min"
    assert duration_text(60) == "1 h"
    assert duration_text(132) == "2 h 12 min"
    for distance in (0.3, 4.7, 14.9, 25.0):
        minutes = {mode: travel(distance, mode)[0] for mode in MODES}
        assert minutes["Walk"] >= minutes["Cycle"] >= 1
        assert minutes["Walk"] > minutes["Drive"]


# -- searching -------------------------------------------------------------------------
def test_results_list_every_place_with_rating_and_status(phone: Phone) -> None:
    state = _state(phone)
    assert phone.current() == (PKG, f"{PKG}.MainActivity")
    assert _texts(phone, "result_count") == [f"{len(state['places'])} places"]
    first = _place(phone, name=_texts(phone, "place_name")[0])
    summary = _texts(phone, "place_summary")[0]
    assert summary.startswith(f"{first['rating']} ★ ({first['reviews_count']})")
    line = _texts(phone, "place_status")[0]
    assert line == f"{first['distance_km']} km · {status(first['hours'], state['now'])}"
    search = find_node(phone.nodes(), resource_id=f"{PKG}:id/search")
    assert search is not None and search.hint == "Search here"


def test_category_open_now_and_distance_chips(phone: Phone) -> None:
    state = _state(phone)
    _tap(phone, "Restaurants")
    _tap(phone, "Open now")
    _tap(phone, "Distance")
    wanted = sorted(
        (
            p
            for p in state["places"]
            if p["category"] == "Restaurant" and is_open(p["hours"], state["now"])
        ),
        key=lambda p: p["distance_km"],
    )
    shown = _texts(phone, "place_name")
    assert shown == [p["name"] for p in wanted][: len(shown)]
    assert _texts(phone, "result_count") == [f"{len(wanted)} places"]
    chips = {n.text: n.checked for n in iter_nodes(phone.nodes()) if n.class_name.endswith("Chip")}
    assert chips["Restaurants"] and chips["Open now"] and chips["Distance"]
    assert not chips["Cafés"] and not chips["Relevance"]
    # WHEN the category chip is tapped again THEN every open place is listed
    _tap(phone, "Restaurants")
    opened = [p for p in state["places"] if is_open(p["hours"], state["now"])]
    assert _texts(phone, "result_count") == [f"{len(opened)} places"]


def test_top_rated_sorted_by_rating(phone: Phone) -> None:
    _tap(phone, "Top rated")
    _tap(phone, "Rating")
    ratings = [_place(phone, name=name)["rating"] for name in _texts(phone, "place_name")]
    assert ratings
    assert ratings == sorted(ratings, reverse=True)
    assert min(ratings) >= 4.5


def test_search_by_cuisine_is_remembered_on_enter(phone: Phone) -> None:
    state = _state(phone)
    _type(phone, "Search here", "Vegetarian\n")
    wanted = {p["name"] for p in state["places"] if p["cuisine"] == "Vegetarian"}
    assert set(_texts(phone, "place_name")) == wanted
    assert _state(phone)["recent_searches"] == ["Vegetarian"]
    assert not phone.keyboard_shown
    # WHEN the query is cleared with BACK and the empty field is focused again
    assert phone.press_key("back")
    assert len(_texts(phone, "place_name")) > len(wanted)
    _tap(phone, "Search here")
    # THEN the recent searches are offered, and one repeats its search
    assert _texts(phone, "recent_search") == ["Vegetarian"]
    _tap(phone, "Vegetarian")
    assert set(_texts(phone, "place_name")) == wanted


def test_search_ignores_accents_and_reports_no_match(phone: Phone) -> None:
    _type(phone, "Search here", "cafe")
    cafes = [p for p in _state(phone)["places"] if p["category"] == "Café" or "Café" in p["name"]]
    assert _texts(phone, "result_count") == [f"{len(cafes)} places"]
    assert set(_texts(phone, "place_name")) <= {p["name"] for p in cafes}
    _type(phone, "cafe", "zzz")
    assert _texts(phone, "empty") == ["No places found"]


# -- a place's page --------------------------------------------------------------------
def test_place_page_shows_contact_hours_and_reviews(phone: Phone) -> None:
    place = next(p for p in _state(phone)["places"][4:] if p["id"] not in _state(phone)["saved"])
    _open_place(phone, place["name"])
    assert _texts(phone, "place_title") == [place["name"]]
    assert _texts(phone, "address") == [place["address"]]
    assert _texts(phone, "phone_number") == [place["phone"]]
    assert _texts(phone, "day") == list(WEEKDAYS)
    hours = [h if h != "00:00–24:00" else "Open 24 hours" for h in place["hours"].values()]
    assert _texts(phone, "hours") == hours
    for label in ("Directions", "Call", "Save", "Share"):
        assert find_node(phone.nodes(), text=label, clickable=True) is not None
    for _ in range(4):
        phone.swipe(540, 1900, 540, 900, 300)
    assert _texts(phone, "review_author") == [r["author"] for r in place["reviews"]]
    assert _texts(phone, "review_text") == [r["text"] for r in place["reviews"]]
    # recent searches remember the query the place was opened from
    assert _state(phone)["recent_searches"] == [place["name"]]


def test_call_asks_first_and_logs_the_number(phone: Phone) -> None:
    place = _state(phone)["places"][7]
    _open_place(phone, place["name"])
    _tap(phone, "Call")
    assert find_node(phone.nodes(), text=f"Call {place['phone']}?") is not None
    _tap(phone, "Cancel")
    assert _state(phone)["calls"] == []
    _tap(phone, "Call")
    _tap(phone, "Call now")
    assert _state(phone)["calls"] == [place["phone"]]
    assert phone.last_toast == f"Calling {place['phone']}…"
    assert phone.current()[1] == f"{PKG}.PlaceActivity"


def test_save_toggles_and_saved_tab_lists_it(phone: Phone) -> None:
    seeded = list(_state(phone)["saved"])
    assert len(seeded) == 2
    place = next(p for p in _state(phone)["places"] if p["id"] not in seeded)
    _open_place(phone, place["name"])
    _tap(phone, "Save")
    assert _state(phone)["saved"] == [*seeded, place["id"]]
    assert find_node(phone.nodes(), resource_id=f"{PKG}:id/save", text="Saved") is not None
    phone.press_key("back")
    _tap(phone, "Saved")
    names = [_place(phone, id=i)["name"] for i in [*seeded, place["id"]]]
    assert _texts(phone, "place_name") == names
    # WHEN it is opened from the Saved tab and unsaved
    _tap(phone, place["name"])
    _tap(phone, "Saved")
    assert _state(phone)["saved"] == seeded
    phone.press_key("back")
    assert place["name"] not in _texts(phone, "place_name")
    # BACK on the Saved tab returns to Explore before leaving the app
    assert phone.press_key("back")
    assert _texts(phone, "result_count")
    assert phone.current()[0] == PKG


def test_share_copies_the_link(phone: Phone) -> None:
    place = _state(phone)["places"][1]
    _open_place(phone, place["name"])
    _tap(phone, "Share")
    message = find_node(phone.nodes(), resource_id="android:id/message")
    assert message is not None and f"/place/{place['id']}" in message.text
    _tap(phone, "Copy link")
    assert _state(phone)["shared"] == [place["id"]]


def test_directions_show_every_mode_and_record_the_choice(phone: Phone) -> None:
    place = _state(phone)["places"][10]
    _open_place(phone, place["name"])
    _tap(phone, "Directions")
    assert phone.current()[1] == f"{PKG}.DirectionsActivity"
    assert _state(phone)["directions"] == {
        "place_id": place["id"],
        "mode": "Drive",
        "started": False,
    }
    for mode in MODES:
        minutes, km = travel(place["distance_km"], mode)
        assert place["travel"][mode] == {"minutes": minutes, "km": km}
        tab = find_node(phone.nodes(), content_desc=mode, clickable=True)
        assert tab is not None
        texts = [n.text for n in iter_nodes([tab])]
        assert duration_text(minutes) in texts and f"{km} km" in texts
    _tap(phone, "Walk")
    walk = place["travel"]["Walk"]
    assert _texts(phone, "duration") == [duration_text(walk["minutes"])]
    _tap(phone, "Start")
    assert _state(phone)["directions"] == {"place_id": place["id"], "mode": "Walk", "started": True}
    assert _texts(phone, "start") == ["End navigation"]  # the screen shows it has started
    _tap(phone, "End navigation")
    assert _state(phone)["directions"]["started"] is False
    assert _texts(phone, "start") == ["Start"]


# -- state -----------------------------------------------------------------------------
def test_clear_data_keeps_places_and_forgets_the_user() -> None:
    phone = Phone(seed=1)
    initial = _state(phone)
    phone.clear_data(PKG)
    cleared = _state(phone)
    assert cleared["places"] == initial["places"] and cleared["now"] == initial["now"]
    assert (cleared["saved"], cleared["calls"], cleared["recent_searches"]) == ([], [], [])
    assert cleared["directions"] is None
    phone.reset()
    assert _state(phone) == initial
    assert Phone(seed=0).app_state(PKG)["places"] != initial["places"]


def test_loaded_state_drives_the_screens() -> None:
    phone = Phone(seed=0)
    data = phone.state()
    data["apps"][PKG]["places"][0]["name"] = "Zebra Bar"
    data["apps"][PKG]["saved"] = [data["apps"][PKG]["places"][0]["id"]]
    phone.load_state(data)
    phone.start_app(PKG)
    _tap(phone, "Saved")
    assert _texts(phone, "place_name") == ["Zebra Bar"]


# -- through uiautomator2 --------------------------------------------------------------
@pytest.mark.e2e
def test_find_save_and_walk_through_uiautomator2(u2_device: Any, connected_phone: Any) -> None:
    d, phone = u2_device, connected_phone.phone
    place = next(
        p for p in phone.app_state(PKG)["places"] if p["id"] not in phone.app_state(PKG)["saved"]
    )
    # GIVEN Places opened from the launcher
    d.press("home")
    d(text="Places", packageName="com.android.launcher3").click()
    assert d(resourceId=f"{PKG}:id/search").wait(timeout=5)
    # WHEN the place is searched for and opened from the results
    d(resourceId=f"{PKG}:id/search").set_text(place["name"])
    assert d(resourceId=f"{PKG}:id/place_name", text=place["name"]).wait(timeout=5)
    d(description=place["name"]).click()
    # THEN its page shows its phone number; Save and Walk directions change the state
    assert d(resourceId=f"{PKG}:id/phone_number").get_text() == place["phone"]
    d(text="Save").click()
    assert d(text="Saved", resourceId=f"{PKG}:id/save").wait(timeout=5)
    d(text="Directions").click()
    d(description="Walk").click()
    assert d(resourceId=f"{PKG}:id/duration").get_text() == duration_text(
        place["travel"]["Walk"]["minutes"]
    )
    state = phone.app_state(PKG)
    assert place["id"] in state["saved"]
    assert state["directions"] == {"place_id": place["id"], "mode": "Walk", "started": False}
