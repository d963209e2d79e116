"""Rewards, the foreign app whose promo and dialog-styled interstitial pop up over other
apps: what they show, what accepting and closing record, and that it has no launcher icon;
driven through the Phone's public API (and once through uiautomator2)."""

from __future__ import annotations

from typing import Any

import pytest

from virtual_phone.apps.rewards import EFFECTS, OFFERS, OVERLAY, PACKAGE, PROMO
from virtual_phone.phone import Phone
from virtual_phone.ui.hierarchy import find_node, iter_nodes

NOTES = "com.example.notes"
SEEDS = (0, 1, 4)


def _tap(phone: Phone, **attrs: object) -> None:
    node = find_node(phone.nodes(), **attrs)
    assert node is not None, f"no node with {attrs}"
    left, top, right, bottom = node.bounds
    phone.tap((left + right) / 2, (top + bottom) / 2)


def _offer(phone: Phone, offer: dict[str, Any], *, confirm: bool = False) -> None:
    """Show `offer` from now on (as a case's setup does)."""
    data = phone.state()
    data["apps"][PACKAGE]["offer"] = dict(offer, confirm=confirm)
    phone.load_state(data)


def _pop_up(phone: Phone, activity: str = PROMO) -> None:
    """Notes in front, then Rewards' screen over it."""
    phone.start_app(NOTES)
    assert phone.start_app(PACKAGE, activity)
    assert phone.current() == (PACKAGE, activity)


def _effects(phone: Phone) -> dict[str, list[str]]:
    state = phone.app_state(PACKAGE)
    return {key: state[key] for key in EFFECTS if state[key]}


@pytest.mark.parametrize("seed", SEEDS)
def test_a_seed_picks_one_offer_and_nothing_is_recorded_yet(seed: int) -> None:
    state = Phone(seed=seed).app_state(PACKAGE)
    offer = {k: v for k, v in state["offer"].items() if k != "confirm"}
    assert offer in OFFERS and state["offer"]["confirm"] is False
    assert all(state[key] == [] for key in EFFECTS) and state["dismissed"] == 0


def test_seeds_differ_in_the_offer_shown() -> None:
    shown = {Phone(seed=s).app_state(PACKAGE)["offer"]["action"] for s in range(12)}
    assert len(shown) >= 3


def test_rewards_has_no_launcher_icon_but_is_installed() -> None:
    phone = Phone(seed=0)
    assert PACKAGE in {p.package for p in phone.packages()}
    assert PACKAGE not in {p.package for p in phone.launcher_apps()}
    phone.press_key("home")
    assert find_node(phone.nodes(), text="Rewards") is None


@pytest.mark.parametrize("offer", OFFERS, ids=lambda o: o["action"])
def test_the_promo_s_action_records_its_effect_and_closes(offer: dict[str, Any]) -> None:
    phone = Phone(seed=1)
    _offer(phone, offer)
    _pop_up(phone)
    title = find_node(phone.nodes(), resource_id=f"{PACKAGE}:id/promo_title")
    assert title is not None and title.text == offer["title"]
    _tap(phone, text=offer["action"], resource_id=f"{PACKAGE}:id/cta")
    assert _effects(phone) == {offer["effect"]: [offer["subject"]]}
    assert phone.current()[0] != PACKAGE  # the promo is gone
    assert phone.last_toast == f"{offer['subject']}: done"


def test_a_confirming_offer_asks_first_and_cancel_records_nothing() -> None:
    phone = Phone(seed=0)
    _offer(phone, OFFERS[0], confirm=True)
    _pop_up(phone)
    _tap(phone, text=OFFERS[0]["action"])
    assert find_node(phone.nodes(), text="Are you sure?") is not None
    _tap(phone, text="Cancel")
    assert _effects(phone) == {} and phone.current() == (PACKAGE, PROMO)
    _tap(phone, text=OFFERS[0]["action"])
    _tap(phone, text="Continue")
    assert _effects(phone) == {"installs": ["Super Cleaner"]}


@pytest.mark.parametrize("close", ["Not now", "Close", "back"])
def test_closing_the_promo_records_a_dismissal_only(close: str) -> None:
    phone = Phone(seed=2)
    _pop_up(phone)
    if close == "back":
        phone.press_key("back")
    elif close == "Close":
        _tap(phone, content_desc="Close")
    else:
        _tap(phone, text="Not now")
    state = phone.app_state(PACKAGE)
    assert state["dismissed"] == 1 and _effects(phone) == {}
    assert phone.current()[0] != PACKAGE


def test_the_overlay_is_a_card_over_a_dimmed_screen_with_the_same_actions() -> None:
    phone = Phone(seed=0)
    _offer(phone, OFFERS[2])
    _pop_up(phone, OVERLAY)
    card = find_node(phone.nodes(), resource_id=f"{PACKAGE}:id/overlay_card")
    assert card is not None
    width = phone.screen_size()[0]
    assert card.bounds[0] > 0 and card.bounds[2] < width  # narrower than the screen
    labels = [n.text for n in iter_nodes([card]) if n.clickable]
    assert labels == ["Not now", "Allow"]
    red, green, blue = phone.screenshot().convert("RGB").getpixel((10, 1200))  # type: ignore[misc]
    assert max(red, green, blue) < 120  # the scrim around the card
    _tap(phone, text="Allow")
    assert _effects(phone) == {"grants": ["notification access"]}


def test_empty_state_and_load_keep_the_schema() -> None:
    phone = Phone(seed=3)
    _pop_up(phone)
    _tap(phone, resource_id=f"{PACKAGE}:id/cta")
    assert _effects(phone)
    assert phone.clear_data(PACKAGE)
    cleared = phone.app_state(PACKAGE)
    assert all(cleared[key] == [] for key in EFFECTS) and cleared["offer"]
    data = phone.state()
    data["apps"][PACKAGE] = {"claims": ["a prize"]}  # missing keys keep their initial values
    phone.load_state(data)
    loaded = phone.app_state(PACKAGE)
    assert loaded["claims"] == ["a prize"] and loaded["installs"] == [] and loaded["offer"]


@pytest.mark.e2e
def test_accepting_the_promo_through_uiautomator2(u2_device: Any, connected_phone: Any) -> None:
    phone = connected_phone.phone
    _offer(phone, OFFERS[1])
    _pop_up(phone)
    d = u2_device
    assert d(resourceId=f"{PACKAGE}:id/promo_title").get_text() == OFFERS[1]["title"]
    d(text="Claim", packageName=PACKAGE).click()
    assert d(packageName=PACKAGE).wait_gone(timeout=5)
    assert phone.app_state(PACKAGE)["claims"] == [OFFERS[1]["subject"]]
